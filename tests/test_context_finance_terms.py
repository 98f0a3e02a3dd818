"""A reader's words for a figure or a part of a report find what a filing calls it (context/finance_terms.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import CORPUS
from lecto.context.finance_terms import expansions
from lecto.context.rank import rank
from lecto.ingest import load_corpus
from lecto.kinds.pdf import PageLocation
from lecto.store import Store

BOEING = CORPUS / "filings" / "BOEING_2022_10K.pdf"
# Pages of Boeing's 2022 10-K that speak of law, risk and shareholders, and Note 21 (pages 112-113).
PAGES = (3, 6, 16, 20, 29, 47, 54, 112, 113, 119, 124)
NOTE = {PAGES.index(112) + 1, PAGES.index(113) + 1}


@pytest.mark.parametrize(
    ("question", "labelled"),
    [
        ("What was FY2019 capex?", "purchases"),
        ("What is the three year average of COGS?", "sales"),
        ("Did Pfizer grow its PPNE between FY20 and FY21?", "property"),
        ("What is Walmart's revenue growth?", "net"),
        ("Are there any product categories above 20% of revenue?", "segment"),
    ],
)
def test_a_readers_name_brings_the_filings_label(question: str, labelled: str) -> None:
    assert labelled in expansions(question)


def test_a_question_without_a_readers_name_brings_nothing() -> None:
    assert expansions("How many replicas does GFS keep of each chunk?") == []


def test_legal_battles_find_the_note_on_legal_proceedings(tmp_path: Path) -> None:
    writer = PdfWriter()
    reader = PdfReader(BOEING)
    for page in PAGES:
        writer.add_page(reader.pages[page - 1])
    writer.write(tmp_path / "boeing.pdf")
    store = Store(tmp_path / "cache")
    corpus = load_corpus([str(tmp_path / "boeing.pdf")], store)

    hits = rank(
        "Has Boeing reported any materially important ongoing legal battles?", corpus.chunks, store, dense=False
    ).hits

    pages = [h.chunk.span.location.page for h in hits if isinstance(h.chunk.span.location, PageLocation)]
    assert NOTE & set(pages[:2])
