"""The reading room through Pilot on real documents: its flow with a scripted model, the rest with the bundled one."""

from __future__ import annotations

from pathlib import Path

import pytest
from scripted import Scripted, model_spec, words
from textual.message import Message
from textual.widgets import Input, Markdown
from tui_helpers import opened, reading_room, screen_text, until

from conftest import EXAMPLES, PAPERS
from lecto.answer.marked import marked
from lecto.data import Mode, Status
from lecto.kinds.pdf import PageLocation
from lecto.tui.messages import AnswerDone, AnswerPlanned, AnswerStopped, AnswerText
from lecto.tui.screens.main import MainScreen
from lecto.tui.widgets.conversation import Conversation
from lecto.tui.widgets.source_viewer import SourceViewer
from lecto.tui.widgets.sources_list import SourcesList
from lecto.tui.widgets.status_bar import StatusBar
from lecto.tui.widgets.turn import TurnView

GFS = str(PAPERS / "the-google-file-system.pdf")
HANDBOOK = str(EXAMPLES / "garden-handbook.md")

pytestmark = pytest.mark.asyncio


class Recorder:
    """Every message the app handles, in order, for tests that care what was streamed."""

    def __init__(self) -> None:
        self.seen: list[Message] = []
        self._ids: set[int] = set()  # ids stay unique: every recorded message is kept alive in `seen`

    def __call__(self, message: Message) -> None:
        # A message that bubbles is handled at each level, possibly with many streamed
        # messages in between; record it once.
        if id(message) not in self._ids:
            self._ids.add(id(message))
            self.seen.append(message)

    def of(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.seen if isinstance(m, kind)]


def slow_answer() -> Scripted:
    """An answer that streams for a while: long enough to be stopped or overtaken."""
    return Scripted(words("The yearly plot fee is 40 euros. " * 40), delay=0.05)


async def ask(pilot, question: str) -> None:  # type: ignore[no-untyped-def]
    box = pilot.app.screen.query_one(Input)
    box.focus()
    box.value = question
    await pilot.press("enter")


async def test_answer_streams_with_citations_and_keys_open_the_cited_page(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the export must not land here
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    record = Recorder()
    # The flow is lecto's: a scripted model streams its words, the checker attributes them to the page.
    model = model_spec("chunk-size", Scripted(words("GFS uses a chunk size of 64 MB."), delay=0.01))
    app = reading_room(cache_dir, [GFS], budget=1200, model=model)
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await opened(pilot)
        await ask(pilot, "What chunk size does GFS use?")
        await until(pilot, lambda: record.of(AnswerDone), "the answer")
        answer = record.of(AnswerDone)[0].answer  # type: ignore[attr-defined]

        deltas = record.of(AnswerText)
        assert len(deltas) > 1, "the answer arrives in pieces, not at once"
        assert record.seen.index(deltas[-1]) < record.seen.index(record.of(AnswerDone)[0])
        streamed = "".join(d.delta for d in deltas)  # type: ignore[attr-defined]
        assert streamed.strip() == answer.text
        turn = app.screen.query_one(TurnView)
        # Then shown as the CLI redraws it, each claim's source in place.
        assert turn.query_one(Markdown).source.strip() == marked(answer)

        assert answer.status is Status.ANSWERED and answer.citations
        for citation in answer.citations:
            await pilot.press(str(citation.n))
            page = citation.span.location
            assert isinstance(page, PageLocation)
            viewer = app.screen.query_one(SourceViewer)
            assert f"p. {page.page}" in str(viewer.border_title)
            shown = viewer.query_one(".body").content.code  # type: ignore[attr-defined]
            assert citation.text.splitlines()[0] in shown
            assert f"[{citation.n}]" in screen_text(pilot)
        before = answer.citations.index(app.screen.current)
        focused = app.focused
        await pilot.press("n")
        assert app.screen.current == answer.citations[(before + 1) % len(answer.citations)]
        await pilot.press("p")
        assert app.screen.current == answer.citations[before] and app.focused is focused

        await pilot.press("ctrl+y")
        assert app.clipboard == answer.text
        await pilot.press("ctrl+s")
        await pilot.press("enter")  # the path offered: the user's data folder
        [exported] = (tmp_path / "data" / "lecto").glob("lecto-session-*.md")
        assert not list(tmp_path.glob("*.md"))
        saved = exported.read_text()
        assert "## What chunk size does GFS use?" in saved and answer.text in saved
        assert all(c.span.describe() in saved for c in answer.citations)


async def test_escape_stops_the_answer_and_the_mode_switch_applies_to_the_next_question(cache_dir: Path) -> None:
    record = Recorder()
    app = reading_room(cache_dir, [HANDBOOK], budget=300, model=model_spec("slow", slow_answer()))
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await opened(pilot)
        for _ in range(3):
            await pilot.press("ctrl+o")
        assert app.screen.mode is Mode.RETRIEVE
        assert "next: retrieve" in screen_text(pilot)

        await ask(pilot, "Describe every rule of the garden in as much detail as you can.")
        await until(pilot, lambda: record.of(AnswerText), "the first words")
        await pilot.press("escape")
        await until(pilot, lambda: record.of(AnswerStopped), "the stop")

        assert not record.of(AnswerDone)
        assert record.of(AnswerPlanned)[0].plan.mode is Mode.RETRIEVE  # type: ignore[attr-defined]
        assert app.reader.answers == []
        assert "stopped" in screen_text(pilot)
        # Still responsive: the next question's mode can change and the box takes input.
        await pilot.press("ctrl+o")
        assert app.screen.query_one(StatusBar).mode is Mode.AUTO
        await pilot.click(Input)
        await pilot.press("o", "k")
        assert app.screen.query_one(Input).value == "ok"


async def test_a_new_question_stops_the_answer_in_flight_and_gets_its_own_answer(cache_dir: Path) -> None:
    record = Recorder()
    app = reading_room(cache_dir, [HANDBOOK], budget=300, model=model_spec("slow", slow_answer()))
    async with app.run_test(size=(120, 40), message_hook=record) as pilot:
        await opened(pilot)
        await ask(pilot, "Describe every rule of the garden in detail.")
        await until(pilot, lambda: record.of(AnswerText), "the first words")
        await ask(pilot, "How much is the yearly plot fee?")
        await until(pilot, lambda: record.of(AnswerDone), "the second answer")

        first, second = app.screen.query(TurnView)
        [stopped] = record.of(AnswerStopped)
        [done] = record.of(AnswerDone)
        assert stopped.turn is first and done.turn is second  # type: ignore[attr-defined]
        assert first.answer is None and second.answer is done.answer  # type: ignore[attr-defined]
        before_stop = record.seen[: record.seen.index(stopped)]
        assert all(m.turn is first for m in before_stop if isinstance(m, AnswerText))
        assert [a.question for a in app.reader.answers] == ["How much is the yearly plot fee?"]


async def test_a_document_added_during_the_session_is_listed_and_a_bad_path_is_a_notification(
    cache_dir: Path,
) -> None:
    app = reading_room(cache_dir, [HANDBOOK])
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+n")
        await pilot.press(*"/no/such/file.pdf", "enter")
        await until(pilot, lambda: any("no such file" in n.message for n in app._notifications), "the error")
        assert isinstance(app.screen, MainScreen)

        await pilot.press("ctrl+n")
        app.screen.query_one(Input).value = GFS
        await pilot.press("enter")
        await opened(pilot, documents=2)
        assert [d.source for d in app.reader.corpus.documents] == [HANDBOOK, GFS]
        assert GFS in app.reader.sources


async def test_a_plan_that_cannot_fit_is_a_notification_and_the_app_carries_on(cache_dir: Path) -> None:
    app = reading_room(cache_dir, [GFS], budget=400, mode=Mode.FULL)
    async with app.run_test(size=(120, 40)) as pilot:
        # Asked while the paper is still being read: the question waits for it, then is planned.
        await ask(pilot, "What chunk size does GFS use?")
        await until(pilot, lambda: any("--mode full" in n.message for n in app._notifications), "the error")
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert "failed" in screen_text(pilot)
        assert app.screen.query_one(TurnView).answer is None


async def test_markup_and_escape_sequences_in_a_document_are_shown_literally(cache_dir: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "[bold]notes[red].txt"
    hostile.write_text("Rule one: [bold]not bold[/bold] and [@click=app.quit]quit[/] and \x1b[31mred\x1b[0m here.\n")
    app = reading_room(cache_dir, [str(hostile)])
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        tree = app.screen.query_one(SourcesList)
        tree.focus()
        await pilot.press("enter")  # open the document
        await until(pilot, lambda: bool(tree.root.children[0].children), "its passages")
        await pilot.press("down", "enter")  # pick its first passage
        await pilot.pause()
        text = screen_text(pilot)
        assert "[bold]notes[red].txt" in text
        assert "[bold]not bold[/bold]" in text
        assert "[@click=app.quit]quit[/]" in text
        assert "\\x1b[31mred\\x1b[0m" in text

        # The same holds for what the model writes and what the user asks.
        turn = app.screen.query_one(Conversation).start("[b]why[/b]?")
        await pilot.pause()
        await turn.write("See [@click=app.quit]this[/] \x1b[2J now.")
        await turn.finish(None)
        await pilot.pause()
        text = screen_text(pilot)
        assert "[b]why[/b]?" in text
        assert "[@click=app.quit]this[/]" in text and "\\x1b[2J" in text
        assert app.is_running
