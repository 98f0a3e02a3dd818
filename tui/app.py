"""`lecto tui`: the reading room, where people ask, follow up, and check every citation."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from lecto.data import Mode
from lecto.tui.reader import Reader
from lecto.tui.screens.main import MainScreen


class ReadingRoom(App[None]):
    CSS_PATH = "lecto.tcss"
    TITLE = "lecto"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, reader: Reader, mode: Mode = Mode.AUTO) -> None:
        super().__init__()
        self.reader = reader
        self.mode = mode

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.reader, self.mode))

    def on_unmount(self) -> None:
        self.reader.close()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            yield SystemCommand(
                "Add document", "Read another file or folder into this session", screen.action_add_document
            )
            yield SystemCommand(
                "Export session", "Save the questions and cited answers as Markdown", screen.action_export
            )
            yield SystemCommand("Copy answer", "Copy the latest answer to the clipboard", screen.action_copy_answer)
            yield SystemCommand(
                "Next mode", "Switch auto/full/compress/retrieve for the next question", screen.action_next_mode
            )
