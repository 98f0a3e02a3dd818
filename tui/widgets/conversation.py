"""The conversation: every question and answer of the session, newest at the bottom."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from lecto.data import Citation
from lecto.tui.messages import TypedAhead
from lecto.tui.widgets.turn import TurnView

HINT = (
    "Type a question below and press Enter. Answers stream here with numbered citations; "
    "press 1–9, or n and p, to read each cited passage in the source viewer. Tab moves between panes."
)
# Keys that act here rather than start the next question: citation numbers and next/previous.
KEYS = set("123456789np[]")


class Conversation(VerticalScroll, can_focus=True):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # A question is being typed here: the box gets focus only after the keys already queued, and those
        # (n and p included) belong to the question, not to the citations.
        self.typing = False

    def compose(self) -> ComposeResult:
        yield Static(Text(HINT, style="dim"), id="hint")

    def start(self, question: str) -> TurnView:
        self.query("#hint").remove()
        turn = TurnView(question)
        self.mount(turn)
        self.anchor()
        return turn

    @property
    def latest(self) -> TurnView | None:
        turns = self.query(TurnView)
        return turns.last() if turns else None

    def citations(self) -> list[Citation]:
        latest = self.latest
        return latest.answer.citations if latest and latest.answer else []

    def on_mount(self) -> None:
        self.border_title = "Conversation"

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # Citation keys act here; any other character starts the next question.
        return bool(character and character.isprintable() and (self.typing or character not in KEYS))

    def on_key(self, event: events.Key) -> None:
        if self.check_consume_key(event.key, event.character):
            event.stop()
            self.typing = True
            self.post_message(TypedAhead(event.character or ""))

    def on_blur(self) -> None:
        self.typing = False
