"""PDF clean-up on PDFs built here, read by the real parser: running lines wherever the text layer puts
them, pages that repeat, glyphs with no character, line-end hyphens, a missing optional decoder."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PAPERS
from lecto.errors import SourceError
from lecto.ingest.pdf import PdfIngester
from lecto.ingest.registry import Parsed

# A ToUnicode map for codes 0x20-0x7E as themselves; tests add the codes that map to no character.
_IDENTITY = b"1 beginbfrange <20> <7E> <0020> endbfrange"


@dataclass(frozen=True)
class Line:
    x: int
    y: int
    text: bytes


def pdf_bytes(pages: list[list[Line]], to_unicode: bytes | None = None, filters: bytes = b"") -> bytes:
    """A PDF whose pages draw `pages`' lines in the order given, in Helvetica (with `to_unicode` as its map)."""
    objects: list[bytes] = [b"", b"", b""]  # 1 catalog, 2 page tree, 3 font
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
    if to_unicode is not None:
        cmap = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n" + to_unicode + b"\nendcmap\n"
            b"CMapName currentdict /CMap defineresource pop end end"
        )
        objects.append(_stream(cmap))
        font += b" /ToUnicode %d 0 R" % len(objects)
    objects[2] = font + b" >>"
    kids = []
    for lines in pages:
        content = b"\n".join(b"BT /F1 10 Tf %d %d Td (%s) Tj ET" % (ln.x, ln.y, ln.text) for ln in lines)
        objects.append(_stream(content, filters))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents %d 0 R >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    out = b"%PDF-1.7\n"
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"


def parse(tmp_path: Path, data: bytes) -> Parsed:
    path = tmp_path / "built.pdf"
    path.write_bytes(data)
    return PdfIngester().parse(path, path.name)


def page_texts(parsed: Parsed) -> dict[int, str]:
    out: dict[int, str] = {}
    for piece in parsed.pieces:
        page = piece.location.page  # type: ignore[union-attr]
        out[page] = f"{out[page]} {piece.text}" if page in out else piece.text
    return out


def body(lines: list[str], top: int = 700) -> list[Line]:
    return [Line(72, top - 14 * i, text.encode()) for i, text in enumerate(lines)]


def book_page(n: int, lines: list[str], chapter: str) -> list[Line]:
    """A printed book's page as its text layer draws it: the body, then the running head, then the margin numbers."""
    head = f"{n} FREE CULTURE" if n % 2 == 0 else f"{chapter} {n}"
    numbers = [Line(40, 700 - 14 * i, b"%d" % (i + 1)) for i in range(6)]
    return body(lines) + [Line(72, 760, head.encode())] + numbers


FILMS = ["Steamboat Willie", "Plane Crazy", "Gallopin' Gaucho", "College", "Sherlock Jr.", "The General"]


def book(pages: int, chapters: list[str]) -> bytes:
    lines = ["{0} (take {1}) is a di-", "rect descendant of film {2},", "which Buster Keaton made in 19{1}."]
    per_chapter = -(-pages // len(chapters))
    return pdf_bytes(
        [
            book_page(n, [ln.format(FILMS[n % 6], n * n, n * 7 % 12) for ln in lines], chapters[(n - 1) // per_chapter])
            for n in range(1, pages + 1)
        ]
    )


@pytest.mark.parametrize(
    ("pages", "chapters", "page", "text"),
    [
        # the title on even pages, one chapter's on odd ones
        (12, ["CHAPTER ONE: CREATORS"], 6, "Steamboat Willie (take 36) is a direct descendant of film 6, which"),
        # each chapter's head on a third of the odd pages
        (24, ["PIRACY", "PROPERTY", "PUZZLES"], 7, "Plane Crazy (take 49) is a direct descendant of film 1, which"),
    ],
)
def test_book_heads_and_margin_numbers_go_wherever_they_sit(
    tmp_path: Path, pages: int, chapters: list[str], page: int, text: str
) -> None:
    made = f" Buster Keaton made in 19{page * page}."
    assert page_texts(parse(tmp_path, book(pages, chapters)))[page] == text + made


def test_pages_that_all_repeat_keep_their_text(tmp_path: Path) -> None:
    page = body(["The same notice on every page.", "Keep this form for your records."])
    texts = page_texts(parse(tmp_path, pdf_bytes([page] * 5)))
    assert texts == {n: "The same notice on every page. Keep this form for your records." for n in range(1, 6)}


def test_a_glyph_with_no_character_is_shown_and_its_page_named(tmp_path: Path) -> None:
    pages = [body([f"Page {n} is plain."]) for n in (1, 2)] + [body([r"The preimage f\0011\(U\) is open."])]
    parsed = parse(tmp_path, pdf_bytes(pages, _IDENTITY + b"\n1 beginbfchar <01> <0000> endbfchar"))
    assert (page_texts(parsed)[3], parsed.warnings) == (
        "The preimage f\ufffd1(U) is open.",
        ["built.pdf: glyphs that map to no character on page 3, shown as \ufffd"],
    )


def test_a_text_layer_of_noncharacters_is_called_unreadable(tmp_path: Path) -> None:
    cmap = _IDENTITY + b"\n2 beginbfchar <01> <FFFF> <02> <0301> endbfchar"
    pages = [body(["A readable page."]), body([b"\001\002\001\002\001\002 \001\001\002".decode()])]
    parsed = parse(tmp_path, pdf_bytes(pages, cmap))
    unreadable = "unreadable text layer on page 2: most glyphs map to no character (--ocr reads it)"
    assert parsed.warnings == [f"built.pdf: {unreadable}"]


@pytest.mark.parametrize(
    ("lines", "read"),
    [
        (["It was a nineteenth-", "century idea; the century before had none."], "It was a nineteenth-century idea;"),
        (["The work is distri-", "buted over many machines."], "The work is distributed over"),
        (["The data-", "base keeps a database of data."], "The database keeps"),
    ],
)
def test_a_line_end_hyphen_goes_only_where_the_document_agrees(tmp_path: Path, lines: list[str], read: str) -> None:
    others = body(["By the nineteenth year the garden was open to all."])
    assert page_texts(parse(tmp_path, pdf_bytes([body(lines), others])))[1].startswith(read)


@pytest.mark.skipif(importlib.util.find_spec("brotli") is not None, reason="about a missing Brotli decoder")
def test_a_missing_optional_decoder_names_itself(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="could not read page 1: brotli is required for BrotliDecode"):
        parse(tmp_path, pdf_bytes([body(["Squeezed."])], filters=b" /Filter /BrotliDecode"))


def test_a_lost_ligature_in_a_real_paper_is_shown_not_dropped() -> None:
    okapi = PAPERS / "okapi-at-trec3.pdf"
    parsed = PdfIngester().parse(okapi, okapi.name)
    assert "She/\ufffdeld" in page_texts(parsed)[1]  # the paper sets "/" before many glyphs
