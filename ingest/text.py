"""Plain text and Markdown: paragraphs packed into chunks, located by line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from lecto.data import Kind
from lecto.errors import SourceError
from lecto.ingest.chunking import pack_blocks
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, Piece, register_ingester
from lecto.kinds.text import TextLocation


def looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the end of the sniffed head is still text.
        return e.start >= len(head) - 3
    return True


def read_text(path: Path, source: str) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise SourceError("binary file, not text", source=source)
    return data.decode("utf-8", errors="replace")


def line_blocks(text: str) -> list[tuple[str, int, int]]:
    """Paragraphs (runs of non-blank lines) with their 1-based first and last line."""
    blocks: list[tuple[str, int, int]] = []
    current: list[str] = []
    start = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not current:
                start = n
            current.append(line.rstrip())
        elif current:
            blocks.append(("\n".join(current), start, n - 1))
            current = []
    if current:
        blocks.append(("\n".join(current), start, start + len(current) - 1))
    return blocks


@register_ingester
class TextIngester:
    name: ClassVar[str] = "text"
    version: ClassVar[int] = 1
    kind: ClassVar[Kind] = Kind.TEXT
    priority: ClassVar[int] = 100

    def accepts(self, path: Path, head: bytes) -> bool:
        return looks_like_text(head)

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        text = read_text(path, source)
        if not text.strip():
            raise SourceError("empty file, nothing to read", source=source)
        pieces = [Piece(chunk, TextLocation(first, last)) for chunk, first, last in pack_blocks(line_blocks(text))]
        return Parsed(title=Path(source).name, pieces=pieces)
