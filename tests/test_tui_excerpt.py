"""What the source viewer shows for each kind of passage, and what follow-up questions carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CHAT, PAPERS
from lecto.backends import ModelOptions, open_backend
from lecto.data import Chunk, Document, Kind, Span
from lecto.ingest import load_corpus
from lecto.kinds.chat import ChatLocation
from lecto.kinds.code import CodeLocation
from lecto.kinds.pdf import PageLocation
from lecto.kinds.text import CONTEXT_LINES, TextLocation
from lecto.session import Exchange, with_history
from lecto.store import Store
from lecto.tui.excerpt import excerpt, locate
from lecto.tui.widgets.source_viewer import render

GFS = str(PAPERS / "the-google-file-system.pdf")


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    return open_backend(ModelOptions(spec=None))  # loads the vocabulary only


def test_a_pdf_passage_is_shown_with_the_rest_of_its_page(tmp_path: Path) -> None:
    corpus = load_corpus([GFS], Store(tmp_path))
    doc = corpus.documents[0]
    chunk = next(c for c in doc.chunks if "64 MB" in c.text)
    found = locate(corpus, chunk.span, chunk.text)
    assert found == (doc, chunk)
    shown = excerpt(doc, chunk)
    page = chunk.span.location
    assert isinstance(page, PageLocation)
    assert f"p. {page.page}" in shown.title
    same_page = [c for c in doc.chunks if c.span.location == page]
    assert all(c.text.splitlines()[0] in shown.lines for c in same_page)
    assert [shown.lines[i] for i in sorted(shown.marked)] == chunk.text.splitlines()


def _json_module() -> Path:
    return Path(json.__file__).parent


def test_code_is_read_from_the_file_around_its_lines_with_numbers_and_highlighting() -> None:
    root = _json_module()
    loc = CodeLocation("decoder.py", 40, 44, None)
    chunk = Chunk("c", "d", 0, "", Span(str(root), Kind.CODE, loc))
    doc = Document("d", str(root), Kind.CODE, "json", [chunk])
    shown = excerpt(doc, chunk)
    source = (root / "decoder.py").read_text().splitlines()
    assert shown.first_line == 40 - CONTEXT_LINES
    assert shown.lines == source[shown.first_line - 1 : 44 + CONTEXT_LINES]
    assert [shown.first_line + i for i in sorted(shown.marked)] == [40, 41, 42, 43, 44]
    assert shown.lexer == "python"
    syntax = render(shown, None)
    assert syntax.line_numbers and syntax.start_line == shown.first_line


def test_a_chat_passage_shows_time_and_speakers_of_the_messages_around_it() -> None:
    lines = [json.loads(line) for line in (CHAT / "locomo-4.jsonl").read_text().splitlines()[:5]]
    chunks = [
        Chunk(
            m["id"],
            "d",
            i,
            f"{m['speaker']}: {m['text']}",
            Span("locomo-4.jsonl", Kind.CHAT, ChatLocation((m["id"],), m["time"], m["time"], (m["speaker"],), ())),
        )
        for i, m in enumerate(lines)
    ]
    doc = Document("d", "locomo-4.jsonl", Kind.CHAT, "chat", chunks)
    shown = excerpt(doc, chunks[2])
    assert chunks[2].span.location.describe() in shown.title
    for c in chunks[0:5]:
        assert f"— {c.span.location.describe()}" in shown.lines
        assert c.text in shown.lines
    assert [shown.lines[i] for i in sorted(shown.marked)] == [f"— {chunks[2].span.location.describe()}", chunks[2].text]


def test_a_long_file_shows_only_the_window_around_the_passage(tmp_path: Path) -> None:
    big = tmp_path / "big.log"
    with big.open("w") as f:
        for n in range(1, 200_001):
            f.write(f"line {n}\n")
    chunk = Chunk("c", "d", 0, "line 10", Span(str(big), Kind.TEXT, TextLocation(10, 10)))
    doc = Document("d", str(big), Kind.TEXT, "big", [chunk])
    shown = excerpt(doc, chunk)
    assert shown.lines == [f"line {n}" for n in range(1, 10 + CONTEXT_LINES + 1)]


def test_follow_ups_carry_the_newest_turns_that_fit(tokenizer) -> None:  # type: ignore[no-untyped-def]
    earlier = [Exchange(f"question {n}?", f"answer {n}.") for n in range(1, 6)]
    assert with_history("And the second one?", [], tokenizer, 100) == "And the second one?"
    asked = with_history("And the second one?", earlier, tokenizer, 100)
    assert asked.endswith("Now answer: And the second one?")
    assert "Q: question 5?\nA: answer 5." in asked
    small = with_history("And the second one?", earlier, tokenizer, 20)
    assert "question 5?" in small and "question 1?" not in small
    assert tokenizer.count_tokens(small) < tokenizer.count_tokens(asked)
