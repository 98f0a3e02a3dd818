"""What a grounded answer quotes of a chat message (answer/ground.py `answer_text`): the source's words as
written, and the sentence that answers when the one holding the question's words only restates it.

The backend is scripted (it reads nothing), so the choice is lecto's ranking alone: the same on every CPU.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chats import chat_of
from scripted import Scripted

from lecto.answer import ground
from lecto.answer.citations import check, claims
from lecto.answer.generate import generate
from lecto.answer.marked import marked
from lecto.data import Mode, Plan, Selected, Style, Support
from lecto.ingest import load_corpus
from lecto.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("cache"))


def answer_to(question: str, lines: list[tuple[str, str]], tmp_path: Path, store: Store) -> str:
    selected = chat_of(tmp_path, store, lines)
    choice = ground.choose(question, ground.offered(question, selected), Scripted([]))
    assert choice is not None
    return ground.answer_text(question, choice, selected)[1]


def test_a_quote_keeps_the_sources_words_to_their_closing_punctuation(tmp_path: Path, store: Store) -> None:
    chat = [
        ("Maria", "How are you, John?"),
        ("John", "My old area was hit by a nasty flood last week. Lots of homes were ruined."),
    ]
    said = answer_to("How did the flood impact the homes in John's old area?", chat, tmp_path, store)
    assert "Lots of homes were ruined. [1]" in said


def test_the_sentence_before_one_restating_the_question_is_quoted(tmp_path: Path, store: Store) -> None:
    chat = [
        ("Tim", "How is the ankle?"),
        ("John", "Yoga's been really awesome for me. It's helped me improve my strength and flexibility."),
    ]
    said = answer_to("What is John trying out to improve his strength and flexibility?", chat, tmp_path, store)
    assert said.startswith("Yoga's been really awesome for me. [1]")


def test_a_word_to_the_other_person_before_the_quote_is_left_out(tmp_path: Path, store: Store) -> None:
    chat = [
        ("Caroline", "I started a painting class!"),
        ("Melanie", "Sounds great, Caroline! I signed up for a pottery class on Friday."),
    ]
    said = answer_to("What class did Melanie sign up for?", chat, tmp_path, store)
    assert said.startswith("I signed up for a pottery class on Friday. [1]")


def test_a_marker_after_the_closing_punctuation_belongs_to_the_sentence_it_follows() -> None:
    assert [c.markers for c in claims("Lots of homes were ruined. [2] The flood came last week! [1][3]")] == [
        (2,),
        (1, 3),
    ]


def test_markers_after_the_punctuation_are_checked_against_their_own_sentences(tmp_path: Path) -> None:
    doc = tmp_path / "ferry.md"
    doc.write_text("# Ferry\n\nThe boat leaves at 9:30.\n\n# Tickets\n\nTickets cost 12 euros at the kiosk.\n")
    selected = [Selected(c, c.text, 0) for c in load_corpus([str(doc)], Store(tmp_path / "cache")).chunks]
    boat = next(n for n, s in enumerate(selected, 1) if "9:30" in s.text)
    checked = check(f"The boat leaves at 9:30. [{boat}]", "When does the boat leave?", selected)
    assert [(s.support, s.citations) for s in checked.sentences] == [(Support.CITED, (boat,))]


def test_the_others_question_shown_between_a_message_and_its_reply_is_not_flagged(tmp_path: Path, store: Store) -> None:
    lines = [
        ("John", "I'm also trying out yoga to get a little extra strength and flexibility."),
        ("Tim", "How's it going so far?"),
        ("John", "The yoga has been really awesome for my strength."),
    ]
    plan = Plan(Mode.RETRIEVE, "", 0, 0, chat_of(tmp_path, store, lines))
    question = "What is John trying out to improve his strength and flexibility?"
    answer = generate(question, plan, Scripted([]), lambda _: None, {}, Style.GROUNDED)
    # Tim's question is shown for what John's reply answers; it claims nothing, so nothing flags it.
    assert "Tim: How's it going so far?" in marked(answer)
    assert "off-question" not in marked(answer)
