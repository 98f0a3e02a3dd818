"""The reading room's keys as in other Textual apps: Esc stops at once, Tab moves focus, Ctrl+S asks where."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from scripted import Scripted, model_spec, words
from test_tui import Recorder, ask, slow_answer
from textual import events
from textual.widgets import Input
from tui_helpers import opened, reading_room, screen_text, until

from conftest import EXAMPLES
from lecto.backends import ModelOptions
from lecto.context.speed import speed_key
from lecto.session import Session, Settings
from lecto.store.speed import Speed
from lecto.tui.app import ReadingRoom
from lecto.tui.messages import AnswerDone, AnswerStopped
from lecto.tui.screens.save_session import SaveSessionScreen
from lecto.tui.widgets.conversation import Conversation
from lecto.tui.widgets.question_input import QuestionInput
from lecto.tui.widgets.source_viewer import SourceViewer
from lecto.tui.widgets.sources_list import SourcesList
from lecto.tui.widgets.status_bar import StatusBar

HANDBOOK = str(EXAMPLES / "garden-handbook.md")
FEE = "How much is the yearly plot fee?"

pytestmark = pytest.mark.asyncio


async def test_escape_while_the_documents_are_read_stops_at_once(cache_dir: Path) -> None:
    record = Recorder()
    app = reading_room(cache_dir, [HANDBOOK], model=model_spec("fee", Scripted(words("The fee is 40 euros."))))
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await opened(pilot)
        # The session thread kept busy, as while a large PDF is read: the question waits behind it.
        reading = threading.Event()
        app.reader._thread.submit(reading.wait)
        said = activities(app)
        await ask(pilot, FEE)
        await pilot.press("escape")
        await until(pilot, lambda: record.of(AnswerStopped), "the stop")
        assert said == ["reading…", "stopping…", "stopped"]
        reading.set()
        await pilot.pause(0.5)
        assert not record.of(AnswerDone) and app.reader.answers == []
        assert "(stopped)" in screen_text(pilot)


async def test_escape_while_writing_says_stopping_at_once(cache_dir: Path) -> None:
    record = Recorder()
    app = reading_room(cache_dir, [HANDBOOK], budget=300, model=model_spec("slow", slow_answer()))
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await opened(pilot)
        await ask(pilot, "Describe every rule of the garden.")
        await until(pilot, lambda: "answering" in app.screen.query_one(StatusBar).activity, "the answer")
        said = activities(app)
        await pilot.press("escape")
        await until(pilot, lambda: record.of(AnswerStopped), "the stop")
        assert said == ["stopping…", "stopped"]
        assert "(stopped)" in screen_text(pilot)


def activities(app: ReadingRoom) -> list[str]:
    """What the status bar says the question is doing, each change as it is made."""
    said: list[str] = []
    app.watch(app.screen.query_one(StatusBar), "activity", lambda now: said.append(now), init=False)
    return said


async def test_the_status_bar_counts_the_seconds_of_a_question_in_flight(cache_dir: Path) -> None:
    app = reading_room(cache_dir, [HANDBOOK], budget=300, model=model_spec("slow", slow_answer()))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await ask(pilot, "Describe every rule of the garden.")
        await until(pilot, lambda: " s · Esc stops" in screen_text(pilot), "the elapsed time")
        await pilot.press("escape")
        await until(pilot, lambda: "Esc stops" not in screen_text(pilot), "the count to end")


async def test_tab_moves_focus_through_the_panes(cache_dir: Path) -> None:
    app = reading_room(cache_dir, [HANDBOOK], model=model_spec("fee", Scripted(words("40 euros."))))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        assert isinstance(app.focused, Input)
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(type(app.focused))
        assert seen == [SourceViewer, SourcesList, Conversation, QuestionInput]
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Conversation)


async def test_a_question_typed_fast_after_an_answer_keeps_its_n_and_p(cache_dir: Path) -> None:
    # After an answer the conversation has focus, where n and p move between citations; a question typed
    # there goes to the box, and keys that arrive before the box has focus are part of it, n and p too.
    app = reading_room(cache_dir, [HANDBOOK], model=model_spec("fee", Scripted(words("The fee is 40 euros [1]."))))
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await ask(pilot, FEE)
        await until(pilot, lambda: app.reader.answers and isinstance(app.focused, Conversation), "the answer")
        for character in "When is compost turned?":  # as fast as a paste through tmux: all queued at once
            app.post_message(events.Key(character if character != " " else "space", character))
        await pilot.pause(0.2)

        assert app.screen.query_one(QuestionInput).value == "When is compost turned?"


async def test_ctrl_s_asks_where_and_escape_saves_nothing(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    model = model_spec("fee", Scripted(words("The yearly plot fee is 40 euros.")))
    app = reading_room(cache_dir, [HANDBOOK], model=model)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await ask(pilot, FEE)
        await until(pilot, lambda: bool(app.reader.answers), "the answer")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveSessionScreen)
        offered = Path(app.screen.query_one(Input).value)
        assert offered.parent == tmp_path / "data" / "lecto" and offered.suffix == ".md"
        await pilot.press("escape")
        assert not (tmp_path / "data").exists()

        await pilot.press("ctrl+s")
        chosen = tmp_path / "notes" / "fee.md"
        app.screen.query_one(Input).value = str(chosen)
        await pilot.press("enter")
        assert f"## {FEE}" in chosen.read_text()


async def test_the_footer_at_80_columns_shows_quit(cache_dir: Path) -> None:
    app = reading_room(cache_dir, [HANDBOOK], model=model_spec("fee", Scripted(words("40 euros."))))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        text = screen_text(pilot)
        assert "^q Quit" in text and "^p palette" in text
        assert "▏" not in text  # Textual's divider before the palette key
        app.screen.query_one(Conversation).focus()
        await pilot.pause()
        assert "^q Quit" in screen_text(pilot)


async def test_max_wait_cuts_a_slow_answer_at_the_limit_with_a_note(cache_dir: Path) -> None:
    spec = model_spec("wait", Scripted(words("The yearly plot fee is 40 euros [1]. " * 40), delay=0.1))
    # Speeds that promise far more than the script gives, so only the limit can stop it.
    session = Session(Settings(cache_dir=cache_dir, model=ModelOptions(spec=spec)))
    session.store.put_speed(speed_key(session.backend), Speed(1e6, 1e3, time.time()))
    session.store.close()
    record = Recorder()
    app = reading_room(cache_dir, [HANDBOOK], model=spec, max_wait=1.0)
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await opened(pilot)
        await ask(pilot, FEE)
        await until(pilot, lambda: record.of(AnswerDone), "the answer")
        [done] = record.of(AnswerDone)
        [note] = done.answer.notes  # type: ignore[attr-defined]
        assert note.startswith("stopped at the 1 s limit (--max-wait)")
        # The hook sees AnswerDone before the screen's handler shows its note, so wait for that too.
        await until(pilot, lambda: note in [n.message for n in app._notifications], "the note shown")
