"""What the source viewer shows for a passage: the passage in its context, read lazily.

A PDF passage is shown with the rest of its page, a file's lines with the lines around them
(read straight from the file, only as far as needed, so a 200 MB log opens at once), a chat
passage with the messages before and after it. The passage's own lines are marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from lecto.data import ChatLocation, Chunk, CodeLocation, Corpus, Document, Kind, PageLocation, Span, TextLocation

# Lines of a file shown above and below a passage: enough to read it in context on one screen.
CONTEXT_LINES = 12
# Chat passages shown on each side of the cited one.
CONTEXT_PASSAGES = 2


@dataclass(frozen=True)
class Excerpt:
    title: str
    lines: list[str]
    first_line: int  # the number of lines[0] in its file; 0 when lines are not numbered
    marked: frozenset[int]  # indexes into `lines` of the passage itself
    lexer: str | None = None  # a Pygments lexer name for code, None for prose


def locate(corpus: Corpus, span: Span, text: str | None = None) -> tuple[Document, Chunk] | None:
    """The document and chunk a span names, preferring the chunk whose text is `text`."""
    for doc in corpus.documents:
        matches = [c for c in doc.chunks if c.span == span]
        if matches:
            exact = [c for c in matches if c.text == text]
            return doc, (exact or matches)[0]
    return None


def excerpt(doc: Document, chunk: Chunk) -> Excerpt:
    return _BY_KIND[doc.kind](doc, chunk)


def _page(doc: Document, chunk: Chunk) -> Excerpt:
    loc = chunk.span.location
    assert isinstance(loc, PageLocation)
    lines: list[str] = []
    marked: set[int] = set()
    for c in doc.chunks:
        if isinstance(c.span.location, PageLocation) and c.span.location.page == loc.page:
            if lines:
                lines.append("")
            start = len(lines)
            lines += c.text.splitlines()
            if c.id == chunk.id:
                marked.update(range(start, len(lines)))
    return Excerpt(f"{Path(doc.source).name} — {loc.describe()}", lines, 0, frozenset(marked))


def _file_lines(doc: Document, chunk: Chunk) -> Excerpt:
    loc = chunk.span.location
    assert isinstance(loc, (TextLocation, CodeLocation))
    path = _file(doc.source, loc)
    first = max(1, loc.start_line - CONTEXT_LINES)
    lines = _read_lines(path, first, loc.end_line + CONTEXT_LINES)
    if lines is None:  # standard input, or a file gone since it was read: the passage alone
        first, lines = loc.start_line, chunk.text.splitlines()
    marked = frozenset(n - first for n in range(loc.start_line, loc.end_line + 1) if 0 <= n - first < len(lines))
    lexer = _lexer(path) if doc.kind is Kind.CODE else None
    return Excerpt(f"{Path(doc.source).name} — {loc.describe()}", lines, first, marked, lexer)


def _chat(doc: Document, chunk: Chunk) -> Excerpt:
    around = doc.chunks[max(0, chunk.ord - CONTEXT_PASSAGES) : chunk.ord + CONTEXT_PASSAGES + 1]
    lines: list[str] = []
    marked: set[int] = set()
    for c in around:
        if lines:
            lines.append("")
        start = len(lines)
        lines += [f"— {c.span.location.describe()}", *c.text.splitlines()]
        if c.id == chunk.id:
            marked.update(range(start, len(lines)))
    loc = chunk.span.location
    assert isinstance(loc, ChatLocation)
    return Excerpt(f"{Path(doc.source).name} — {loc.describe()}", lines, 0, frozenset(marked))


_BY_KIND: dict[Kind, Callable[[Document, Chunk], Excerpt]] = {
    Kind.PDF: _page,
    Kind.TEXT: _file_lines,
    Kind.CODE: _file_lines,
    Kind.CHAT: _chat,
}


def _file(source: str, loc: TextLocation | CodeLocation) -> Path:
    root = Path(source)
    if isinstance(loc, CodeLocation) and root.is_dir():
        return root / loc.path
    return root


def _read_lines(path: Path, first: int, last: int) -> list[str] | None:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\r\n") for line in islice(f, first - 1, last)]
    except OSError:
        return None


def _lexer(path: Path) -> str:
    from rich.syntax import Syntax

    return Syntax.guess_lexer(str(path))
