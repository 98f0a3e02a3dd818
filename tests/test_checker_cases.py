"""The checker right in both directions, on the cases users met: each of these failed before.

Real documents, real passages, planted claims: no model runs here, so nothing depends on
what a CPU's kernels make the model write.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from conftest import CHAT, EXAMPLES, PAPERS
from lecto.answer.citations import check
from lecto.answer.notfound import decide
from lecto.data import Selected, Status, Support
from lecto.ingest import load_corpus
from lecto.store import Store


def passages_of(path: Path, store: Store) -> list[Selected]:
    return [Selected(c, c.text, 0) for c in load_corpus([str(path)], store).chunks]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def handbook(store: Store) -> list[Selected]:
    return passages_of(EXAMPLES / "garden-handbook.md", store)


def support_of(answer: str, question: str, passages: list[Selected]) -> Support:
    [sentence] = check(answer, question, passages).sentences
    return sentence.support


OFFER = "How long must a plot offer be accepted within?"


def test_a_number_matches_whole_4_is_not_14(handbook: list[Selected]) -> None:
    # The offer passage says "within 14 days" and, in another sentence, "3 metres by 4 metres".
    assert support_of("An offer must be accepted within 4 days.", OFFER, handbook) is Support.UNSUPPORTED


def test_the_true_number_is_supported(handbook: list[Selected]) -> None:
    assert support_of("An offer must be accepted within 14 days.", OFFER, handbook).backed


def test_a_number_counts_only_with_what_it_counts(handbook: list[Selected]) -> None:
    # "3 metres by 4 metres" is in the handbook; a 4 that counts years is not.
    assert support_of("Each plot measures 4 metres.", "How big is a plot?", handbook).backed
    assert support_of("Each plot measures 4 years.", "How big is a plot?", handbook) is Support.UNSUPPORTED


def test_a_bare_number_needs_what_the_question_asks_about(store: Store) -> None:
    gfs = passages_of(PAPERS / "the-google-file-system.pdf", store)
    assert support_of("6.9.", "What chunk size does GFS use?", gfs) is Support.UNSUPPORTED


def test_a_unit_written_against_its_number_is_read_as_written(store: Store) -> None:
    # Bitcoin's page 4 says "80 bytes * 6 * 24 * 365 = 4.2MB per year": the "MB" of "4.2MB" is there.
    bitcoin = passages_of(PAPERS / "bitcoin.pdf", store)
    question = "How much storage do block headers need per year?"
    assert support_of("Block headers need 80 bytes * 6 * 24 * 365 = 4.2MB per year.", question, bitcoin).backed


def test_one_shared_word_is_never_support(store: Store) -> None:
    dynamo = passages_of(PAPERS / "dynamo-amazons-highly-available-key-value-store.pdf", store)
    assert (
        support_of("called Partitioning.", "How does Dynamo handle temporary failures?", dynamo) is Support.UNSUPPORTED
    )


def test_an_attribution_needs_the_claim_not_a_name(store: Store) -> None:
    json_pkg = Path(sysconfig.get_paths()["stdlib"]) / "json"
    code = passages_of(json_pkg, store)
    question = "Which exception class is raised for JSON decoding errors?"
    assert support_of("The exception class is JSONDecoder.default.", question, code) is Support.UNSUPPORTED
    assert support_of("The exception class is JSONDecodeError.", question, code).backed


def test_a_mostly_right_sentence_with_one_extra_phrase_is_partly_supported(store: Store) -> None:
    slack = passages_of(CHAT / "locomo-1.slack", store)
    question = "What kind of dance piece did Gina's team perform to win first place?"
    answer = 'Gina\'s team performed a contemporary piece called "Finding Freedom" at the regional finals.'
    assert support_of(answer, question, slack) is Support.PARTIAL


def test_an_answer_whose_claims_are_mostly_unsupported_is_not_found(handbook: list[Selected]) -> None:
    answer = (
        "The yearly plot fee is 40 euros. Members get free beer on Fridays. "
        "The garden has a heated swimming pool. A dragon guards the tool shed."
    )
    _, status = decide(answer, "How much is the yearly plot fee?", handbook)
    assert status is Status.NOT_FOUND


def test_an_answer_whose_claims_hold_up_is_answered(handbook: list[Selected]) -> None:
    _, status = decide("The yearly plot fee is 40 euros.", "How much is the yearly plot fee?", handbook)
    assert status is Status.ANSWERED


def test_a_sentence_under_a_heading_that_names_the_question_answers_it(store: Store) -> None:
    # "We have chosen 64 MB" says nothing of chunks; it stands under "2.5 Chunk Size".
    gfs = passages_of(PAPERS / "the-google-file-system.pdf", store)
    claim = "We have chosen 64 MB, which is much larger than typical file system blocksizes."
    assert support_of(claim, "What chunk size does GFS use?", gfs).backed


YOGA = "What does Maria say she feels when doing upside-down yoga poses?"


def test_a_sentence_opening_on_a_pronoun_is_about_the_sentence_before_it(store: Store) -> None:
    # "…I really enjoy the upside-down poses. They make me feel free and light.": "They" are the poses.
    chat = passages_of(CHAT / "locomo-2.discord.json", store)
    assert support_of("They make me feel free and light.", YOGA, chat).backed


def test_a_pronoun_after_a_sentence_off_the_question_stays_off_it(store: Store) -> None:
    # "We also organized a toy drive for kids in need. It was amazing seeing the community come together…"
    chat = passages_of(CHAT / "locomo-2.discord.json", store)
    claim = "It was amazing seeing the community come together to spread some joy."
    assert support_of(claim, YOGA, chat) is Support.OFF_QUESTION
