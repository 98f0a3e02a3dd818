"""Citations narrowed to what the quote spans: the chat message, the lines of code, the page."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from conftest import CHAT, PAPERS, chat_messages
from lecto.answer.citations import check
from lecto.data import Chunk, Selected
from lecto.ingest import load_corpus
from lecto.kinds import narrow
from lecto.kinds.chat import ChatLocation
from lecto.kinds.code import CodeLocation
from lecto.store import Store

WHATSAPP = CHAT / "locomo-0.whatsapp.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def chat_chunks(store: Store) -> list[Chunk]:
    return load_corpus([str(WHATSAPP)], store).chunks


def several_speakers(chunks: list[Chunk]) -> Chunk:
    return next(c for c in chunks if len(c.span.location.speakers) > 1 and len(c.span.location.message_ids) > 3)  # type: ignore[union-attr]


def offsets(chunk: Chunk, index: int) -> tuple[int, int]:
    """Start and end of the chunk's `index`-th message in its text."""
    parts = chat_messages(chunk)
    start = sum(len(text) + 1 for _, text in parts[:index])
    return start, start + len(parts[index][1])


def test_a_chat_quote_is_located_at_its_own_message(chat_chunks: list[Chunk]) -> None:
    chunk = several_speakers(chat_chunks)
    loc = chunk.span.location
    assert isinstance(loc, ChatLocation)
    start, end = offsets(chunk, 2)
    text = chunk.text[start:end]
    narrowed = narrow(chunk.span, chunk.text, start + text.index(": ") + 2, end)
    assert isinstance(narrowed.location, ChatLocation)
    assert narrowed.location.message_ids == (loc.message_ids[2],)
    speaker = text.split("] ", 1)[1].split(": ", 1)[0]
    assert narrowed.location.speakers == (speaker,)
    stamp = text[1:17]  # "[2023-05-25 13:16] …"
    assert narrowed.location.start_time == narrowed.location.end_time == stamp.replace(" ", "T") + ":00"
    assert narrowed.describe().endswith(f", {speaker}")


def test_a_quote_across_two_messages_names_both(chat_chunks: list[Chunk]) -> None:
    chunk = several_speakers(chat_chunks)
    loc = chunk.span.location
    assert isinstance(loc, ChatLocation)
    (start, _), (_, end) = offsets(chunk, 0), offsets(chunk, 1)
    narrowed = narrow(chunk.span, chunk.text, start, end).location
    assert isinstance(narrowed, ChatLocation)
    assert narrowed.message_ids == loc.message_ids[:2]
    assert narrowed.start_time == loc.start_time  # the window's own first time, exact to the second


def test_a_checked_chat_claim_cites_the_message_that_says_it(chat_chunks: list[Chunk]) -> None:
    passages = [Selected(c, c.text, 0) for c in chat_chunks]
    question = "What did Melanie run last Saturday?"
    result = check("Melanie ran a charity race for mental health.", question, passages)
    [citation] = result.citations
    loc = citation.where.location
    assert isinstance(loc, ChatLocation) and len(loc.message_ids) == 1 and loc.speakers == ("Melanie",)
    assert "charity race for mental health" in citation.quote
    assert citation.span.location != loc  # the passage's own span stays, for the viewer
    assert set(loc.message_ids) < set(citation.span.location.message_ids)  # type: ignore[union-attr]


def test_a_code_quote_names_its_lines_and_symbol(store: Store) -> None:
    encoder = Path(sysconfig.get_paths()["stdlib"]) / "json" / "encoder.py"
    chunk = next(c for c in load_corpus([str(encoder)], store).chunks if c.span.location.symbol == "JSONEncoder.encode")  # type: ignore[union-attr]
    loc = chunk.span.location
    assert isinstance(loc, CodeLocation)
    line = "chunks = self.iterencode(o, _one_shot=True)"
    start = chunk.text.index(line)
    narrowed = narrow(chunk.span, chunk.text, start, start + len(line)).location
    assert isinstance(narrowed, CodeLocation)
    expected = loc.start_line + chunk.text.count("\n", 0, start)
    assert (narrowed.start_line, narrowed.end_line, narrowed.symbol) == (expected, expected, "JSONEncoder.encode")
    assert encoder.read_text().splitlines()[expected - 1].strip() == line


def test_a_pdf_quote_keeps_its_page(store: Store) -> None:
    chunks = load_corpus([str(PAPERS / "the-google-file-system.pdf")], store).chunks
    result = check(
        "GFS uses a chunk size of 64 MB.", "What chunk size does GFS use?", [Selected(c, c.text, 0) for c in chunks]
    )
    assert result.citations and all(c.where == c.span for c in result.citations)
