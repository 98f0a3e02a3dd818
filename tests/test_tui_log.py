"""The reading room keeps the question log as `lecto ask` does (off with --no-log), and checks a follow-up's
answer against the question typed, not against the earlier turns the model reads before it."""

from __future__ import annotations

from pathlib import Path

import pytest
from scripted import Scripted, model_spec, words
from textual.widgets import Input
from tui_helpers import opened, until

from conftest import EXAMPLES
from lecto.backends import ModelOptions
from lecto.data import Status, Support
from lecto.session import Settings
from lecto.store import Store
from lecto.tui.app import ReadingRoom
from lecto.tui.reader import Reader

HANDBOOK = str(EXAMPLES / "garden-handbook.md")
FEE = "How much is the yearly plot fee?"
FEE_ANSWER = "The yearly plot fee is 40 euros, due on the first of February [1]."
COMPOST = "And when is the compost turned?"

pytestmark = pytest.mark.asyncio


def room(cache: Path, script: Scripted, log: bool = True) -> ReadingRoom:
    spec = model_spec(f"tui-log-{cache.parent.name}", script)
    return ReadingRoom(Reader(Settings(cache, ModelOptions(spec=spec), log=log), [HANDBOOK], budget=300))


async def ask(pilot, question: str, answers: int) -> None:  # type: ignore[no-untyped-def]
    box = pilot.app.screen.query_one(Input)
    box.focus()
    box.value = question
    await pilot.press("enter")
    await until(pilot, lambda: len(pilot.app.reader.answers) == answers, f"answer {answers}")


@pytest.mark.parametrize("log", [True, False], ids=["logged", "no-log"])
async def test_the_reading_room_logs_each_question_as_ask_does(cache_dir: Path, log: bool) -> None:
    script = Scripted(words(FEE_ANSWER))
    app = room(cache_dir, script, log)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await ask(pilot, FEE, 1)
        await ask(pilot, COMPOST, 2)

    store = Store(cache_dir)
    entries = store.recent(5)
    store.close()
    if not log:
        assert entries == []
        return
    newest, oldest = entries
    assert (newest.question, oldest.question) == (COMPOST, FEE)
    assert newest.conversation == oldest.conversation == oldest.id  # one conversation: the room's
    assert oldest.sources == [str(Path(HANDBOOK).resolve())]
    assert oldest.status is Status.ANSWERED and oldest.answer == FEE_ANSWER


async def test_a_follow_up_is_checked_against_the_question_typed(cache_dir: Path) -> None:
    # The second answer repeats the first instead of answering: against the earlier turns the
    # model read it only restates them; against the question asked, it is off the question.
    script = Scripted(words(FEE_ANSWER))
    app = room(cache_dir, script)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await ask(pilot, FEE, 1)
        await ask(pilot, COMPOST, 2)
        first, second = app.reader.answers

    assert f"Q: {FEE}\nA: {FEE_ANSWER}" in script.prompts[-1][-1]["content"]  # the model read the first turn
    assert first.status is Status.ANSWERED
    assert second.question == COMPOST
    assert [s.support for s in second.sentences] == [Support.OFF_QUESTION]
    assert second.status is Status.NOT_FOUND
