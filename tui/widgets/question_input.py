"""The question box. Enter asks; its binding is named so the footer shows it."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class QuestionInput(Input):
    BINDINGS = [Binding("enter", "submit", "Ask")]

    def __init__(self) -> None:
        super().__init__(placeholder="Ask about the documents…", id="question")
