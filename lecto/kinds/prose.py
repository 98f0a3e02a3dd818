"""Units of prose, shared by the kinds that hold it (PDF pages, text files).

Compression keeps or drops sentences, and a line end closes one too: a PDF's lines are often
a table's cells or a heading. A grounded answer quotes whole sentences, which run across line
breaks (a PDF's or a wrapped paragraph's): only a blank line or a sentence's end closes one.
"""

from __future__ import annotations

import re

from lecto.data import Chunk
from lecto.kinds import Fields, Unit

_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n\s*\n")


class Prose(Fields):
    prose = True

    def units(self, chunk: Chunk) -> list[Unit]:
        return [Unit(a, b) for a, b in sentence_spans(chunk.text)]

    def answer_units(self, chunk: Chunk) -> list[Unit]:
        return [Unit(a, b) for a, b in _split(chunk.text, _SENTENCE_END)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Each sentence (or line) of `text` as a (start, end) character range, blanks left out."""
    return _split(text, _SENTENCE_GAP)


def _split(text: str, gaps: re.Pattern[str]) -> list[tuple[int, int]]:
    bounds = [0]
    for m in gaps.finditer(text):
        bounds += [m.start(), m.end()]
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if text[a:b].strip()]
