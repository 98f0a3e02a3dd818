"""A backend that cannot score candidates (the OpenAI-compatible one, a bigger GGUF) keeps free answers, checked."""

from __future__ import annotations

from pathlib import Path

from scripted import Scripted, model_spec, words

from conftest import EXAMPLES
from lecto.backends import ModelOptions
from lecto.data import Mode, Status, Style
from lecto.session import Session, Settings

HANDBOOK = str(EXAMPLES / "garden-handbook.md")
QUESTION = "How much is the yearly plot fee?"


def ask(tmp_path: Path, answer: str):  # type: ignore[no-untyped-def]
    session = Session(
        Settings(tmp_path / "cache", ModelOptions(spec=model_spec(tmp_path.name, Scripted(words(answer)))))
    )
    timings: dict[str, float] = {}
    plan = session.plan(QUESTION, session.load([HANDBOOK], timings), Mode.AUTO, None, timings)
    return session, session.answer(QUESTION, plan, lambda _: None, timings)


def test_a_backend_that_cannot_score_answers_in_its_own_words_with_its_own_markers(tmp_path: Path) -> None:
    session, answer = ask(tmp_path, "The yearly plot fee is 40 euros [1].")
    assert session.style is Style.FREE
    assert answer.status is Status.ANSWERED
    assert [(s.citations, s.support.backed) for s in answer.sentences] == [((1,), True)]


def test_its_wrong_number_is_not_backed_and_not_answered(tmp_path: Path) -> None:
    _, answer = ask(tmp_path, "The yearly plot fee is 14 euros [1].")
    assert answer.status is Status.NOT_FOUND
