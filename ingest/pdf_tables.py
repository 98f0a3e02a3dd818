"""Tables on a PDF page kept as tables: one row a line, and every chunk of a table headed by its caption.

pypdf reads a statement's row as one line ("Capital expenditures (116) (131) (155)"). Joined
into a paragraph and cut every thousand characters, a table lost its rows' edges and, after its
first chunk, its title and years: the chunk holding "Capital expenditures" no longer said it was
the cash flow statement, nor which column is 2019. Here a table is cut between rows only, and
each chunk repeats the table's caption (the title lines above it and its column headers), so a
question naming the statement, the row and the year finds one chunk that shows all three. The
caption comes from the same page, so citing the chunk cites the right page.
"""

from __future__ import annotations

import re

from lecto.ingest.chunking import MAX_CHARS
from lecto.ingest.pdf_headings import line_width, paragraphs

# A table cell: an amount, a percentage, a bracketed negative (some layouts space its brackets:
# "( 276 )"), a dash for nil, "NM"; never a number ending in a comma ("December 31,"), which is
# a date in a sentence or a heading.
_CELL = r"(?:\$\s?|\(\s?)*-?\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s?\))?\s?%?\)?|[—–-]|NM|n/?m"
_CELLS = re.compile(rf"(?:^|\s)(?:{_CELL})(?:\s+(?:{_CELL}))*\s*$", re.IGNORECASE)
_CELL_RUN = re.compile(rf"(?:{_CELL})", re.IGNORECASE)
# A line that begins with two figures and goes on in words: the text layer drew a row's figures
# before the next row's label ("$7,637 $8,813 Short-term and other investments").
_LEADING = re.compile(rf"^((?:{_CELL})(?:\s+(?:{_CELL}))+)\s+(?=[^\W\d_(])", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_LETTER = re.compile(r"[^\W\d_]")
# A table has at least this many rows of two figures or more: prose lines end in one figure
# now and then ("in 2003"), hardly ever in two.
MIN_ROWS = 3
# Lines without figures a table may hold in a row ("Current assets:", a wrapped label).
MAX_GAP = 2
# A label line inside a table is short; a longer one is a sentence of prose.
SHORT = 100
# A caption line (a title, the column heads over several columns) is at most this long, and
# captions stop at a sentence's end above them.
CAPTION_WIDTH = 200
# The most a chunk repeats of a caption (a text layer may set a title a word a line).
CAPTION_CHARS = 300


def page_blocks(text: str) -> list[str]:
    """The page as blocks to pack into chunks: prose paragraphs joined, each table's chunks with its caption."""
    lines = _rows_rejoined([" ".join(line.split()) for line in text.split("\n")])
    width = line_width(lines)
    blocks: list[str] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        end = _table_end(lines, i)
        if end is None:
            prose.append(lines[i])
            i += 1
            continue
        caption = _caption(prose)
        del prose[len(prose) - len(caption) :]
        blocks += paragraphs(prose, width)
        prose = []
        blocks += table_chunks(caption, lines[i:end])
        i = end
    return blocks + paragraphs(prose, width)


def _rows_rejoined(lines: list[str]) -> list[str]:
    """Each row's figures back on its label's line, where the page drew them at the start of the next line."""
    if sum(_LEADING.match(line) is not None for line in lines) < MIN_ROWS:
        return lines
    out: list[str] = []
    for line in lines:
        match = _LEADING.match(line)
        if match and out:
            out[-1] = f"{out[-1]} {match.group(1)}".strip()
            line = line[match.end() :]
        out.append(line)
    return out


def is_row(line: str) -> bool:
    """A line ending in figures: a label and its numbers, or a header of years."""
    return bool(line) and _CELLS.search(line) is not None


def row_label(line: str) -> str:
    """A row's label: the line before its figures ("" where it has none: a caption, a wrapped label)."""
    match = _CELLS.search(line)
    return line[: match.start()] if match else ""


def is_table(text: str) -> bool:
    """Whether a chunk holds a table: MIN_ROWS lines of two figures or more."""
    return sum(_two_cells(line) for line in text.split("\n")) >= MIN_ROWS


def _two_cells(line: str) -> bool:
    match = _CELLS.search(line)
    return match is not None and len(_CELL_RUN.findall(match.group())) >= 2


def is_data_row(line: str) -> bool:
    """A row with a label and a figure that is not a year: where a table's body begins."""
    match = _CELLS.search(line)
    if match is None or not _LETTER.search(line[: match.start()]):
        return False
    return any(not _YEAR.match(c.strip("$() ")) for c in _CELL_RUN.findall(match.group()))


def _table_end(lines: list[str], start: int) -> int | None:
    """Where the table starting at `start` ends (exclusive), or None when no table starts there."""
    if not is_row(lines[start]):
        return None
    rows, gap, end = 0, 0, start
    for j in range(start, len(lines)):
        line = lines[j]
        if is_row(line):
            rows, gap, end = rows + _two_cells(line), 0, j + 1
        elif not line:
            continue  # some layouts leave a blank line between rows
        elif line and len(line) < SHORT and gap < MAX_GAP and not line.endswith("."):
            gap += 1
        else:
            break
    return end if rows >= MIN_ROWS else None


def _caption(prose: list[str]) -> list[str]:
    """The short lines above a table up to the prose before it (its title, units, column heads), nearest last."""
    caption: list[str] = []
    for line in reversed(prose):
        if len(line) >= CAPTION_WIDTH or line.endswith(".") or sum(map(len, caption)) > CAPTION_CHARS:
            break
        caption[:0] = [line] if line else []  # a title may stand a blank line above its table
    return caption


def table_chunks(caption: list[str], rows: list[str], max_chars: int = MAX_CHARS) -> list[str]:
    """The table cut between rows into chunks of at most `max_chars`, each headed by the caption and column heads."""
    body = next((k for k, row in enumerate(rows) if is_data_row(row)), 0)
    head = "\n".join([*caption, *rows[:body]])[-CAPTION_CHARS:].lstrip()
    chunks: list[str] = []
    current = head
    for row in filter(None, rows[body:]):
        if current != head and len(current) + 1 + len(row) > max_chars:
            chunks.append(current)
            current = head
        current = f"{current}\n{row}" if current else row
    if current != head or not chunks:
        chunks.append(current)
    return chunks
