"""Citation checking on real documents: right citations verify, planted and vague ones do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, PAPERS
from lecto.answer.citations import Checked, check, claims
from lecto.data import Selected, Support
from lecto.ingest import load_corpus
from lecto.store import Store

HANDBOOK = EXAMPLES / "garden-handbook.md"
FEE = "The yearly plot fee is 40 euros, due on the first of February."


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> list[Selected]:
    store = Store(tmp_path_factory.mktemp("cache"))
    corpus = load_corpus([str(HANDBOOK)], store)
    return [Selected(c, c.text, 0) for c in corpus.chunks]


def number_of(passages: list[Selected], needle: str) -> int:
    return next(n for n, s in enumerate(passages, start=1) if needle in s.text)


def flat(text: str) -> str:
    """The quote is copied with the source's own line breaks; compare it as a reader would."""
    return " ".join(text.split())


def checked(answer: str, question: str, passages: list[Selected]) -> Checked:
    return check(answer, question, passages)


def test_handbook_has_several_passages(passages: list[Selected]) -> None:
    # The planted-citation tests below need a wrong passage to point at.
    assert len(passages) >= 3


def test_a_right_citation_verifies_with_the_exact_source_sentence(passages: list[Selected]) -> None:
    n = number_of(passages, "40 euros")
    result = checked(f"The yearly plot fee is 40 euros [{n}].", "How much is the yearly plot fee?", passages)
    [citation] = result.citations
    assert (citation.n, citation.verified, citation.by_model) == (n, True, True)
    assert flat(citation.quote) == FEE
    assert result.sentences[0].support is Support.CITED


def test_a_planted_wrong_citation_is_flagged_and_the_right_passage_attributed(passages: list[Selected]) -> None:
    right = number_of(passages, "40 euros")
    wrong = next(n for n in range(1, len(passages) + 1) if n != right)
    result = checked(f"The yearly plot fee is 40 euros [{wrong}].", "How much is the yearly plot fee?", passages)
    by_n = {c.n: c for c in result.citations}
    assert by_n[wrong].verified is False and by_n[wrong].by_model is True
    assert by_n[right].verified is True and by_n[right].by_model is False
    assert flat(by_n[right].quote) == FEE
    assert result.sentences[0].support is Support.ATTRIBUTED
    assert result.sentences[0].citations == (right,)


@pytest.mark.parametrize(
    ("claim", "question"),
    [
        # The 135M model's own answer: generic words matched, the claim's substance did not.
        (
            "The Harbour Street Community Garden is a free and open garden for everyone [1].",
            "What is the Harbour Street Community Garden?",
        ),
        ("The yearly plot fee is 45 euros [1].", "How much is the yearly plot fee?"),
        # 0.3.36's answer to the fee question: the garden's name holds up, what it says of it does not.
        ("The Harbour Street Community Garden is a free garden [1].", "How much is the yearly plot fee?"),
        ("The garden is run by Margaret Thompson [1].", "Who runs the garden?"),
        ("The garden opened in April 2011 [1].", "When did the garden open?"),
        ("The plot fee is paid to the city council [1].", "Who is the plot fee paid to?"),
        # The 135M model's answer when the question said "yearly fee": the 10 is "10 am" (compost).
        ("The answer is: 10 euros.", "How much is the yearly fee?"),
    ],
    ids=[
        "vague",
        "wrong-number",
        "a-name-and-nothing-it-holds",
        "wrong-name",
        "wrong-year",
        "invented-fact",
        "number-without-its-unit",
    ],
)
def test_claims_the_documents_do_not_back_are_unsupported(passages: list[Selected], claim: str, question: str) -> None:
    result = checked(claim, question, passages)
    assert not result.supported
    assert result.sentences[0].support is Support.UNSUPPORTED
    assert all(not c.verified for c in result.citations)


@pytest.mark.parametrize(
    ("claim", "question", "needle"),
    [
        ("Each plot measures 3 metres by 4 metres.", "How big is a plot?", "3 metres by 4 metres"),
        ("The rain tanks hold 5000 litres together.", "How much water do the tanks hold?", "5,000 litres"),
        ("The compost is turned on the last Sunday of each month.", "When is the compost turned?", "last Sunday"),
        ("The garden has 48 plots.", "How many plots does the garden have?", "48 plots"),
    ],
)
def test_an_uncited_true_claim_is_attributed_to_its_passage(
    passages: list[Selected], claim: str, question: str, needle: str
) -> None:
    result = checked(claim, question, passages)
    [citation] = result.citations
    assert citation.by_model is False and citation.verified is True
    assert needle in flat(citation.quote) and citation.quote in citation.text
    assert result.sentences[0].support is Support.ATTRIBUTED


def test_quotes_resolve_to_the_original_text_when_the_model_read_a_pruned_copy(passages: list[Selected]) -> None:
    n = number_of(passages, "40 euros")
    original = passages[n - 1]
    pruned = [*passages]
    pruned[n - 1] = Selected(original.chunk, FEE, 0)
    result = checked(f"The yearly plot fee is 40 euros [{n}].", "How much is the yearly plot fee?", pruned)
    [citation] = result.citations
    assert citation.verified and citation.text == original.chunk.text and flat(citation.quote) == FEE


@pytest.mark.parametrize(
    ("answer", "markers"),
    [("A [1].", (1,)), ("A [1, 3].", (1, 3)), ("A [2-4].", (2, 3, 4)), ("A [1][2].", (1, 2)), ("A.", ())],
)
def test_marker_forms(answer: str, markers: tuple[int, ...]) -> None:
    assert claims(answer)[0].markers == markers


def test_a_real_paper_answer_cites_the_page_that_holds_the_evidence(tmp_path: Path) -> None:
    store = Store(tmp_path)
    corpus = load_corpus([str(PAPERS / "the-google-file-system.pdf")], store)
    passages = [Selected(c, c.text, 0) for c in corpus.chunks]
    result = checked("GFS uses a chunk size of 64 MB.", "What chunk size does GFS use?", passages)
    assert result.supported
    assert any(c.span.location.page == 3 and "64 MB" in c.quote for c in result.citations)  # type: ignore[union-attr]


def test_the_bundled_model_answer_is_checked_end_to_end(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--json", str(HANDBOOK), "How much is the yearly plot fee?")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    supported = [s for s in out["sentences"] if s["support"] != "unsupported"]
    assert supported
    cited = {n for s in supported for n in s["citations"]}
    by_n = {c["n"]: c for c in out["citations"]}
    assert all(by_n[n]["verified"] for n in cited)
    assert any("40 euros" in by_n[n]["quote"] for n in cited)


def test_an_answer_the_documents_do_not_hold_exits_3(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--json", str(HANDBOOK), "Who won the 2018 football World Cup?")
    assert r.returncode == 3, r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "not_found"
    assert all(s["support"] == "unsupported" for s in out["sentences"])


def test_restating_the_question_is_no_answer(passages: list[Selected]) -> None:
    result = checked("The garden does have plots [1].", "How many plots does the garden have?", passages)
    assert result.sentences == [] and not result.supported


def test_a_true_fact_in_a_padded_sentence_is_cited_and_the_padding_flagged(passages: list[Selected]) -> None:
    answer = "The yearly plot fee is 40 euros, and members also get free beer every Friday."
    result = checked(answer, "How much is the yearly plot fee?", passages)
    fact, padding = result.sentences
    assert fact.support is Support.ATTRIBUTED and "40 euros" in fact.text
    assert padding.support is Support.UNSUPPORTED and "free beer" in padding.text
    [citation] = result.citations
    assert flat(citation.quote) == FEE and citation.n in fact.citations
    assert result.supported


@pytest.mark.parametrize(
    ("answer", "wrong"),
    [
        # A wrong number next to a true clause: the true clause is cited, the number is not.
        ("The yearly plot fee is 45 euros, due on the first of February.", "45 euros"),
        # A whole sentence mostly true would pass the sentence check; its invented clause must not.
        (
            "The yearly plot fee is 40 euros, due on the first of February, and it is paid to the city council.",
            "city council",
        ),
        ("Each plot measures 3 metres by 4 metres but members may hold at most five plots.", "five plots"),
    ],
    ids=["wrong-number", "invented-clause", "wrong-count"],
)
def test_a_padded_wrong_claim_never_passes(passages: list[Selected], answer: str, wrong: str) -> None:
    result = checked(answer, "How much is the yearly plot fee?", passages)
    [flagged] = [s for s in result.sentences if wrong in s.text]
    assert flagged.support is Support.UNSUPPORTED
    assert all(wrong not in s.text for s in result.sentences if s.support is not Support.UNSUPPORTED)


@pytest.mark.parametrize(
    ("answer", "question"),
    [
        ("Members who are students or retired pay a reduced fee of 25 euros.", "Who pays a reduced fee?"),
        ("The garden has 48 plots, a tool shed and two compost bays.", "What does the garden have?"),
    ],
)
def test_a_sentence_that_holds_up_stays_one_claim(passages: list[Selected], answer: str, question: str) -> None:
    result = checked(answer, question, passages)
    [sentence] = result.sentences
    assert sentence.support is Support.ATTRIBUTED and sentence.text == answer


def test_stretches_join_back_into_the_answer(passages: list[Selected]) -> None:
    answer = "Sure! The yearly plot fee is 40 euros [2], and members get free beer.\n\nThat is all."
    result = checked(answer, "How much is the yearly plot fee?", passages)
    assert "".join(s.text for s in result.stretches) == answer
    indexes = [s.sentence for s in result.stretches if s.sentence is not None]
    assert indexes == list(range(len(result.sentences)))


def test_a_name_the_answer_introduces_is_checked_not_the_word_introducing_it(tmp_path: Path) -> None:
    # The bundled model's answer on the Bitcoin paper; "called" is filler, SHA-256 is the claim.
    corpus = load_corpus([str(PAPERS / "bitcoin.pdf")], Store(tmp_path))
    passages = [Selected(c, c.text, 0) for c in corpus.chunks]
    answer = "The proof-of-work for Bitcoin's proof-of-work is a hash function called SHA-256."
    result = checked(answer, "Which hash function is given as an example for Bitcoin's proof-of-work?", passages)
    assert result.supported
    assert any(c.span.location.page == 3 and "SHA-256" in c.quote for c in result.citations)  # type: ignore[union-attr]
