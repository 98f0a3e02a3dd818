"""PDF ingest on the shared papers: page text, word spaces, clean-up, and clear errors for files it cannot read."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import PAPERS
from lecto.errors import SourceError
from lecto.ingest.pdf import PdfIngester
from lecto.ingest.pdf_pages import PageText
from lecto.ingest.pdf_tidy import drop_running_lines

GFS = PAPERS / "the-google-file-system.pdf"
BIGTABLE = PAPERS / "bigtable-a-distributed-storage-system-for-structured-data.pdf"
SCANNED = PAPERS / "a-hundred-impossibility-proofs-for-distributed-computing.pdf"
PAXOS = PAPERS / "paxos-made-simple.pdf"


@pytest.fixture(scope="module")
def gfs() -> list[tuple[int, str]]:
    parsed = PdfIngester().parse(GFS, GFS.name)
    return [(p.location.page, p.text) for p in parsed.pieces]  # type: ignore[union-attr]


def test_gfs_page_3_holds_the_chunk_size(gfs: list[tuple[int, str]]) -> None:
    assert any("64 MB" in text for page, text in gfs if page == 3)


@pytest.mark.parametrize("phrase", ["On the other hand", "chunk index"])
def test_gfs_words_are_spaced(gfs: list[tuple[int, str]], phrase: str) -> None:
    assert any(phrase in text for _, text in gfs)


def test_bigtable_text_is_clean() -> None:
    parsed = PdfIngester().parse(BIGTABLE, BIGTABLE.name)
    text = "\n".join(p.text for p in parsed.pieces)
    assert "files" in text
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)


def test_running_headers_are_dropped() -> None:
    topics = ["leases", "chunks", "replicas", "snapshots", "garbage", "logs"]
    pages = [PageText(n, f"Journal of Things, vol. 3\non {t}\nwe use {t}\n{n}") for n, t in enumerate(topics, 1)]
    drop_running_lines(pages)
    assert [p.text for p in pages] == [f"on {t}\nwe use {t}" for t in topics]


def test_scanned_pdf_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match="no text layer"):
        PdfIngester().parse(SCANNED, SCANNED.name)


def test_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(PAPERS / "paxos-made-simple.pdf"))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    with pytest.raises(SourceError, match="encrypted"):
        PdfIngester().parse(locked, locked.name)


def test_empty_password_opens(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(PAPERS / "paxos-made-simple.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    opened = tmp_path / "owner-only.pdf"
    writer.write(opened)
    assert PdfIngester().parse(opened, opened.name).pieces


def test_truncated_pdf_is_a_clear_error(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(BIGTABLE.read_bytes()[:3000])
    with pytest.raises(SourceError, match="damaged or truncated|could not read|no text"):
        PdfIngester().parse(cut, cut.name)


# `lecto ask` as the entry point runs it, saying at its end whether pypdf was imported.
_ASK_SAYING_PYPDF = """
import sys
from lecto.__main__ import run
sys.argv = ["lecto", *sys.argv[1:]]
try:
    run()
finally:
    print("pypdf imported:", "pypdf" in sys.modules, file=sys.stderr)
"""


def test_an_ask_on_a_pdf_already_cached_does_not_import_pypdf(lecto) -> None:  # type: ignore[no-untyped-def]
    asked = [str(PAXOS), "What does a proposer send to the acceptors?"]
    assert lecto("ask", "--dry-run", *asked).returncode == 0  # parses the PDF into the cache
    r = subprocess.run([sys.executable, "-c", _ASK_SAYING_PYPDF, "ask", *asked], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[-1] == "pypdf imported: False"
