"""The parts of a report a question names: "the balance sheet", "using the cash flow statement".

A filing calls its statements by longer names than readers do ("Consolidated Statements of
Financial Position" for the balance sheet), and its prose cites them everywhere ("see the
consolidated statements of cash flows"), so the question's words find the passages that talk
about a statement before the statement itself. A statement begins with its title on a line of
its own, and ingest repeats a table's caption on each of its chunks (ingest/pdf_tables.py):
the chunks with a title line of the statement the question names are the statement.
"""

from __future__ import annotations

import re

from lecto.data import Chunk

# A statement's names: how questions say it, and how reports title it (after "consolidated").
_STATEMENTS = (
    ("balance sheets?", "statements? of financial (?:position|condition)", "statements? of condition"),
    (
        "income statements?",
        "statements? of (?:consolidated )?(?:income|operations|earnings)",
        "(?:profit and loss|p&l) statements?",
    ),
    ("cash ?flows? statements?", "statements? of cash ?flows?"),
    ("statements? of (?:changes in )?(?:share|stock)holders'? equity", "(?:share|stock)holders'? equity statements?"),
)
# A title line: the name with at most the words reports put around it ("Condensed Consolidated
# ... (Unaudited)", "... (continued)", "Combined and ...").
_AROUND = r"(?:(?:condensed|consolidated|combined|and|the)\s+)*"
_TITLES = tuple(
    re.compile(rf"^\s*{_AROUND}(?:{'|'.join(names)})(?:\s*\([^)]*\))*\s*$", re.IGNORECASE | re.MULTILINE)
    for names in _STATEMENTS
)
_NAMED = tuple(re.compile(rf"\b(?:{'|'.join(names)})\b", re.IGNORECASE) for names in _STATEMENTS)


def named_statements(question: str) -> list[re.Pattern[str]]:
    """The title patterns of the statements the question names, in no particular order."""
    return [title for title, named in zip(_TITLES, _NAMED, strict=True) if named.search(question)]


def statement_chunks(question: str, chunks: list[Chunk]) -> list[Chunk]:
    """The chunks of the statements the question names, in document order: those under a title line of one."""
    titles = named_statements(question)
    if not titles:
        return []
    return [c for c in chunks if any(t.search(c.text) for t in titles)]
