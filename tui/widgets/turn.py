"""One question and its answer: streamed Markdown, then the checked citations under it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from lecto.answer.marked import marked
from lecto.answer.present import citation_text, closest_lines, not_found_reason
from lecto.data import Answer, Status
from lecto.tui.literal import escape_controls, literal

# A quote longer than this is cut in the list; the viewer shows it whole.
QUOTE_CHARS = 90


class TurnView(Vertical):
    def __init__(self, question: str) -> None:
        super().__init__(classes="turn")
        self.question = question
        self.answer: Answer | None = None
        self._stream: MarkdownStream | None = None

    def compose(self) -> ComposeResult:
        yield Static(literal(f"› {self.question}"), classes="question")
        # Model output may contain links; following them is not the reading room's business.
        yield Markdown(classes="answer", open_links=False)
        yield Static(classes="citations")

    async def write(self, delta: str) -> None:
        if self._stream is None:
            self._stream = Markdown.get_stream(self.query_one(Markdown))
        await self._stream.write(escape_controls(delta))

    async def finish(self, answer: Answer | None) -> None:
        """Close the stream; with an answer, replace the streamed text by its final form and list its citations."""
        if self._stream is not None:
            await self._stream.stop()
        self.answer = answer
        if answer is None:
            self.query_one(".citations", Static).update(Text("(stopped)", style="italic"))
            return
        # As the CLI redraws it: each claim's sources in place, or the verdict on a withdrawn answer.
        final = marked(answer) if answer.status is Status.ANSWERED else not_found_reason(answer)
        await self.query_one(Markdown).update(escape_controls(final))
        self.show_current(None)

    def stopping(self) -> None:
        """Said the moment the user stops it; `finish` replaces it when the answer has stopped."""
        if self.answer is None:
            self.query_one(".citations", Static).update(Text("(stopping…)", style="italic"))

    def show_current(self, current: int | None) -> None:
        answer = self.answer
        if answer is not None and answer.status is not Status.ANSWERED:
            lines = closest_lines(answer, QUOTE_CHARS)
        else:
            lines = [citation_text(c, QUOTE_CHARS, c.n == current) for c in (answer.citations if answer else [])]
        self.query_one(".citations", Static).update(Text("\n").join(lines))
