"""Page text out of a PDF: cleaned per page, in parallel processes for big files."""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from lecto.ingest.pdf_spacing import Respacer

# pypdf's readings of a glyph the font maps to no character: its code as a control character
# (`She\x0eeld` is "Sheffield" with its ligature lost), a noncharacter, U+FFFD.
_UNMAPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ufffd]")
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# TeX sets an accent before its letter as a spacing glyph (`Jimen´ez`), which NFKC makes a space
# and a combining mark: the mark belongs on the letter after it.
_ACCENT = re.compile(f" ([{_MARKS}])([^\\W\\d_])")
_MARK_RUN = re.compile(f"[{_MARKS}]+")
# Shown where a glyph could not be read, so `f−1(U)` reads `f�1(U)`, never `f1(U)`.
PLACEHOLDER = "\ufffd"
# A page whose text is this much placeholders is not text at all (a font with no character map).
UNREADABLE_SHARE = 0.3
# Below this many pages a process pool costs more to start (~0.3 s) than it saves.
PARALLEL_PAGES = 48
# Pages a process reads per task: small tasks keep both cores busy to the end (a page of a
# statement takes ten times a page of prose) and the progress bar moving.
BATCH_PAGES = 16


@dataclass
class PageText:
    n: int  # 1-based
    text: str | None  # None: the page could not be read
    bomb: bool = False  # pypdf refused to inflate it past its limit
    ocr: bool = False  # the text was read from the page's image, not its text layer
    unmapped: int = 0  # glyphs the text layer maps to no character, shown as PLACEHOLDER
    missing: str = ""  # why it could not be read when an optional module is missing (pypdf's words)

    @property
    def unreadable(self) -> bool:
        """Mostly glyphs with no character: OCR reads it better than its text layer."""
        return bool(self.text) and self.unmapped >= UNREADABLE_SHARE * len("".join((self.text or "").split()))


def clean_page(text: str) -> str:
    """NFKC text with each unreadable glyph one PLACEHOLDER."""
    text = unicodedata.normalize("NFKC", text)
    text = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + m.group(1)), text)
    text = _UNMAPPED.sub(PLACEHOLDER, text)
    return _MARK_RUN.sub(lambda m: PLACEHOLDER if _stray(m) else m.group(), text)


def _stray(mark: re.Match[str]) -> bool:
    """Combining marks on nothing: after a symbol or a glyph with no character, or several after a space
    (one there is a spacing accent NFKC took apart: `¨` is a space and U+0308)."""
    before = mark.string[mark.start() - 1] if mark.start() else ""
    if before.isspace():
        return len(mark.group()) > 1
    return not before.isalnum() and before != "_"


def read_pages(path: Path, count: int, password: str, done: Callable[[int], None]) -> list[PageText]:
    """Every page's cleaned text, split across processes when the file is big; `done(n)` as pages finish."""
    if count < PARALLEL_PAGES or (os.cpu_count() or 1) < 2:
        respacer, pages = Respacer(), []
        with path.open("rb") as file:
            reader = _reader(file, password)
            for i in range(count):
                pages.append(_read_page(reader.pages[i], i + 1, respacer))
                done(i + 1)
        return pages
    starts = range(0, count, BATCH_PAGES)
    stops = [min(s + BATCH_PAGES, count) for s in starts]
    pages = []
    with ProcessPoolExecutor(min(os.cpu_count() or 1, 8)) as pool:
        for part in pool.map(_read_range, [path] * len(starts), [password] * len(starts), starts, stops):
            pages += part
            done(len(pages))
    return pages


@dataclass
class _Open:
    """The reader a page-reading process keeps between its tasks (one file at a time)."""

    key: tuple[Path, str]
    file: BinaryIO
    reader: Any


_open: _Open | None = None


def _read_range(path: Path, password: str, start: int, stop: int) -> list[PageText]:
    """Pages `start`..`stop` (0-based, exclusive) through this process's reader of the file.

    Each task has its own Respacer: which process reads which task is the pool's choice, and the
    text must not depend on it. The reader is kept for the next task (opening one walks the whole
    page tree: 0.1-0.2 s on a 300-page filing, ~1 s on 2,000 pages), but not what it read: pypdf
    keeps every object it reads (a filing's page ~0.1-0.2 MB), and the page tree is all that
    another task needs of it.
    """
    global _open  # noqa: PLW0603 - one per process, so that its tasks share the opened file
    if _open is None or _open.key != (path, password):
        file = path.open("rb")
        _open = _Open((path, password), file, _reader(file, password))
    respacer = Respacer()
    try:
        return [_read_page(_open.reader.pages[i], i + 1, respacer) for i in range(start, stop)]
    finally:
        _open.reader.resolved_objects.clear()


def _reader(file: BinaryIO, password: str) -> Any:
    """A reader of the open `file`, reading it as pages need it: given a path, pypdf first reads the
    whole file into memory (17 MB for 2,000 pages of filings), in every page-reading process."""
    from pypdf import PdfReader

    quiet_pypdf()
    reader = PdfReader(file)
    if reader.is_encrypted:
        reader.decrypt(password)
    return reader


def _read_page(page: Any, n: int, respacer: Respacer) -> PageText:
    # Here, not at the top: they import pypdf (0.3 s), which a PDF already in the cache never needs.
    from pypdf.errors import DependencyError, LimitReachedError

    from lecto.ingest.pdf_content import fast_contents
    from lecto.ingest.pdf_text import page_text

    try:
        with fast_contents(page):
            text = respacer.best(page, page_text(page) or "")
    except LimitReachedError:  # pypdf stops inflating at its limit, so memory stays bounded
        return PageText(n, None, bomb=True)
    except DependencyError as e:  # a decoder pypdf leaves optional (Brotli): the user can install it
        return PageText(n, None, missing=str(e))
    except Exception:  # noqa: BLE001 - one bad page must not cost the document; the caller reports it
        return PageText(n, None)
    text = clean_page(text)
    return PageText(n, text, unmapped=text.count(PLACEHOLDER))


def quiet_pypdf() -> None:
    # pypdf logs every recoverable oddity; they are ours to report, not the user's terminal's.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
