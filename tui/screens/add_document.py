"""Asks for a file or folder to add to the session; dismissed with the path, or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class AddDocumentScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="add-document"):
            yield Label("Add a file or folder to this session (Enter adds, Esc cancels):", markup=False)
            yield Input(placeholder="path/to/document.pdf", id="path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)
