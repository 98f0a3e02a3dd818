"""The reading room's one screen: conversation and question box, source viewer, sources list, status.

Long work runs in thread workers (reading documents, generating answers) that report back
only through messages; their errors arrive as worker state changes and become notifications.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from lecto.answer.present import plain
from lecto.context.modes import cycle
from lecto.data import Citation, Mode, Plan
from lecto.errors import LectoError
from lecto.paths import data_dir
from lecto.tui.excerpt import excerpt, locate
from lecto.tui.export import session_markdown
from lecto.tui.messages import (
    AnswerDone,
    AnswerPlanned,
    AnswerStopped,
    AnswerText,
    CorpusLoaded,
    ModelReady,
    PassagePicked,
    TypedAhead,
)
from lecto.tui.reader import Reader, Stopped
from lecto.tui.screens.add_document import AddDocumentScreen
from lecto.tui.screens.save_session import SaveSessionScreen
from lecto.tui.widgets.conversation import Conversation
from lecto.tui.widgets.question_input import QuestionInput
from lecto.tui.widgets.source_viewer import SourceViewer
from lecto.tui.widgets.sources_list import SourcesList
from lecto.tui.widgets.status_bar import StatusBar
from lecto.tui.widgets.turn import TurnView

MODES = cycle()
CITATIONS = Binding.Group("Cite", compact=True)
# Keys that move between citations without leaving the widget in focus (Tab moves focus, as in every Textual app).
NEXT_CITATION = ("n", "right_square_bracket")
PREVIOUS_CITATION = ("p", "left_square_bracket")


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "stop", "Stop"),
        Binding(",".join(NEXT_CITATION), "next_citation(1)", "Next citation"),
        Binding(",".join(PREVIOUS_CITATION), "next_citation(-1)", "Previous citation", show=False),
        *[Binding(str(n), f"citation({n})", f"Citation [{n}]", group=CITATIONS, show=False) for n in range(1, 10)],
        Binding("ctrl+o", "next_mode", "Mode"),
        Binding("ctrl+n", "add_document", "Add"),
        Binding("ctrl+y", "copy_answer", "Copy"),
        Binding("ctrl+s", "export", "Save"),
    ]

    def __init__(self, reader: Reader, mode: Mode) -> None:
        super().__init__()
        self.reader = reader
        self.mode = mode
        self.current: Citation | None = None
        self._asking: dict[Worker[None], TurnView] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="reading"):
                yield Conversation(id="conversation")
                yield QuestionInput()
            with Vertical(id="side"):
                yield SourceViewer(id="viewer")
                yield SourcesList()
        yield StatusBar(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(StatusBar).mode = self.mode
        self.query_one(QuestionInput).focus()
        self.read(list(self.reader.sources))
        self.open_model()

    # Workers: each hops onto the reader's session thread and reports through messages.

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def read(self, sources: list[str]) -> None:
        loaded = self.reader.load(sources)
        self.post_message(CorpusLoaded(loaded.corpus, loaded.warnings))

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def open_model(self) -> None:
        self.post_message(ModelReady(self.reader.model_name()))
        self.reader.ready_in_time()

    # Exclusive: a new question stops the answer still being written.
    @work(thread=True, exclusive=True, group="answer", exit_on_error=False)
    def ask(self, turn: TurnView, question: str, mode: Mode) -> None:
        worker = get_current_worker()

        def on_plan(plan: Plan) -> None:
            if worker.is_cancelled:
                raise Stopped
            self.post_message(AnswerPlanned(turn, plan))

        def on_text(delta: str) -> None:
            if worker.is_cancelled:
                raise Stopped
            self.post_message(AnswerText(turn, delta))

        try:
            answer = self.reader.ask(question, mode, on_plan, on_text, lambda: worker.is_cancelled)
        except Stopped:
            self.post_message(AnswerStopped(turn))
            return
        self.post_message(AnswerDone(turn, answer))

    # Results coming back.

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        self.query_one(SourcesList).set_documents(message.corpus.documents)
        for warning in message.warnings:
            self.notify(warning, severity="warning", markup=False)

    def on_model_ready(self, message: ModelReady) -> None:
        self.query_one(StatusBar).model = message.name

    def on_answer_planned(self, message: AnswerPlanned) -> None:
        status = self.query_one(StatusBar)
        status.plan, status.answer, status.activity = message.plan, None, "answering…"

    async def on_answer_text(self, message: AnswerText) -> None:
        await message.turn.write(message.delta)

    async def on_answer_done(self, message: AnswerDone) -> None:
        status = self.query_one(StatusBar)
        status.answer, status.activity, status.started = message.answer, "", None
        await message.turn.finish(message.answer)
        for note in message.answer.notes:
            self.notify(note, severity="warning", markup=False)
        if message.answer.citations and message.turn is self.query_one(Conversation).latest:
            self.show_citation(message.answer.citations[0])
        if self.focused is self.query_one(QuestionInput):
            self.query_one(Conversation).focus()

    async def on_answer_stopped(self, message: AnswerStopped) -> None:
        status = self.query_one(StatusBar)
        status.activity, status.started = "stopped", None
        await message.turn.finish(None)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state in (WorkerState.SUCCESS, WorkerState.CANCELLED):
            self._asking.pop(event.worker, None)
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        text = str(error) if isinstance(error, LectoError) else f"internal error: {type(error).__name__}: {error}"
        self.notify(text, title="lecto", severity="error", markup=False, timeout=10)
        if turn := self._asking.pop(event.worker, None):
            status = self.query_one(StatusBar)
            status.activity, status.started = "failed", None
            await turn.finish(None)

    # What the user does.

    def on_input_submitted(self, event: Input.Submitted) -> None:
        question = event.value.strip()
        if not question:
            return
        # While documents are still being read the question waits its turn on the session thread.
        reading = any(w.group == "read" and w.is_running for w in self.workers)
        if not reading and not self.reader.corpus.documents:
            self.notify("No documents yet: add one with Ctrl+N.", severity="warning")
            return
        event.input.clear()
        self.current = None
        turn = self.query_one(Conversation).start(question)
        status = self.query_one(StatusBar)
        status.activity, status.started = "reading…", time.monotonic()
        self._asking[self.ask(turn, question, self.mode)] = turn

    def on_typed_ahead(self, message: TypedAhead) -> None:
        box = self.query_one(QuestionInput)
        box.focus()
        box.insert_text_at_cursor(message.character)

    def on_passage_picked(self, message: PassagePicked) -> None:
        self.query_one(SourceViewer).show(excerpt(message.document, message.chunk))

    def show_citation(self, citation: Citation) -> None:
        self.current = citation
        found = locate(self.reader.corpus, citation.span, citation.text)
        if found is not None:
            self.query_one(SourceViewer).show(excerpt(*found), citation.quote)
        latest = self.query_one(Conversation).latest
        if latest is not None:
            latest.show_current(citation.n)

    def action_stop(self) -> None:
        """Stop the question in flight, in whatever phase; it says so at once and ends within `POLL_S`."""
        if all(w.is_cancelled or w.is_finished for w in self._asking):
            return
        self.workers.cancel_group(self, "answer")
        status = self.query_one(StatusBar)
        status.activity, status.started = "stopping…", None
        latest = self.query_one(Conversation).latest
        if latest is not None:
            latest.stopping()

    def action_citation(self, n: int) -> None:
        chosen = [c for c in self.query_one(Conversation).citations() if c.n == n]
        if chosen:
            self.show_citation(chosen[0])

    def action_next_citation(self, step: int) -> None:
        citations = self.query_one(Conversation).citations()
        if not citations:
            return
        at = citations.index(self.current) if self.current in citations else -step
        self.show_citation(citations[(at + step) % len(citations)])

    def action_next_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self.query_one(StatusBar).mode = self.mode

    def action_add_document(self) -> None:
        self.app.push_screen(AddDocumentScreen(), self._add)

    def _add(self, path: str | None) -> None:
        if path:
            self.read([path])

    def action_copy_answer(self) -> None:
        latest = self.query_one(Conversation).latest
        if latest is None or latest.answer is None:
            self.notify("No answer to copy yet.", severity="warning")
            return
        self.app.copy_to_clipboard(plain(latest.answer))
        self.notify("Answer copied to the clipboard.")

    def action_export(self) -> None:
        if not self.reader.answers:
            self.notify("Nothing to save yet: ask a question first.", severity="warning")
            return
        default = data_dir() / f"lecto-session-{datetime.now():%Y%m%d-%H%M%S}.md"
        self.app.push_screen(SaveSessionScreen(default), self._save)

    def _save(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(session_markdown(self.reader.answers, self.reader.sources), encoding="utf-8")
        except OSError as e:
            self.notify(f"{path}: cannot write ({e.strerror or e})", severity="error", markup=False)
            return
        self.notify(f"Session saved to {path.resolve()}", markup=False)
