"""The question log: every answer is kept in the store's SQLite file (unless --no-log), `lecto log` lists them
newest first, and `lecto ask -c` follows up on the last conversation with its history in the prompt."""

from __future__ import annotations

import json
from pathlib import Path

from scripted import Scripted, model_spec, words

from conftest import EXAMPLES
from lecto.backends import ModelOptions
from lecto.data import Answer, Mode, Status, Style, Support
from lecto.session import Conversation, Session, Settings

HANDBOOK = str(EXAMPLES / "garden-handbook.md")
FEE = "How much is the yearly plot fee?"
FEE_ANSWER = "The yearly plot fee is 40 euros, due on the first of February [1]."
STUDENTS = "What do students pay?"
STUDENTS_ANSWER = "Members who are students or retired pay a reduced fee of 25 euros [1]."


def session_for(cache: Path, script: Scripted, log: bool = True) -> Session:
    spec = model_spec(f"log-{cache.parent.name}", script)
    return Session(Settings(cache, ModelOptions(spec=spec), style=Style.FREE, log=log))


def ask(session: Session, talk: Conversation, question: str) -> Answer:
    """As `lecto ask` (`-c`) asks: planned with the earlier turns, checked against the question alone."""
    corpus = session.load(talk.sources, {})
    asked = session.follow_up(question, talk.exchanges, None)
    plan = session.plan(asked, corpus, Mode.AUTO, None, {})
    answer = session.answer(question, plan, lambda _: None, {}, read_as=asked)
    session.record(talk, question, answer)
    return answer


def test_a_follow_up_in_a_new_process_carries_the_last_conversation(tmp_path: Path) -> None:
    first = session_for(tmp_path / "cache", Scripted(words(FEE_ANSWER)))
    ask(first, first.conversation([HANDBOOK]), FEE)

    script = Scripted(words(STUDENTS_ANSWER))
    later = session_for(tmp_path / "cache", script)  # as `lecto ask -c` starts afresh
    talk = later.conversation([], follow=True)
    ask(later, talk, STUDENTS)

    assert talk.sources == [str(Path(HANDBOOK).resolve())]
    prompt = " ".join(m["content"] for m in script.prompts[-1])
    assert f"Q: {FEE}\nA: {FEE_ANSWER}" in prompt and f"Now answer: {STUDENTS}" in prompt
    newest, oldest = later.store.recent(5)
    assert (newest.question, oldest.question) == (STUDENTS, FEE)
    assert newest.conversation == oldest.conversation == oldest.id
    assert newest.status is Status.ANSWERED and newest.answer == STUDENTS_ANSWER


def test_a_follow_up_is_checked_against_the_question_asked_not_the_earlier_turns(tmp_path: Path) -> None:
    # Repeating the first answer restates the earlier turns the model read; it does not answer the follow-up.
    session = session_for(tmp_path / "cache", Scripted(words(FEE_ANSWER)))
    talk = session.conversation([HANDBOOK])
    ask(session, talk, FEE)

    repeated = ask(session, talk, "And when is the compost turned?")

    assert repeated.question == "And when is the compost turned?"
    assert [s.support for s in repeated.sentences] == [Support.OFF_QUESTION]
    assert repeated.status is Status.NOT_FOUND


def test_a_new_question_starts_a_new_conversation(tmp_path: Path) -> None:
    script = Scripted(words(FEE_ANSWER))
    session = session_for(tmp_path / "cache", script)
    for _ in range(2):
        ask(session, session.conversation([HANDBOOK]), FEE)

    newest, oldest = session.store.recent(5)
    assert newest.conversation != oldest.conversation
    assert "Earlier in this conversation" not in script.prompts[-1][-1]["content"]


def test_with_logging_off_nothing_is_stored(tmp_path: Path) -> None:
    script = Scripted(words(FEE_ANSWER))
    session = session_for(tmp_path / "cache", script, log=False)

    ask(session, session.conversation([HANDBOOK]), FEE)

    assert session.store.recent(5) == []


def test_log_lists_newest_first_and_continue_follows_up(lecto, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert lecto("ask", HANDBOOK, FEE).returncode == 0
    assert lecto("ask", "--no-log", HANDBOOK, FEE).returncode == 0
    followed = lecto("ask", "-c", "How much is the yearly plot fee for students?")
    assert followed.returncode == 0, followed.stderr

    listed = lecto("log", "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert [e["question"] for e in entries] == ["How much is the yearly plot fee for students?", FEE]
    assert entries[0]["conversation"] == entries[1]["conversation"]
    assert entries[1]["sources"] == [str(Path(HANDBOOK).resolve())] and "40 euros" in entries[1]["answer"]
    newest = lecto("log", "-n", "1")
    assert newest.returncode == 0 and "for students?" in newest.stdout and f"Q: {FEE}\n" not in newest.stdout


def test_continue_without_an_earlier_question_is_a_usage_error(lecto) -> None:  # type: ignore[no-untyped-def]
    result = lecto("ask", "-c", "And then?")

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "lecto: no earlier question to follow up (ask one without --continue first)"
    ]
