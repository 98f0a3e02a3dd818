"""The cache: parsed once, re-parsed on change, never half-written."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PAPERS
from lecto.ingest import load_corpus
from lecto.ingest.pdf import PdfIngester
from lecto.ingest.text import TextIngester
from lecto.store import Store


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every real parse (the real parser still runs)."""
    calls: list[str] = []
    for cls in (PdfIngester, TextIngester):
        original = cls.parse

        def spy(self, path, source, *options, _original=original):  # type: ignore[no-untyped-def]
            calls.append(source)
            return _original(self, path, source, *options)

        monkeypatch.setattr(cls, "parse", spy)
    return calls


def test_second_run_parses_nothing_and_changed_file_reparses(tmp_path: Path, parse_calls: list[str]) -> None:
    pdf = tmp_path / "gfs.pdf"
    shutil.copy(PAPERS / "the-google-file-system.pdf", pdf)
    note = tmp_path / "note.txt"
    note.write_text("The first version of the note.\n")
    store = Store(tmp_path / "cache")

    first = load_corpus([str(pdf), str(note)], store)
    assert sorted(parse_calls) == sorted([str(pdf), str(note)])

    parse_calls.clear()
    second = load_corpus([str(pdf), str(note)], Store(tmp_path / "cache"))
    assert parse_calls == []
    assert [c.text for c in second.chunks] == [c.text for c in first.chunks]

    note.write_text("The second version of the note says something else.\n")
    third = load_corpus([str(pdf), str(note)], Store(tmp_path / "cache"))
    assert parse_calls == [str(note)]
    assert "second version" in third.documents[1].chunks[0].text


def test_gfs_page_three_holds_the_chunk_size(tmp_path: Path) -> None:
    corpus = load_corpus([str(PAPERS / "the-google-file-system.pdf")], Store(tmp_path))
    page3 = " ".join(c.text for c in corpus.chunks if c.span.location.page == 3)  # type: ignore[union-attr]
    assert "64 MB" in page3


_INGEST_MANY = """
import sys
from lecto.ingest import load_corpus
from lecto.store import Store
store = Store(__import__("pathlib").Path(sys.argv[1]))
print("ready", flush=True)
load_corpus(sys.argv[2:], store)
"""


def _consistent(db: Path) -> list[tuple[str, int, int]]:
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT d.id, d.n_chunks, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.id) FROM documents d"
    ).fetchall()
    fts = con.execute("SELECT count(*) FROM chunks_fts").fetchone()[0]
    chunks = con.execute("SELECT count(*) FROM chunks").fetchone()[0]
    con.close()
    assert fts == chunks
    return rows


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5])
def test_killed_ingest_leaves_no_half_document(tmp_path: Path, delay: float) -> None:
    cache = tmp_path / "cache"
    papers = [str(p) for p in sorted(PAPERS.glob("*.pdf")) if not p.name.startswith("a-hundred")]
    proc = subprocess.Popen([sys.executable, "-c", _INGEST_MANY, str(cache), *papers], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    for _doc, expected, actual in _consistent(cache / "lecto.db"):
        assert expected == actual
    corpus = load_corpus(papers, Store(cache))
    assert len(corpus.documents) == len(papers)
    for _doc, expected, actual in _consistent(cache / "lecto.db"):
        assert expected == actual
