"""Compress mode at 4×: the evidence a question needs survives pruning in chat, code and papers.

The input is what bench/compress.py gives it: the passages a retrieve plan holds at 8K
tokens (ranked by BM25 alone, so no embedding model is loaded), pruned to a quarter.
"""

from __future__ import annotations

import json
import sysconfig
from pathlib import Path

import pytest

from conftest import CHAT, PAPERS
from lecto.backends import ModelOptions
from lecto.context.compress import GAP, CompressOptions, compress
from lecto.context.modes.retrieve import best
from lecto.context.rank import rank
from lecto.context.tokens import count_corpus
from lecto.data import Selected
from lecto.session import Session, Settings

HTTP = Path(sysconfig.get_paths()["stdlib"]) / "http"
TELEGRAM = CHAT / "locomo-3.telegram.json"
INPUT = 8192
RATIO = 4


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    return Session(Settings(cache_dir=tmp_path_factory.mktemp("cache"), model=ModelOptions(None)))


def _compressed(session: Session, source: Path, question: str) -> list[Selected]:
    chunks = count_corpus(session.load([str(source)], {}), session.backend, session.store)
    ranked = rank(question, chunks, session.store, dense=False).hits
    read = best(ranked, chunks, INPUT)
    ids = {s.chunk.id for s in read}
    budget = sum(s.tokens + s.chunk.header_tokens for s in read) // RATIO
    options = CompressOptions(budget)
    out = compress(question, [r for r in ranked if r.chunk.id in ids], chunks, options, session.backend)
    assert sum(s.tokens + s.chunk.header_tokens for s in out) <= budget
    return out


def _kept(selected: list[Selected]) -> str:
    return "\n".join(s.text for s in selected)


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        # `_MAXHEADERS` says "maximum" and "headers" only inside its name.
        ("What is the maximum number of headers http.client accepts in a response?", "_MAXHEADERS = 100"),
        ("Which method of HTTPResponse reads and parses the status line?", "def _read_status(self):"),
    ],
)
def test_code_keeps_the_line_whose_name_answers(session: Session, question: str, evidence: str) -> None:
    assert evidence in _kept(_compressed(session, HTTP, question))


@pytest.mark.parametrize(
    ("paper", "question", "evidence"),
    [
        # The sentence names none of the question's words; it states the duration asked for.
        (
            "mapreduce-simplified-data-processing-on-large-clusters.pdf",
            "How long did the sort program take with normal execution in the MapReduce paper?",
            "takes 891 seconds",
        ),
        # The sentence after "Chunk size is one of the key design parameters" states the size.
        ("the-google-file-system.pdf", "What chunk size does GFS use?", "We have chosen 64 MB"),
    ],
)
def test_prose_keeps_the_sentence_stating_the_kind_of_answer_asked_for(
    session: Session, paper: str, question: str, evidence: str
) -> None:
    assert evidence in " ".join(_kept(_compressed(session, PAPERS / paper, question)).split())


@pytest.mark.parametrize(
    "question",
    [
        # The question's words are spread over the message: one sentence of it is not the message.
        "What motivates Joanna to keep writing even on tough days?",
        # The message shares no word with the question; its date is the one asked about.
        "What dish did Nate make on 9 November, 2022?",
    ],
)
def test_chat_keeps_the_message_that_answers(session: Session, question: str) -> None:
    kept = _normal(_kept(_compressed(session, TELEGRAM, question)))
    assert all(_normal(message) in kept for message in _chat_evidence(question))


def _chat_evidence(question: str) -> list[str]:
    """The whole messages that hold the answer, as the corpus's question set names them."""
    for line in (CHAT / "chat.qa.jsonl").open():
        item = json.loads(line)
        if item["question"] == question:
            return list(item["evidence_text"])
    raise LookupError(question)


def _normal(text: str) -> str:
    return " ".join(text.split())


def _runs(s: Selected) -> list[tuple[int, int]]:
    """Where each kept run (the text between gap markers) sits in the chunk, in order."""
    out, pos = [], 0
    for run in s.text.split(GAP):
        start = s.chunk.text.index(run, pos)
        out.append((start, start + len(run)))
        pos = start + len(run)
    return out


def _whole_lines(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] == "\n") and text[end : end + 1] in ("", "\n")


def test_chat_is_pruned_to_whole_messages(session: Session) -> None:
    out = _compressed(session, TELEGRAM, "What motivates Joanna to keep writing even on tough days?")
    assert any(s.text != s.chunk.text for s in out)
    for s in out:
        for start, end in _runs(s):
            assert _whole_lines(s.chunk.text, start, end)
            # From a message's header to the end of its last (indented) continuation line.
            assert s.chunk.text[start] == "["
            assert not s.chunk.text[end + 1 : end + 3] == "  "


def test_code_is_pruned_to_whole_lines(session: Session) -> None:
    out = _compressed(session, HTTP, "What is the maximum number of headers http.client accepts in a response?")
    assert any(s.text != s.chunk.text for s in out)
    for s in out:
        assert all(_whole_lines(s.chunk.text, start, end) for start, end in _runs(s))
