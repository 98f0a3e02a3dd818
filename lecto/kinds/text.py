"""Text files: passages located by lines, narrowed to the lines a quote spans, shown from the file.

The viewer reads a passage's surroundings straight from the file, only as far as needed, so a
200 MB log opens at once. Code (lecto/kinds/code.py) is located, narrowed and shown the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any

from lecto.data import Chunk, Document, Kind, Location
from lecto.kinds import Excerpt, RankWeights, register_kind
from lecto.kinds.prose import Prose

# Lines of a file shown above and below a passage: enough to read it in context on one screen.
CONTEXT_LINES = 12


@dataclass(frozen=True)
class TextLocation(Location):
    start_line: int
    end_line: int

    def to_json(self) -> dict[str, Any]:
        return {"start_line": self.start_line, "end_line": self.end_line}

    def describe(self) -> str:
        return f"line {self.start_line}" if self.start_line == self.end_line else f"lines {line_range(self)}"


def line_range(location: Location) -> str:
    """A location's lines as a citation writes them: "17" for one line, "16-17" for more."""
    first, last = location.start_line, location.end_line  # type: ignore[attr-defined]
    return str(first) if first == last else f"{first}-{last}"


class Lines:
    """Narrowing and showing for a kind located by `start_line`/`end_line` of a file."""

    def narrow(self, location: Location, passage: str, start: int, end: int) -> Location:
        # Text chunks join paragraphs with one blank line whatever the file had; lines map back only
        # when the passage has exactly as many lines as the range it names.
        first_line, last_line = location.start_line, location.end_line  # type: ignore[attr-defined]
        if passage.count("\n") != last_line - first_line:
            return location
        first = first_line + passage.count("\n", 0, start)
        last = first_line + passage.count("\n", 0, max(start, end - 1))
        return replace(location, start_line=first, end_line=last)  # type: ignore[type-var]

    def excerpt(self, doc: Document, chunk: Chunk) -> Excerpt:
        """The passage's lines with those around them, read from the file; the passage alone if it cannot be read."""
        loc = chunk.span.location
        path = self.file(doc.source, loc)
        start_line, end_line = loc.start_line, loc.end_line  # type: ignore[attr-defined]
        first = max(1, start_line - CONTEXT_LINES)
        lines = _read_lines(path, first, end_line + CONTEXT_LINES)
        if lines is None:  # standard input, or a file gone since it was read
            first, lines = start_line, chunk.text.splitlines()
        marked = frozenset(n - first for n in range(start_line, end_line + 1) if 0 <= n - first < len(lines))
        return Excerpt(f"{Path(doc.source).name} — {loc.describe()}", lines, first, marked, self.lexer(path))

    def file(self, source: str, location: Location) -> Path:
        return Path(source)

    def lexer(self, path: Path) -> str | None:
        return None


@register_kind(Kind.TEXT)
class Text(Lines, Prose):
    location = TextLocation
    # As on PDF pages (lecto/kinds/pdf.py). Beside code, prose files (READMEs, docs) count half:
    # the question is about the code, which a README only describes.
    weights = RankWeights(dense=0.3, answer=0.5, beside_code=0.5)


def _read_lines(path: Path, first: int, last: int) -> list[str] | None:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\r\n") for line in islice(f, first - 1, last)]
    except OSError:
        return None
