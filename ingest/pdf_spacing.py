"""Word spaces for PDFs that set them as kerning gaps pypdf reads as letter spacing.

Some TeX-made papers (the GFS paper) use subset fonts whose code 0x20 is a wide glyph, so
pypdf's gap threshold (half that width) misses real word gaps and glues words together
("Ontheotherhand"). Such a page is read again with a space put into each wide TJ gap, and the
reading with fewer glued words kept. Only glued pages are re-read: on well-formed pages the
added space's width shifts pypdf's own positional spacing and can lose spaces it had right
(measured on chain-replication.pdf).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# A TJ gap of 0.15 em or more is a word space; kerning stays under ~0.1 em in the shared papers.
WORD_GAP = 150
# Letters in a row that no English word in the papers reaches; three on a page means glued text.
_GLUED = re.compile(r"[A-Za-z]{16,}")
GLUED_PER_PAGE = 3
# A document's pages share their fonts: when re-reading its first glued pages spaced none of them
# better, the rest will not be either (filings glue words some other way: 0 of 51 Boeing pages
# gained), and each re-reading costs a whole extraction.
RESPACE_TRIES = 3


@dataclass
class Respacer:
    """Re-reads glued pages with word spaces in TJ gaps, while that pays in a run of one document's pages."""

    tried: int = 0
    won: int = 0

    def best(self, page: Any, text: str) -> str:
        """`text`, or the page read again with word spaces when that has fewer glued words."""
        if not looks_glued(text) or (self.won == 0 and self.tried >= RESPACE_TRIES):
            return text
        spaced = extract_spaced(page)
        self.tried += 1
        if glued_words(spaced) >= glued_words(text):
            return text
        self.won += 1
        return spaced


def looks_glued(text: str) -> bool:
    return glued_words(text) >= GLUED_PER_PAGE


def glued_words(text: str) -> int:
    return len(_GLUED.findall(text))


def extract_spaced(page: Any) -> str:
    """The page's text with a space in every TJ gap of at least `WORD_GAP` thousandths of an em."""
    from pypdf.generic import ArrayObject

    def widen(operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        if operator != b"TJ" or not operands or not isinstance(operands[0], ArrayObject):
            return
        parts = operands[0]
        for i in reversed(range(1, len(parts))):
            gap = parts[i]
            if isinstance(gap, (int, float)) and -gap >= WORD_GAP and isinstance(parts[i - 1], (str, bytes)):
                parts.insert(i, " ")

    text: str = page.extract_text(visitor_operand_before=widen)
    return text
