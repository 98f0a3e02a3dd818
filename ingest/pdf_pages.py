"""Page text out of a PDF: cleaned per page, in parallel processes for big files, running headers dropped."""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecto.ingest.pdf_spacing import extract_spaced, glued_words, looks_glued

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HYPHENATED = re.compile(r"(\w)-\n(\w)")
_DIGITS = re.compile(r"\d+")
# Below this many pages a process pool costs more to start (~0.3 s) than it saves.
PARALLEL_PAGES = 48
# Each process re-opens the file per batch: a few batches per worker keep a progress bar moving at little cost.
BATCHES_PER_WORKER = 4
BATCH_PAGES = 16
# A line among a page's first or last few that recurs on this share of pages is a running header or footer.
EDGE_LINES = 2
RUNNING_SHARE = 0.6
RUNNING_MIN_PAGES = 4


@dataclass
class PageText:
    n: int  # 1-based
    text: str | None  # None: the page could not be read
    bomb: bool = False  # pypdf refused to inflate it past its limit
    ocr: bool = False  # the text was read from the page's image, not its text layer


def clean_page(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    return _HYPHENATED.sub(r"\1\2", text)


def read_pages(path: Path, count: int, password: str, done: Callable[[int], None]) -> list[PageText]:
    """Every page's cleaned text, split across processes when the file is big; `done(n)` as pages finish."""
    if count < PARALLEL_PAGES or (os.cpu_count() or 1) < 2:
        reader = _reader(path, password)
        pages = []
        for i in range(count):
            pages.append(_read_page(reader.pages[i], i + 1))
            done(i + 1)
        return pages
    workers = min(os.cpu_count() or 1, 8)
    step = max(BATCH_PAGES, -(-count // (workers * BATCHES_PER_WORKER)))
    starts = range(0, count, step)
    pages = []
    with ProcessPoolExecutor(workers) as pool:
        stops = [min(s + step, count) for s in starts]
        for part in pool.map(_read_range, [path] * len(starts), [password] * len(starts), starts, stops):
            pages += part
            done(len(pages))
    return pages


def _read_range(path: Path, password: str, start: int, stop: int) -> list[PageText]:
    reader = _reader(path, password)
    return [_read_page(reader.pages[i], i + 1) for i in range(start, stop)]


def _reader(path: Path, password: str) -> Any:
    from pypdf import PdfReader

    quiet_pypdf()
    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt(password)
    return reader


def _read_page(page: Any, n: int) -> PageText:
    from pypdf.errors import LimitReachedError

    try:
        text = page.extract_text() or ""
        if looks_glued(text):
            text = min(text, extract_spaced(page), key=glued_words)
    except LimitReachedError:  # pypdf stops inflating at its limit, so memory stays bounded
        return PageText(n, None, bomb=True)
    except Exception:  # noqa: BLE001 - one bad page must not cost the document; the caller reports it
        return PageText(n, None)
    return PageText(n, clean_page(text))


def quiet_pypdf() -> None:
    # pypdf logs every recoverable oddity; they are ours to report, not the user's terminal's.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def drop_running_lines(pages: list[PageText]) -> None:
    """Remove headers and footers: edge lines that recur, page numbers aside, on most pages."""
    texts = [p for p in pages if p.text]
    if len(texts) < RUNNING_MIN_PAGES:
        return
    seen = Counter(key for p in texts for key in {_key(line) for line in _edges(p.text or "")})
    running = {k for k, n in seen.items() if k and n >= RUNNING_SHARE * len(texts)}
    for p in texts:
        lines = (p.text or "").split("\n")
        edges = set(range(EDGE_LINES)) | set(range(len(lines) - EDGE_LINES, len(lines)))
        p.text = "\n".join(line for i, line in enumerate(lines) if i not in edges or _key(line) not in running)


def _edges(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()))
