"""Real filings: a table's rows keep their figures and each chunk of it its caption; headings stand apart."""

from __future__ import annotations

from functools import cache

import pytest

from conftest import CORPUS
from lecto.context.structure import asked_statements, heading_chunks, is_statement, named_statements, row_chunks
from lecto.data import Chunk, Kind, Span
from lecto.ingest.chunking import pack_blocks
from lecto.ingest.pdf_pages import clean_page
from lecto.ingest.pdf_tables import is_table, page_blocks
from lecto.kinds.pdf import PageLocation

FILINGS = CORPUS / "filings"


@cache
def chunks(filing: str, page: int) -> list[str]:
    """One page's chunks as the PDF ingester packs them (without the document-wide clean-up)."""
    from pypdf import PdfReader

    text = clean_page(PdfReader(FILINGS / filing).pages[page - 1].extract_text())
    return [c for c, _, _ in pack_blocks([(b, 0, 0) for b in page_blocks(text)])]


def test_every_chunk_of_a_statement_names_it_and_its_years() -> None:
    capex = [c for c in chunks("ACTIVISIONBLIZZARD_2019_10K.pdf", 73) if "Capital expenditures" in c]
    assert len(capex) == 1
    assert "Capital expenditures (116) (131) (155)\n" in capex[0]
    assert "CONSOLIDATED STATEMENTS OF CASH FLOWS\n" in capex[0] and "\n2019 2018 2017\n" in capex[0]


def test_figures_drawn_before_the_next_label_go_back_to_their_row() -> None:
    # Boeing's 2018 balance sheet: the text layer puts each row's figures at the start of the next line.
    page = "\n".join(chunks("BOEING_2018_10K.pdf", 52))
    assert "\nProperty, plant and equipment, net 12,645 12,672\n" in page


def test_prose_stays_paragraphs() -> None:
    prose = chunks("Pfizer_2023Q2_10Q.pdf", 41)
    assert len(prose) > 3 and not any("\n" in block for c in prose for block in c.split("\n\n"))


@pytest.mark.parametrize(
    ("question", "filing", "page"),
    [
        ("Using the cash flow statement, how much cash came from operations?", "ACTIVISIONBLIZZARD_2019_10K.pdf", 73),
        ("Considering the data in the balance sheet, what is net PP&E?", "BOEING_2018_10K.pdf", 52),
        ("Using the P&L statement, what were total revenues?", "BOEING_2022_10K.pdf", 55),
        ("From the income statement, what was the cost of revenue?", "BLOCK_2020_10K.pdf", 86),
    ],
)
def test_a_statement_the_question_names_is_found_by_its_title(question: str, filing: str, page: int) -> None:
    named = named_statements(question)
    tables = [c for c in chunks(filing, page) if is_table(c)]  # not the footnotes below
    assert len(named) == 1 and len(tables) >= 2
    assert all(is_statement(c, named) for c in tables)


def test_prose_citing_a_statement_is_not_the_statement() -> None:
    named = named_statements("What does the income statement say?")
    assert not is_statement("See the consolidated statements of operations on page 53 for details.", named)


def test_a_metric_leads_to_the_statement_holding_it() -> None:
    (needed,) = asked_statements("Does Corning have positive working capital based on FY2022 data?")
    assert needed is named_statements("What does the balance sheet say?")[0]


def test_a_table_with_a_row_the_question_names_is_found_and_prose_using_its_words_is_not() -> None:
    # Corning's 2022 10-K: the results highlights (page 24) hold "Effective tax rate 23% 20%"; page 26
    # discusses the effective tax rate in sentences.
    pages = [(p, c) for p in (24, 26) for c in chunks("CORNING_2022_10K.pdf", p)]
    spans = [Chunk(str(k), "doc", k, c, Span("glw.pdf", Kind.PDF, PageLocation(p))) for k, (p, c) in enumerate(pages)]
    assert any("effective tax rate" in c.text.lower() for c in spans if c.span.location.page == 26)

    rows = row_chunks("How much has the effective tax rate of Corning changed between FY2021 and FY2022?", spans)

    assert [(c.span.location.page, n) for c, n in rows] == [(24, 2)]
    assert "\nEffective tax rate 23% 20%" in rows[0][0].text


def test_a_heading_is_a_block_of_its_own() -> None:
    blocks = [b for c in chunks("BOEING_2022_10K.pdf", 8) for b in c.split("\n\n")]
    assert "Item 1A. Risk Factors" in blocks and "Risks Related to Our Business and Operations" in blocks


def test_the_passages_under_a_heading_with_the_questions_words_come_first() -> None:
    pages = [(p, c) for p in (8, 113) for c in chunks("BOEING_2022_10K.pdf", p)]
    spans = [
        Chunk(str(k), "doc", k, c, Span("boeing.pdf", Kind.PDF, PageLocation(p))) for k, (p, c) in enumerate(pages)
    ]
    found = heading_chunks("Which segment and revenue information does Boeing report?", spans)
    assert found and "Note 22 – Segment and Revenue Information" in found[0].text.split("\n\n")


def test_a_statement_row_is_quoted_alone_under_its_title_and_years_and_backed() -> None:
    from lecto.answer import ground
    from lecto.answer.citations import check
    from lecto.data import Selected, Support

    page = [
        Selected(Chunk(str(k), "doc", k, c, Span("atvi.pdf", Kind.PDF, PageLocation(73))), c, 0)
        for k, c in enumerate(chunks("ACTIVISIONBLIZZARD_2019_10K.pdf", 73))
    ]
    question = "What were Activision Blizzard's capital expenditures in 2019?"
    found = ground.offered(question, page)
    lead, claims = ground.answer_text(question, ground.Choice(found[0], found, []), page)
    assert "CONSOLIDATED STATEMENTS OF CASH FLOWS (Amounts in millions)" in lead and lead.endswith("2019 2018 2017”: ")
    assert claims == f"Capital expenditures (116) (131) (155) [{found[0].n}]."
    [sentence] = check(claims, question, page).sentences
    assert sentence.support is Support.CITED


def test_a_possessive_in_the_question_asks_about_the_company_not_the_word() -> None:
    from lecto.answer.citations import check
    from lecto.data import Selected, Support

    # A plan over a filing names its company often, never "Amazon's": weighed as a word no passage
    # holds, the possessive outweighed the row's own words and sank its backing.
    texts = [
        "CONSOLIDATED STATEMENTS OF OPERATIONS\nYear Ended December 31, 2015 2016 2017\n"
        "Total net sales 107,006 135,987 177,866",
        *(f"Amazon grew total net sales in region {k} in 2017." for k in range(8)),
    ]
    page = [
        Selected(Chunk(str(k), "doc", k, t, Span("amzn.pdf", Kind.PDF, PageLocation(38))), t, 0)
        for k, t in enumerate(texts)
    ]
    [sentence] = check(
        "Total net sales 107,006 135,987 177,866 [1].", "What were Amazon's total net sales in 2017?", page
    ).sentences
    assert sentence.support is Support.CITED
