"""Not found is decided from evidence: unsupported answers, and answers from the wrong person's messages."""

from __future__ import annotations

import pytest

from conftest import CHAT, EXAMPLES
from lecto.answer.notfound import decide, speakers_named, unmentioned
from lecto.data import Selected, Status
from lecto.ingest import load_corpus
from lecto.store import Store


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> list[Selected]:
    chunks = load_corpus([str(CHAT / "locomo-0.whatsapp.txt")], Store(tmp_path_factory.mktemp("cache"))).chunks
    return [Selected(c, c.text, 0) for c in chunks]


REALIZED = "She realized that self-care is really important."


def test_an_answer_from_the_person_asked_about_is_an_answer(chat: list[Selected]) -> None:
    checked, status = decide(REALIZED, "What did Melanie realize after the charity race?", chat)
    assert status is Status.ANSWERED
    assert any(c.where.location.speakers == ("Melanie",) for c in checked.citations)  # type: ignore[union-attr]


def test_the_same_words_from_someone_else_are_not_found(chat: list[Selected]) -> None:
    # LoCoMo's adversarial question: the race and the realisation were Melanie's, not Caroline's.
    checked, status = decide(REALIZED, "What did Caroline realize after her charity race?", chat)
    assert status is Status.NOT_FOUND
    assert checked.supported  # the sentence itself is backed; who said it is what fails


def test_a_question_naming_no_one_is_not_held_to_a_speaker(chat: list[Selected]) -> None:
    assert speakers_named("What did the charity race raise awareness for?", chat) == set()
    _, status = decide("The race was for mental health.", "What did the charity race raise awareness for?", chat)
    assert status is Status.ANSWERED


def test_a_question_quoted_as_the_answer_asserts_nothing(chat: list[Selected]) -> None:
    # Melanie's question, well backed by the chat, says nothing of what the workshop discussed.
    _, status = decide(
        "What motivated you to pursue counseling?", "What was discussed in the counseling workshop?", chat
    )
    assert status is Status.NOT_FOUND


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("The yearly plot fee is 40 euros.", Status.ANSWERED),
        ("NOT FOUND", Status.NOT_FOUND),
        ("The yearly plot fee is 400 euros.", Status.NOT_FOUND),
        ("", Status.NOT_FOUND),
    ],
)
def test_documents_without_speakers(tmp_path_factory: pytest.TempPathFactory, text: str, status: Status) -> None:
    chunks = load_corpus([str(EXAMPLES / "garden-handbook.md")], Store(tmp_path_factory.mktemp("cache"))).chunks
    assert decide(text, "How much is the yearly plot fee?", [Selected(c, c.text, 0) for c in chunks])[1] is status


@pytest.mark.parametrize(
    ("question", "names"),
    [
        # LoCoMo's adversarial kind: a detail changed (Caroline's grandma's necklace is from Sweden).
        ("What did Caroline bring back from her trip to Barcelona?", ["Barcelona"]),
        ("What did Caroline's grandma in Sweden give her?", []),
        ("Where is Melanie's HR internship?", ["HR"]),
        # The chat's people, shortened too, are no detail; nor is a title in quotes, closed or not.
        ("What did Mel paint for Caroline?", []),
        ('Has Melanie read "The Lord of the Rings"?', []),
        ('When did Caroline first watch "Eternal Sunshine', []),
        # A thing the question takes as given ("the drought", "his snakes") that the chat never tells of;
        # the words it asks with ("describe", "what activity") are the question's own.
        ("How did the drought change Melanie's garden?", ["drought", "garden"]),
        ("For how long has Melanie had her snakes?", ["snakes"]),
        ("How did Melanie describe what activity she did with her kids?", []),
    ],
)
def test_a_name_the_chat_never_mentions_is_not_found(chat: list[Selected], question: str, names: list[str]) -> None:
    assert unmentioned(question, chat) == names


def test_names_are_held_to_chats_only(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A paper's plan is a few of its pages: a name outside them may still be in the paper.
    chunks = load_corpus([str(EXAMPLES / "garden-handbook.md")], Store(tmp_path_factory.mktemp("cache"))).chunks
    assert unmentioned("Does the garden in Barcelona charge a fee?", [Selected(c, c.text, 0) for c in chunks]) == []
