"""The parts of a report a question names or needs: "the balance sheet", "working capital".

A filing calls its statements by longer names than readers do ("Consolidated Statements of
Financial Position" for the balance sheet), and its prose cites them everywhere ("see the
consolidated statements of cash flows"), so the question's words find the passages that talk
about a statement before the statement itself. A statement is a table headed by its title, and
ingest repeats a table's caption on each of its chunks (ingest/pdf_tables.py): the table chunks
whose head holds the title are the statement. Text layers break titles anywhere ("Statem ents",
"STATEMENTS OF\\nOPERATIONS"), so titles are matched with the spaces taken out.

A question that names no statement often names what one holds: working capital is read from the
balance sheet, a margin from the income statement, capital expenditure from the cash flows. And
it often names the row itself ("the effective tax rate", "total net revenue"), whose words BM25
finds on every page of a filing: a table with a row labelled by two of the question's words side
by side is the table the question reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lecto.context.lexical import idf, overlap, question_stems, stem, stems
from lecto.data import Chunk, Kind
from lecto.ingest.pdf_tables import is_table, row_label
from lecto.terms import STOPWORDS, WORD


@dataclass(frozen=True)
class Statement:
    named: re.Pattern[str]  # how a question names it
    titles: re.Pattern[str]  # how a report titles it, spaces taken out
    holds: re.Pattern[str]  # what a question reads from it


def _words(*names: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(names)})\b", re.IGNORECASE)


def _squashed(*titles: str) -> re.Pattern[str]:
    return re.compile("|".join(titles))


STATEMENTS = (
    Statement(
        _words(r"balance sheets?", r"statements? of financial (?:position|condition)", r"statements? of condition"),
        _squashed(r"balancesheets?", r"statements?offinancial(?:position|condition)", r"statements?ofcondition"),
        _words(
            r"working capital",
            r"current (?:assets|liabilities|ratio)",
            r"quick ratio",
            r"total (?:assets|liabilities)",
            r"(?:shareholders|stockholders)'? equity",
            r"book value",
            r"pp&?n?e",
            r"property,? plant,? and equipment",
            r"debt[- ]to[- ]equity",
            r"(?:inventory|asset) turnover",
        ),
    ),
    Statement(
        _words(
            r"income statements?",
            r"statements? of (?:consolidated )?(?:income|operations|earnings)",
            r"(?:profit and loss|p&l) statements?",
        ),
        _squashed(r"statements?of(?:consolidated)?(?:income|operations|earnings)", r"incomestatements?"),
        _words(
            r"(?:gross|operating|net|profit|ebitda?) margins?",
            r"(?:revenue|sales) growth",
            r"gross profit",
            r"cogs",
            r"cost of (?:goods sold|sales|revenues?)",
            r"operating income",
            r"earnings per share",
            r"eps",
            r"effective tax rate",
        ),
    ),
    Statement(
        _words(r"cash ?flows? statements?", r"statements? of cash ?flows?"),
        _squashed(r"statements?ofcashflows?", r"cashflowstatements?"),
        _words(
            r"capex",
            r"capital expenditures?",
            r"free cash ?flows?",
            r"cash (?:flows? )?from operati\w+",
            r"dividends paid",
            r"(?:operating|investing|financing) activities",
        ),
    ),
)
# How much of a chunk's start is its head: a caption is at most this long (ingest/pdf_tables.py).
HEAD_CHARS = 300
_SPACE = re.compile(r"\s+")
# A block this short, on a line of its own and without a full stop, is a heading.
HEADING_CHARS = 80


def named_statements(question: str) -> list[Statement]:
    """The statements the question names, in STATEMENTS' order."""
    return [s for s in STATEMENTS if s.named.search(question)]


def asked_statements(question: str) -> list[Statement]:
    """The statements the question names, or else those holding what it asks for."""
    return named_statements(question) or [s for s in STATEMENTS if s.holds.search(question)]


def statement_chunks(statements: list[Statement], chunks: list[Chunk]) -> list[Chunk]:
    """The chunks of those statements, in document order: tables whose head holds one's title."""
    if not statements:
        return []
    wanted = frozenset(statements)  # a set's members keep their hashes: no Statement is hashed per chunk
    return [c for c in chunks if not _statements_of(c.text).isdisjoint(wanted)]


def is_statement(text: str, statements: list[Statement]) -> bool:
    """Whether a chunk's text is part of one of the statements: a table whose head holds its title."""
    return not _statements_of(text).isdisjoint(statements)


# Every question looks at every chunk's head: read once per chunk and process (a 2,000-page
# filing has some 9,000 chunks).
@lru_cache(maxsize=1 << 16)
def _statements_of(text: str) -> frozenset[Statement]:
    head = _SPACE.sub("", text[:HEAD_CHARS]).lower()
    titled = frozenset(s for s in STATEMENTS if s.titles.search(head))
    return titled if titled and is_table(text) else frozenset()


def heading_chunks(question: str, chunks: list[Chunk]) -> list[Chunk]:
    """The chunks under a heading sharing the question's words, rarest shared words first, else in document order.

    Ingest sets a heading apart as a short block of its own (ingest/pdf_headings.py): "Legal
    Proceedings" heads the passage about Boeing's "legal battles" though its text says "claims".
    """
    wanted = set(question_stems(question))
    chunks = [c for c in chunks if c.span.kind is Kind.PDF]  # code and chat have no headings of this kind
    heads = [_heading_stems(c.text) for c in chunks]
    weights = idf(wanted, heads)
    # Only the few chunks whose heading shares a word are scored (9,000 chunks in a 2,000-page PDF).
    sharing = [(c, h & wanted) for c, h in zip(chunks, heads, strict=True) if not h.isdisjoint(wanted)]
    scores = {c.id: overlap(weights, shared) for c, shared in sharing}
    return sorted((c for c, _ in sharing if scores[c.id] > 0), key=lambda c: -scores[c.id])


@lru_cache(maxsize=1 << 16)
def _heading_stems(text: str) -> frozenset[str]:
    heads = [b for b in text.split("\n\n") if len(b) <= HEADING_CHARS and "\n" not in b and not b.endswith(".")]
    return frozenset(stems(" ".join(heads)))


def row_chunks(question: str, chunks: list[Chunk]) -> list[tuple[Chunk, int]]:
    """The table chunks with rows labelled by pairs of the question's words, each with how many pairs it has.

    A pair is two content words side by side in the question ("effective tax", "tax rate"), found
    side by side in a row's label ("Effective tax rate 23% 20%"): a label names one line item, so
    a pair in it is that item, not two words met apart in a paragraph.
    """
    wanted = _pairs(WORD.findall(question))
    if not wanted:
        return []
    shared = [(c, len(_row_pairs(c.text) & wanted)) for c in chunks if c.span.kind is Kind.PDF]
    return [(c, n) for c, n in shared if n]


def _pairs(words: list[str]) -> frozenset[tuple[str, str]]:
    """Stems of content words side by side; a stopword or a number between them parts them."""
    out: set[tuple[str, str]] = set()
    before = None
    for word in words:
        content = word.lower() not in STOPWORDS and len(word) > 1 and not word[0].isdigit()
        now = stem(word) if content else None
        if before and now:
            out.add((before, now))
        before = now
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def _row_pairs(text: str) -> frozenset[tuple[str, str]]:
    if not is_table(text):
        return frozenset()
    return frozenset().union(*(_pairs(WORD.findall(row_label(line))) for line in text.split("\n")))
