"""Page text read fast is the text pypdf reads: the content stream's operations, and pages read in parallel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, DecodedStreamObject

from conftest import PAPERS
from lecto.ingest import pdf_pages
from lecto.ingest.pdf_content import FastContentStream, fast_contents
from lecto.ingest.pdf_pages import read_pages
from lecto.ingest.pdf_text import page_text

GFS = PAPERS / "the-google-file-system.pdf"  # TeX, glued words re-read with spaces
BIGTABLE = PAPERS / "bigtable-a-distributed-storage-system-for-structured-data.pdf"
DYNAMO = PAPERS / "dynamo-amazons-highly-available-key-value-store.pdf"
CHUBBY = PAPERS / "the-chubby-lock-service-for-loosely-coupled-distributed-systems.pdf"


def _typed(operations: list[tuple[Any, bytes]]) -> list[tuple[str, bytes]]:
    """Operations with each operand's type, so that 1 and 1.0, or a name and a string, differ."""
    return [(repr([(type(o).__name__, o) for o in operands]), operator) for operands, operator in operations]


def _both(data: bytes) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    stream = DecodedStreamObject()
    stream.set_data(data)
    pypdf_own = ContentStream(stream, None, "bytes").operations
    return _typed(pypdf_own), _typed(FastContentStream(stream, None, "bytes").operations)


@pytest.mark.parametrize("paper", [GFS, BIGTABLE], ids=lambda p: p.stem[:12])
def test_every_page_has_the_operations_pypdf_reads(paper: Path) -> None:
    reader = PdfReader(paper)
    for page in reader.pages:
        content = page["/Contents"].get_object()
        theirs = ContentStream(content, reader, "bytes").operations
        assert _typed(FastContentStream(content, reader, "bytes").operations) == _typed(theirs)


@pytest.mark.parametrize(
    "data",
    [
        rb"BT /F1 9.96 Tf 72 700 Td [(Chunk)-333(Size)]TJ ET",
        rb"/Span <</MCID 3 /ActualText (x)>> BDC (a\(b\) \\ \101\12 3) Tj EMC",  # a dictionary, escapes
        rb"(nested (paren) string) Tj (line\
continued) Tj (\477 over 255) Tj",
        b"% a comment\n1 0 0 1 0 0 cm %another\r(x) Tj",
        rb"1.5-2 --3 1,5 . 12345678901234567890123 Td",  # runs pypdf reads as odd numbers, one too long
        rb"/A#20B /caf\xc3\xa9 /Empty/ Tf <48 65 6C6C6F 7> Tj [<4142> 10 /N (s)] TJ",
        b"q 1 0 0 1 0 0 cm BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI Q",  # an inline image
        rb"[1 true null (a)] TJ 0 0 R",  # what only pypdf's read_object reads
    ],
)
def test_odd_tokens_are_read_as_pypdf_reads_them(data: bytes) -> None:
    pypdf_own, fast = _both(data)
    assert fast == pypdf_own


def test_a_page_is_left_as_it_was() -> None:
    page = PdfReader(GFS).pages[0]
    before = page.raw_get("/Contents")
    with fast_contents(page):
        page.extract_text()
    assert page.raw_get("/Contents") is before


def test_pages_read_in_parallel_are_the_pages_read_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "papers.pdf"
    writer = PdfWriter()
    for paper in (BIGTABLE, DYNAMO, CHUBBY, GFS):  # 61 pages: past PARALLEL_PAGES, four tasks and more
        for page in PdfReader(paper).pages:
            writer.add_page(page)
    writer.write(pdf)
    count = len(writer.pages)
    parallel = read_pages(pdf, count, "", lambda n: None)
    monkeypatch.setattr(pdf_pages, "PARALLEL_PAGES", count + 1)
    assert parallel == read_pages(pdf, count, "", lambda n: None)


def test_a_page_reader_keeps_nothing_of_the_pages_it_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays flat over a long file: a page-reading process keeps its reader, not what it read."""
    monkeypatch.setattr(pdf_pages, "_open", None)
    first = pdf_pages._read_range(BIGTABLE, "", 0, 4)
    reader = pdf_pages._open.reader  # type: ignore[union-attr]
    assert pdf_pages._read_range(BIGTABLE, "", 4, 8) and pdf_pages._open.reader is reader  # type: ignore[union-attr]
    assert first and reader.resolved_objects == {}


COCA_COLA = PAPERS.parent / "filings" / "COCACOLA_2017_10K.pdf"  # a glyph per Td and Tj


@pytest.mark.parametrize("pdf", [GFS, BIGTABLE, DYNAMO, COCA_COLA], ids=lambda p: p.stem[:12])
def test_page_text_is_the_text_pypdf_extracts(pdf: Path) -> None:
    mine, theirs = PdfReader(pdf), PdfReader(pdf)
    for n in range(min(len(mine.pages), 20)):
        assert page_text(mine.pages[n]) == theirs.pages[n].extract_text()
