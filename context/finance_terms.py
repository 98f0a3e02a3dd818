"""What readers call a figure or a part of a report, and what filings label it: one table of domain knowledge.

A question says "capital expenditure" where the cash flow statement's row reads "Purchases of
property, plant and equipment", "revenue" where the income statement reads "Net sales", "legal
battles" where the note is "Legal Proceedings". No word is shared, so BM25 cannot find the row,
and a filing of 300 pages has hundreds of passages that share the question's other words. The
table below is general domain knowledge of financial statements (the standard names of their
lines, as US GAAP filings write them), not a list drawn from particular companies; it is the
planner's only such table besides the statements in context/structure.py, and each entry's words
are added to the question's search terms when the question uses the reader's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lecto.terms import key_terms


@dataclass(frozen=True)
class Synonym:
    asked: re.Pattern[str]  # how a reader names it
    labelled: str  # how a filing labels it


def _asked(*names: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(names)})\b", re.IGNORECASE)


# Measured over the 37 filings questions (docs/BENCHMARKS.md), without "net sales" for "revenue"
# 1K / 2K / 4K fall from 0.70 / 0.89 / 0.97 to 0.65 / 0.86 / 0.95, without "legal proceedings" 2K to
# 0.86, without "segment" 4K to 0.95, without "separation" 1K to 0.68. Capex, COGS and PP&E move
# nothing there (those questions name their statement, whose vote finds the row: context/structure.py);
# they stay for a question that names no statement, which has no other way to the row.
SYNONYMS = (
    Synonym(_asked(r"capex", r"capital expenditures?"), "purchases of property, plant and equipment"),
    Synonym(_asked(r"revenues?", r"top[- ]?line"), "net sales"),
    Synonym(_asked(r"cogs", r"cost of goods sold"), "cost of sales"),
    Synonym(_asked(r"pp&?n?e", r"fixed assets?"), "property, plant and equipment"),
    Synonym(
        _asked(r"legal (?:battles?|issues?|disputes?|cases?|matters?)", r"lawsuits?", r"litigations?"),
        "legal proceedings",
    ),
    Synonym(_asked(r"(?:product|service) categor(?:y|ies)", r"business lines?", r"lines of business"), "segment"),
    Synonym(_asked(r"spin(?:[- ]?offs?|ning off)"), "separation"),
)


def expansions(question: str) -> list[str]:
    """The filing's words for what the question names in a reader's words, as search terms."""
    return list(dict.fromkeys(t for s in SYNONYMS if s.asked.search(question) for t in key_terms(s.labelled)))
