"""PDFs through pypdf: text per page, chunks that never cross a page, page labels kept."""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from lecto.data import Kind
from lecto.errors import SourceError
from lecto.ingest.chunking import pack_blocks
from lecto.ingest.ocr import ocr_pages
from lecto.ingest.pdf_pages import PLACEHOLDER, PageText, clean_page, quiet_pypdf, read_pages
from lecto.ingest.pdf_tables import page_blocks
from lecto.ingest.pdf_tidy import tidy
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, Piece, Unit, register_ingester
from lecto.kinds.pdf import PageLocation


@register_ingester
class PdfIngester:
    name: ClassVar[str] = "pdf"
    version: ClassVar[int] = 8
    kind: ClassVar[Kind] = Kind.PDF
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        if b"%PDF-" in head[:1024]:
            return True
        if path.suffix.lower() == ".pdf":
            raise SourceError("not a PDF (no %PDF header)", source=str(path))
        return False

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        title, count, labels, password = _open(path, source, options.password or "")
        # The opening reader's pages refer back to it, so only a full collection frees them (~18 MB per
        # 1,000 pages), before the pages are read and the page-reading processes are forked from this one.
        gc.collect()
        pages = read_pages(path, count, password, partial(options.report, source, total=count, unit=Unit.PAGES))
        if options.ocr:
            _ocr(path, pages, password, source, options)
        tidy(pages)
        pieces: list[Piece] = []
        for page in pages:
            if page.text:
                label = labels[page.n - 1] if page.n - 1 < len(labels) else None
                loc = PageLocation(page.n, label if label and label != str(page.n) else None, page.ocr)
                blocks = [(block, 0, 0) for block in page_blocks(page.text)]
                pieces += [Piece(chunk, loc) for chunk, _, _ in pack_blocks(blocks)]
        warnings = _warnings(pages, source)
        if not pieces:
            raise SourceError(warnings[0].removeprefix(f"{source}: ") if warnings else "no text", source=source)
        # "locked": the cached text of a file its password guards is given out only for that password.
        meta = {"pages": count} | ({"locked": True} if password else {})
        return Parsed(title=title, pieces=pieces, warnings=warnings, meta=meta)


def check_password(path: Path, source: str, options: IngestOptions) -> None:
    """A `SourceError` when the password given does not open `path`, as a fresh parse would raise."""
    _open(path, source, options.password or "")


def _ocr(path: Path, pages: list[PageText], password: str, source: str, options: IngestOptions) -> None:
    """Give pages without a text layer the text OCR reads from them, marked as machine-read."""
    scanned = [p for p in pages if p.text is not None and (not p.text.strip() or p.unreadable)]
    if not scanned:
        return
    done = partial(options.report, f"{source} (OCR)", total=len(scanned), unit=Unit.PAGES)
    texts = ocr_pages(path, [p.n for p in scanned], password, source, done)
    for page in scanned:
        page.text, page.ocr = clean_page(texts[page.n]), True
        page.unmapped = page.text.count(PLACEHOLDER)


def _warnings(pages: list[PageText], source: str) -> list[str]:
    bombs = [p.n for p in pages if p.bomb]
    failed = [p.n for p in pages if p.text is None and not p.bomb and not p.missing]
    missing = [p for p in pages if p.missing]
    empty = [p.n for p in pages if p.text is not None and not p.text.strip()]
    ocr = [p.n for p in pages if p.ocr and p.text]
    out = []
    if ocr:
        out.append(f"{_pages(ocr)} read by OCR: machine-read text, may hold misread words")
    if empty and any(p.ocr for p in pages):
        out.append(f"no text on {_pages(empty)}, even by OCR (blank?)")
    elif empty and len(empty) == len(pages):
        out.append("no text layer on any page (scanned? --ocr reads it)")
    elif empty:
        out.append(f"no text on {_pages(empty)} (scanned? --ocr reads them)")
    out += _glyph_warnings(pages)
    if bombs:
        out.append(f"pages {_ranges(bombs)} inflate past pypdf's 75 MB limit (compression bomb?)")
    if failed:
        out.append(f"could not read {_pages(failed)}")
    if missing:
        out.append(f"could not read {_pages([p.n for p in missing])}: {missing[0].missing}")
    return [f"{source}: {w}" for w in out]


def _glyph_warnings(pages: list[PageText]) -> list[str]:
    """Pages whose text layer maps glyphs to no character: mostly (unreadable), or here and there."""
    lossy = [p for p in pages if p.unmapped and p.text]
    unreadable = [p.n for p in lossy if p.unreadable]
    some = [p.n for p in lossy if p.n not in unreadable]
    out = []
    if unreadable:
        them = "it" if len(unreadable) == 1 else "them"
        out.append(
            f"unreadable text layer on {_pages(unreadable)}: most glyphs map to no character (--ocr reads {them})"
        )
    if some:
        out.append(f"glyphs that map to no character on {_pages(some)}, shown as {PLACEHOLDER}")
    return out


def _open(path: Path, source: str, password: str) -> tuple[str, int, list[str], str]:
    """The title, the number of pages, their labels and the password that opened it ("" if none was needed).

    A `SourceError` says why the file cannot be read. The reader is not kept: it holds every page's
    objects (some 18 MB for 1,000 pages), and the pages are read by readers of their own.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    quiet_pypdf()
    try:
        with path.open("rb") as file:  # pypdf reads a file it opens itself whole into memory first
            reader = PdfReader(file)
            opened = _unlock(reader, password, source) if reader.is_encrypted else ""
            count, labels, title = len(reader.pages), list(reader.page_labels), _title(reader, source)
    except SourceError:
        raise
    except DependencyError as e:  # an optional decoder (Brotli) is missing: the file itself may be fine
        raise SourceError(f"needs an optional module pypdf lacks: {e}", source=source) from e
    # PyPdfError, not just PdfReadError: a damaged xref can trip pypdf's LimitReachedError (found by fuzzing).
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise SourceError(f"damaged or truncated PDF ({e})", source=source) from e
    return title, count, labels, opened


def _unlock(reader: Any, password: str, source: str) -> str:
    """The password that opens `reader`: the empty one where it works (one given is then moot), else `password`."""
    if reader.decrypt(""):
        return ""
    if password and reader.decrypt(password):
        return password
    if password:
        raise SourceError("wrong password for this encrypted PDF", source=source)
    raise SourceError(
        "encrypted PDF, and the empty password does not open it",
        source=source,
        hint="give its password with --password or LECTO_PDF_PASSWORD",
    )


def _title(reader: object, source: str) -> str:
    meta = getattr(reader, "metadata", None)
    title = getattr(meta, "title", None) if meta else None
    return str(title) if title else Path(source).name


def _pages(pages: list[int]) -> str:
    return f"page {pages[0]}" if len(pages) == 1 else f"pages {_ranges(pages)}"


def _ranges(pages: list[int]) -> str:
    out: list[str] = []
    start = prev = pages[0]
    for p in pages[1:] + [0]:
        if p != prev + 1:
            out.append(str(start) if start == prev else f"{start}-{prev}")
            start = p
        prev = p
    return ", ".join(out)
