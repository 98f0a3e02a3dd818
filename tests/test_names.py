"""What a question names that the documents never use: the whole corpus is read for it, not the plan."""

from __future__ import annotations

import json

import pytest

from conftest import PAPERS
from lecto.ingest import load_corpus
from lecto.names import absent, asks_name, known, names
from lecto.store import Store

MAPREDUCE = PAPERS / "mapreduce-simplified-data-processing-on-large-clusters.pdf"


@pytest.fixture(scope="module")
def mapreduce(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return [c.text for c in load_corpus([str(MAPREDUCE)], Store(tmp_path_factory.mktemp("cache"))).chunks]


@pytest.mark.parametrize(
    ("question", "names"),
    [
        # The paper counts lines of C++; it never says Java.
        ("How many lines of Java code does the MapReduce library contain?", ["Java"]),
        ("How many lines of C++ code did the indexing code drop to with MapReduce?", []),
        # Inflected, possessive or at a sentence's start, a name the paper uses is known.
        ("What does MapReduce's master do when a worker fails?", []),
        ("Google runs MapReduce on which machines?", []),
        # Acronyms and codes with digits abbreviate what a document spells out: never held against it.
        ("What was the FY2019 COGS in USD for MapReduce?", []),
        # A name in parentheses is another name for the one before it.
        ("What does Hadoop (the open-source MapReduce) sort?", []),
        ("What does Hadoop (an Apache project) sort?", ["Hadoop", "Apache"]),
    ],
)
def test_names_no_passage_uses(mapreduce: list[str], question: str, names: list[str]) -> None:
    assert absent(question, mapreduce) == names


def test_a_question_about_what_the_paper_never_mentions_is_not_found(lecto) -> None:  # type: ignore[no-untyped-def]
    question = "How many lines of Java code does the MapReduce library contain?"
    r = lecto("ask", "--json", str(MAPREDUCE), question)
    assert r.returncode == 3, r.stderr
    out = json.loads(r.stdout)
    assert (out["status"], out["never_mentioned"]) == ("not_found", ["Java"])
    assert out["closest"]  # the user still sees what came nearest: "3800 lines of C++ code"
    plain = lecto("ask", str(MAPREDUCE), question)
    assert plain.stdout.startswith("Not found in the documents. The documents never mention “Java”.\n")


def test_a_question_sharing_no_word_with_the_paper_is_not_found(lecto) -> None:  # type: ignore[no-untyped-def]
    # No passage holds "garbage" or "collector": the plan is empty, and nothing is read or quoted.
    r = lecto("ask", "--json", str(PAPERS / "bitcoin.pdf"), "Which garbage collector does Java use?")
    assert r.returncode == 3, r.stderr
    out = json.loads(r.stdout)
    assert (out["status"], out["never_mentioned"], out["closest"]) == ("not_found", ["Java"], [])


@pytest.mark.parametrize(
    ("held", "used"),
    [
        ("we ran hadoop jobs", True),
        ("(hadoop) and", True),
        ("hadoop", True),
        ("the myhadoop cluster", False),  # inside a word: another name
        ("a_hadoop and 2hadoop", False),  # underscores and digits are word characters
        ("myhadoop, then hadoop", True),  # found after a match inside a word
        ("x-hadoop é.hadoop", True),
        ("éhadoop", False),
    ],
)
def test_a_name_is_used_where_a_word_starts_with_it(held: str, used: bool) -> None:
    assert known("Hadoop", held) is used


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What is the name of the new gym John found?", True),
        ("What are the names of the couple Nate met?", True),
        ("What happens to the name of a znode created with the sequential flag?", False),
        ("What is a Spanner deployment called?", False),  # "a universe": what it is called is no proper name
    ],
)
def test_a_question_asks_for_a_name_when_it_asks_what_the_name_of_something_is(question: str, asks: bool) -> None:
    assert asks_name(question) is asks


def test_a_word_opening_a_line_or_following_a_quotes_marker_starts_a_sentence_and_is_no_name() -> None:
    # A follow-up reads the earlier answer, whose quote ends "…February. [1]", before "Now answer: …".
    history = "A: The yearly plot fee is 40 euros. [1]\n\nNow answer: Is it less for Students? [2] Then Oscar pays."
    assert names(history) == ["A", "Students", "Oscar"]
