"""Whose doings a chat message tells of, as the grounded answer reads it (answer/ground.py `offered`).

LoCoMo's adversarial questions ask of one person what the other did; a message answers a
question about Ann only when it tells of Ann: what she says of herself, or what someone says
to her of her doings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chats import chat_of

from lecto.answer import ground
from lecto.answer.notfound import speakers_named
from lecto.data import Selected, Shortfall
from lecto.ingest import load_corpus
from lecto.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("cache"))


RACE = [
    ("Melanie", "I ran a charity race for mental health last Saturday."),
    ("Caroline", "That charity race sounds great, Mel!"),
    ("Melanie", "Thanks, Caroline! It made me realize that self-care is really important."),
]


def test_a_reply_that_tells_of_its_writer_in_the_first_person_is_the_writers(tmp_path: Path, store: Store) -> None:
    found = ground.offered("What did Melanie realize after the charity race?", chat_of(tmp_path, store, RACE))
    assert any("self-care" in c.text for c in found)


def test_a_message_naming_the_person_written_to_tells_of_that_person(tmp_path: Path, store: Store) -> None:
    # "That charity race sounds great, Mel!" is Caroline's word on Melanie's race, not on one of her own.
    assert ground.offered("What did Caroline think of her charity race?", chat_of(tmp_path, store, RACE)) == []


def test_a_reply_holding_the_question_only_through_the_other_persons_message_is_not_the_repliers(
    tmp_path: Path, store: Store
) -> None:
    # Caroline's advice holds "adoption agency"; Melanie's thanks hold none of the question, so they do not
    # tell why Melanie chose an agency (LoCoMo asks it of Melanie, and the chat never says).
    chat = chat_of(
        tmp_path,
        store,
        [
            ("Caroline", "Do your research and find an adoption agency or lawyer."),
            ("Melanie", "Thanks for the tip, Caroline. I'll do that."),
        ],
    )
    assert ground.offered("Why did Melanie choose the adoption agency?", chat) == []


def test_a_question_naming_a_day_is_answered_by_a_message_of_that_day(tmp_path: Path, store: Store) -> None:
    # July's message holds more of the question ("find"); February's is the one sent on the day it names.
    told = [("2023-02-01", "Gina", "I got new mannequins for my clothing store!")]
    told += [(f"2023-03-{d:02d}", "Jon", f"The dance class ran late on day {d}.") for d in range(1, 11)]
    told += [("2023-07-21", "Gina", "I find new things for my clothing store every week.")]
    path = tmp_path / "dated.jsonl"
    rows = [{"id": str(i), "time": f"{d}T10:00:00", "speaker": p, "text": t} for i, (d, p, t) in enumerate(told)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    chat = [Selected(c, c.text, 0) for c in load_corpus([str(path)], store).chunks]
    found = ground.offered("What did Gina find for her clothing store on 1 February, 2023?", chat)
    assert ["mannequins" in c.text for c in found] == [True]


@pytest.mark.parametrize(
    "reaction",
    ["Wow, congrats on those deals with Nike and Gatorade!", "John, I'm sorry to hear about those deals with Nike."],
)
def test_a_reaction_to_the_others_news_tells_of_the_other(tmp_path: Path, store: Store, reaction: str) -> None:
    chat = chat_of(tmp_path, store, [("John", "I signed deals with Nike and Gatorade!"), ("Tim", reaction)])
    assert ground.offered("What deals did Tim sign with Nike and Gatorade?", chat) == []
    assert [c.speaker for c in ground.offered("What deals did John sign with Nike and Gatorade?", chat)] == ["John"]


GYM = ("Tim", "Hey John! Long time no talk.")
FOUND = "Just the other day, I found a new gym to stay on my b-ball game, Tim."


@pytest.mark.parametrize(
    ("told", "named"),
    [
        # LoCoMo's kind of unanswerable question: the chat tells of the gym and never names it…
        ([FOUND], False),
        # …and a message naming someone else, sharing a word, answers another question.
        ([FOUND, "Nice!", "My neighbour David found a gym too."], False),
        (["I found a new gym the other day, it's called Iron Works."], True),
        (['I found a new gym, "The Cage", just the other day.'], True),
    ],
)
def test_a_question_asking_for_a_name_is_answered_only_by_a_message_giving_one(
    tmp_path: Path, store: Store, told: list[str], named: bool
) -> None:
    chat = chat_of(tmp_path, store, [GYM, *((("John", "Tim")[i % 2], t) for i, t in enumerate(told))])
    assert bool(ground.offered("What is the name of the new gym John found?", chat)) is named


PIN = [
    ("Joanna", "Hey Nate! Long time no see."),
    ("Nate", "Last time we saw each other, I noticed a Spider-Man pin on your purse."),
]


@pytest.mark.parametrize(
    ("question", "offered"),
    [
        # Nate noticed Joanna's pin; the question, naming Nate only as an owner, asks what Joanna noticed.
        ("Where did Joanna notice Nate's Spider-Man pin?", False),
        ("Where did Nate notice Joanna's Spider-Man pin?", True),
    ],
)
def test_a_person_named_only_as_an_owner_is_not_the_one_asked_about(
    tmp_path: Path, store: Store, question: str, offered: bool
) -> None:
    assert bool(ground.offered(question, chat_of(tmp_path, store, PIN))) is offered


def test_people_named_together_as_owners_are_both_asked_about(tmp_path: Path, store: Store) -> None:
    chat = chat_of(tmp_path, store, [("Tim", "Hey John!"), ("John", "Hi Tim!")])
    assert speakers_named("Who is Tim and John's favorite basketball player?", chat) == {"Tim", "John"}


@pytest.mark.parametrize(
    ("question", "lines", "why", "names"),
    [
        ("What did Caroline think of her charity race?", RACE, Shortfall.TOLD_BY_OTHERS, ["Caroline"]),
        ("What is the name of the new gym John found?", [GYM, ("John", FOUND)], Shortfall.NO_NAME_GIVEN, []),
        ("Why did Melanie stop so suddenly?", RACE, Shortfall.TOO_LITTLE, []),
        ("What did Melanie realize after the Boston marathon?", RACE, Shortfall.NEVER_MENTIONED, ["Boston"]),
        ("What did Melanie realize after the charity race?", RACE, None, []),
    ],
)
def test_an_offer_of_nothing_says_why(
    tmp_path: Path, store: Store, question: str, lines: list[tuple[str, str]], why: Shortfall | None, names: list[str]
) -> None:
    offer = ground.offer(question, chat_of(tmp_path, store, lines))
    assert (offer.shortfall, offer.names, bool(offer.candidates)) == (why, names, why is None)
