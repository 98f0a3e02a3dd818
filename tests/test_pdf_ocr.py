"""`--ocr`: scanned pages read by ocrmypdf (or tesseract), kept on their page numbers, marked, cached.

The OCR tests skip where neither tool is installed (CI installs neither); the error for a
missing tool is tested everywhere, with PATH stripped of them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import PAPERS, ROOT
from lecto.ingest import pdf
from lecto.ingest.ocr import ocr_pages
from lecto.ingest.registry import IngestOptions
from lecto.ingest.sources import load_corpus
from lecto.kinds.pdf import PageLocation
from lecto.store import Store

SCANNED = PAPERS / "a-hundred-impossibility-proofs-for-distributed-computing.pdf"
PAXOS = PAPERS / "paxos-made-simple.pdf"
# Printed on the scanned paper's title page.
TITLE_WORD = "Lynch"

HAS_OCRMYPDF = shutil.which("ocrmypdf") is not None
HAS_TESSERACT = shutil.which("tesseract") is not None and shutil.which("gs") is not None
needs_ocr = pytest.mark.skipif(
    not (HAS_OCRMYPDF or HAS_TESSERACT), reason="no OCR tool on PATH (apt-get install ocrmypdf)"
)


def _pdf(pages: list[object], out: Path) -> Path:
    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)  # type: ignore[arg-type]
    writer.write(out)
    return out


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A text page, the scanned title page, another text page."""
    paxos, scanned = PdfReader(PAXOS).pages, PdfReader(SCANNED).pages
    return _pdf([paxos[0], scanned[0], paxos[1]], tmp_path / "mixed.pdf")


def _lecto_on_path(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m lecto ARGS` with PATH set to `path` alone: only the tools linked there exist."""
    env = {**os.environ, "PATH": str(path), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "lecto", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600
    )


@pytest.mark.parametrize("command", [["inspect"], ["ask", "--dry-run"], ["tui"]])
def test_ocr_without_the_tools_says_what_to_install(command: list[str], cache_dir: Path, tmp_path: Path) -> None:
    args = [*command, "--ocr", str(SCANNED)] + (["Who wrote it?"] if command[0] == "ask" else [])
    result = _lecto_on_path(tmp_path / "empty-bin", *args)
    assert result.returncode == 1
    assert result.stderr == (
        "lecto: --ocr needs ocrmypdf (or tesseract and ghostscript) on PATH, and none is there"
        " (apt install ocrmypdf, or brew install ocrmypdf)\n"
    )


def test_without_ocr_a_scanned_page_is_named_and_ocr_suggested(mixed: Path, tmp_path: Path) -> None:
    corpus = load_corpus([str(mixed)], Store(tmp_path / "cache"))
    assert corpus.warnings == [f"{mixed}: no text on page 2 (scanned? --ocr reads them)"]


@needs_ocr
def test_only_the_scanned_page_is_ocred_and_keeps_its_number(mixed: Path, tmp_path: Path) -> None:
    corpus = load_corpus([str(mixed)], Store(tmp_path / "cache"), IngestOptions(ocr=True))
    (doc,) = corpus.documents
    by_page: dict[int, list[PageLocation]] = {}
    for chunk in doc.chunks:
        assert isinstance(chunk.span.location, PageLocation)
        by_page.setdefault(chunk.span.location.page, []).append(chunk.span.location)
    assert sorted(by_page) == [1, 2, 3]
    assert all(loc.ocr == (page == 2) for page, locs in by_page.items() for loc in locs)
    assert any(TITLE_WORD in c.text for c in doc.chunks if c.span.location.page == 2)  # type: ignore[union-attr]
    assert doc.warnings == [f"{mixed}: page 2 read by OCR: machine-read text, may hold misread words"]
    assert doc.chunks[-1].span.describe().endswith("p. 3")


@needs_ocr
def test_a_second_run_takes_the_ocr_text_from_the_cache(
    mixed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[int]] = []

    def counting(path: Path, pages: list[int], *rest: object) -> dict[int, str]:
        calls.append(pages)
        return ocr_pages(path, pages, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf, "ocr_pages", counting)
    store = Store(tmp_path / "cache")
    first = load_corpus([str(mixed)], store, IngestOptions(ocr=True))
    again = load_corpus([str(mixed)], store, IngestOptions(ocr=True))
    plain = load_corpus([str(mixed)], store)
    assert calls == [[2]]
    assert [c.text for c in again.chunks] == [c.text for c in first.chunks]
    assert not any(TITLE_WORD in c.text for c in plain.chunks)  # without --ocr, the text layer alone


@needs_ocr
def test_the_scanned_paper_reads_with_ocr_from_the_command_line(lecto, tmp_path: Path) -> None:
    title = _pdf(PdfReader(SCANNED).pages[:1], tmp_path / "title.pdf")
    result = lecto("ask", "--dry-run", "--json", "--ocr", str(title), "Who wrote the hundred impossibility proofs?")
    assert result.returncode == 0, result.stderr
    (span,) = json.loads(result.stdout)["context"]["spans"]
    assert TITLE_WORD in span["text"] and span["location"] == {"page": 1, "ocr": True}
    assert f"lecto: warning: {title}: page 1 read by OCR" in result.stderr


@needs_ocr
def test_an_encrypted_scan_is_ocred_with_its_password(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=_pdf(PdfReader(SCANNED).pages[:1], tmp_path / "title.pdf"))
    writer.encrypt(user_password="scan-pw", algorithm="AES-256")
    locked = tmp_path / "locked-scan.pdf"
    writer.write(locked)
    corpus = load_corpus([str(locked)], Store(tmp_path / "cache"), IngestOptions(password="scan-pw", ocr=True))
    assert TITLE_WORD in " ".join(c.text for c in corpus.chunks)


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract or ghostscript is not installed")
def test_tesseract_reads_the_page_when_ocrmypdf_is_absent(cache_dir: Path, tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("tesseract", "gs"):
        (tools / tool).symlink_to(shutil.which(tool))  # type: ignore[arg-type]
    title = _pdf(PdfReader(SCANNED).pages[:1], tmp_path / "title.pdf")
    result = _lecto_on_path(tools, "inspect", "--json", "--ocr", str(title))
    assert result.returncode == 0, result.stderr
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["format"] == "pdf+ocr" and doc["chunks"] >= 1
    assert doc["warnings"] == [f"{title}: page 1 read by OCR: machine-read text, may hold misread words"]


@pytest.mark.slow
@needs_ocr
def test_the_whole_scanned_paper_reads_with_ocr(tmp_path: Path) -> None:
    corpus = load_corpus([str(SCANNED)], Store(tmp_path / "cache"), IngestOptions(ocr=True))
    pages = {c.span.location.page for c in corpus.chunks}  # type: ignore[union-attr]
    assert len(pages) >= 25 and max(pages) <= len(PdfReader(SCANNED).pages)
    assert TITLE_WORD in " ".join(c.text for c in corpus.chunks if c.span.location.page == 1)  # type: ignore[union-attr]
