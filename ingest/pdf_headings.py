"""Headings on a PDF page kept apart from the prose they head, so a chunk shows where it stands.

A text layer gives a heading as one more line ("Legal Proceedings", "Note 21 - Acquisitions"),
and joined into its paragraph it read as the paragraph's first words. A heading is a short line
(well under the page's usual line width) that starts a sentence after a finished one and ends
without a sentence's punctuation; it becomes a block of its own, which context/structure.py
reads back as the chunk's heading.
"""

from __future__ import annotations

import statistics

# A heading is at most this share of the page's median prose line: wrapped prose fills its lines.
WIDTH_SHARE = 0.6
# ...and at most this long whatever the page's width.
MAX_CHARS = 80
_ENDS = (".", ",", ";", "!", "?")


def paragraphs(lines: list[str], width: float) -> list[str]:
    """Lines joined into paragraphs at blank lines, each heading a line of its own atop the paragraph it heads.

    A heading stays in one block with the paragraph after it, so no chunk ends on a heading and the
    first words under it keep its words ("2.5 Chunk Size" over "Chunksize is one of...").
    """
    out: list[str] = []
    heads: list[str] = []
    current: list[str] = []
    for k, line in enumerate([*lines, ""]):
        heading = bool(line) and is_heading(line, lines[k - 1] if k else "", width)
        if (not line or heading) and current:
            out.append("\n\n".join([*heads, " ".join(current)]))
            heads, current = [], []
        if heading:
            heads.append(line)
        elif line:
            current.append(line)
    return out + ["\n\n".join(heads)] if heads else out


def line_width(lines: list[str]) -> float:
    """The page's usual prose line length, in characters."""
    widths = [len(line) for line in lines if line]
    return statistics.median(widths) if widths else 0.0


def is_heading(line: str, before: str, width: float) -> bool:
    """A short line starting after a finished sentence (or a blank), ending without a sentence's punctuation."""
    if len(line) > min(MAX_CHARS, WIDTH_SHARE * width) or line.endswith(_ENDS):
        return False
    if not (line[0].isupper() or line[0].isdigit()) or not any(c.isalpha() for c in line):
        return False
    return not before or before.endswith((".", ":")) or len(before) <= WIDTH_SHARE * width
