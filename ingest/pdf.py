"""PDFs through pypdf: text per page, chunks that never cross a page, page labels kept."""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path
from typing import Any, ClassVar

from lecto.data import Kind, PageLocation
from lecto.errors import SourceError
from lecto.ingest.chunking import pack_blocks
from lecto.ingest.registry import Parsed, Piece, register_ingester

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HYPHENATED = re.compile(r"(\w)-\n(\w)")
_PARAGRAPH = re.compile(r"\n\s*\n")


def clean_page(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    return _HYPHENATED.sub(r"\1\2", text)


def page_blocks(text: str) -> list[tuple[str, int, int]]:
    """Paragraphs where the layout marks them, else the page's lines joined into one block."""
    paragraphs = [p for p in _PARAGRAPH.split(text) if p.strip()]
    return [(" ".join(p.split()), 0, 0) for p in paragraphs]


@register_ingester
class PdfIngester:
    name: ClassVar[str] = "pdf"
    version: ClassVar[int] = 1
    kind: ClassVar[Kind] = Kind.PDF
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        if b"%PDF-" in head[:1024]:
            return True
        if path.suffix.lower() == ".pdf":
            raise SourceError("not a PDF (no %PDF header)", source=str(path))
        return False

    def parse(self, path: Path, source: str) -> Parsed:
        from pypdf.errors import LimitReachedError

        reader, pages, labels = _open(path, source)
        pieces: list[Piece] = []
        failed: list[int] = []
        empty: list[int] = []
        bombs: list[int] = []
        for n, page in enumerate(pages, start=1):
            try:
                text = clean_page(page.extract_text() or "")
            except LimitReachedError:  # pypdf stops inflating at its limit, so memory stays bounded
                bombs.append(n)
                continue
            except Exception:  # noqa: BLE001 - one bad page must not cost the document
                failed.append(n)
                continue
            if not text.strip():
                empty.append(n)
            label = labels[n - 1] if n - 1 < len(labels) else None
            loc = PageLocation(n, label if label and label != str(n) else None)
            pieces += [Piece(chunk, loc) for chunk, _, _ in pack_blocks(page_blocks(text))]
        bombed = f"pages {_ranges(bombs)} inflate past pypdf's 75 MB limit (compression bomb?)" if bombs else ""
        if not pieces:
            raise SourceError(bombed or "no text layer on any page (scanned?)", source=source)
        warnings = [f"{source}: {bombed}"] if bombs else []
        if empty:
            warnings.append(f"{source}: no text on pages {_ranges(empty)} (scanned?)")
        if failed:
            warnings.append(f"{source}: could not read pages {_ranges(failed)}")
        return Parsed(title=_title(reader, source), pieces=pieces, warnings=warnings, meta={"pages": len(pages)})


def _open(path: Path, source: str) -> tuple[Any, list[Any], list[str]]:
    """The reader, its pages and their labels, or a `SourceError` saying why the file cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs every recoverable oddity; they are ours to report, not the user's terminal's.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError("encrypted PDF, and the empty password does not open it", source=source)
        return reader, list(reader.pages), list(reader.page_labels)
    except SourceError:
        raise
    # PyPdfError, not just PdfReadError: a damaged xref can trip pypdf's LimitReachedError (found by fuzzing).
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as e:
        raise SourceError(f"damaged or truncated PDF ({e})", source=source) from e


def _title(reader: object, source: str) -> str:
    meta = getattr(reader, "metadata", None)
    title = getattr(meta, "title", None) if meta else None
    return str(title) if title else Path(source).name


def _ranges(pages: list[int]) -> str:
    out: list[str] = []
    start = prev = pages[0]
    for p in pages[1:] + [0]:
        if p != prev + 1:
            out.append(str(start) if start == prev else f"{start}-{prev}")
            start = p
        prev = p
    return ", ".join(out)
