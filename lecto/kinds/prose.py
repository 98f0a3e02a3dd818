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
# Longest line read as a heading: section titles are a few words; a sentence cut by a blank line is longer.
_HEADING_CHARS = 80
_LINE = re.compile(r"\n")
# The most of a table's title and column heads shown over a quoted row.
_TABLE_HEAD_CHARS = 200


class Prose(Fields):
    prose = True

    def units(self, chunk: Chunk) -> list[Unit]:
        return [Unit(a, b) for a, b in sentence_spans(chunk.text)]

    def answer_units(self, chunk: Chunk) -> list[Unit]:
        return [Unit(a, b) for a, b in rows_apart(chunk.text, headed(chunk.text, _split(chunk.text, _SENTENCE_END)))]


def rows_apart(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A table's rows each a unit of their own: a row is a statement's line item with its figures
    ("Additions to property, plant and equipment (1,119 ) (1,028 ) (1,105 )"), and a table has no
    sentence ends, so it would otherwise be one unit, quoted as a run of other rows' numbers."""
    from lecto.ingest.pdf_tables import is_data_row, is_table  # lecto.ingest imports the kinds

    out: list[tuple[int, int]] = []
    for a, b in spans:
        if not is_table(text[a:b]):
            out.append((a, b))
            continue
        out += [(a + i, a + j) for i, j in _split(text[a:b], _LINE) if is_data_row(text[a + i : a + j])]
    return out


def table_head(text: str, start: int) -> str | None:
    """The title and column heads over the table row at `start` ("CONSOLIDATED STATEMENTS OF CASH FLOWS
    (In millions) 2019 2018 2017"): what says which figure is which year; None when the passage shows none."""
    from lecto.ingest.pdf_tables import is_data_row, is_row

    above = text[:start].split("\n")[:-1]
    # The nearest line of column heads above the row (a row of years, no label), and the title above it.
    heads = next((k for k in range(len(above) - 1, -1, -1) if is_row(above[k]) and not is_data_row(above[k])), None)
    if heads is None:
        return None
    title = heads
    while (
        title > 0
        and above[title - 1].strip()
        and not is_row(above[title - 1])
        and len(above[title - 1]) < _HEADING_CHARS
    ):
        title -= 1
    return " ".join(" ".join(above[title : heads + 1]).split())[-_TABLE_HEAD_CHARS:]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Each sentence (or line) of `text` as a (start, end) character range, blanks left out."""
    return _split(text, _SENTENCE_GAP)


def headed(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A heading (one short line without a sentence's end) joined to the sentence it heads: it names what
    that sentence is about ('2.5 Chunk Size' over 'We have chosen 64 MB'), and alone it answers nothing,
    so one that ends the text, heading what the next passage holds, is no unit at all."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and _is_heading(text[out[-1][0] : out[-1][1]]):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    if out and _is_heading(text[out[-1][0] : out[-1][1]]):
        out.pop()
    return out


def split_heading(unit: str) -> tuple[str | None, str]:
    """A unit as (its heading, the rest): ('2.5 Chunk Size', 'We have chosen 64 MB, …'); no heading, (None, unit)."""
    # headed() joins a heading only across a blank line: a sentence's first wrapped line is no heading.
    first, *rest = _BLANK_LINE.split(unit.strip(), maxsplit=1)
    if not rest or not rest[0].strip() or not _is_heading(first):
        return None, unit
    return _MARKDOWN_HEADING.sub("", first).strip(), rest[0].strip()


def heading_above(text: str, start: int) -> str | None:
    """The heading of the paragraph `start` lies in: a heading line of its own just above it; None if none."""
    paragraphs = _BLANK_LINE.split(text[:start])
    line = paragraphs[-2].strip() if len(paragraphs) > 1 else ""
    return _MARKDOWN_HEADING.sub("", line).strip() if line and _is_heading(line) else None


def section_above(text: str, start: int) -> str | None:
    """The heading of the section `start` lies in: the last numbered or Markdown heading above it in `text`.

    Inside a page, a short line of its own is as often a figure's label or an equation ("Time in
    seconds", "1 − v2/c2") as a heading: only a section's number or a Markdown heading's marks tell.
    """
    above = _BLANK_LINE.split(text[:start])[:-1]
    line = next((p.strip() for p in reversed(above) if _is_heading(p) and _SECTION.match(p.strip())), None)
    return _MARKDOWN_HEADING.sub("", line).strip() if line else None


_BLANK_LINE = re.compile(r"\n\s*\n")
# A section's number or a Markdown heading's marks before its title ("3.6 Backup Tasks", "I. KINEMATICAL PART").
_SECTION = re.compile(r"(?:#{1,6}|\d+(?:\.\d+)*\.?|[IVX]+\.)\s+[A-Z]")
# A Markdown heading's marks: "## Compost" is the heading "Compost".
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def _is_heading(unit: str) -> bool:
    line = _MARKDOWN_HEADING.sub("", unit.strip())
    if not line or "\n" in line or len(line) > _HEADING_CHARS or not line.isprintable():
        return False
    # A title starts with its number or word ('2.5 Chunk Size', 'Risk Factors'), and ends without a sentence's mark.
    return line[0].isalnum() and not line.endswith((".", "!", "?", ":", ";", ","))


def _split(text: str, gaps: re.Pattern[str]) -> list[tuple[int, int]]:
    bounds = [0]
    for m in gaps.finditer(text):
        bounds += [m.start(), m.end()]
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if text[a:b].strip()]
