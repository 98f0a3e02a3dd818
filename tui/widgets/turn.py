"""One question and its answer: streamed Markdown, then the checked citations under it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownStream

from lecto.data import Answer, Citation, Status
from lecto.tui.export import NOT_FOUND
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
        if answer.status is not Status.ANSWERED:
            await self.query_one(Markdown).update(NOT_FOUND)
        self.show_current(None)

    def show_current(self, current: int | None) -> None:
        citations = self.answer.citations if self.answer else []
        lines = [_citation_line(c, c.n == current) for c in citations]
        self.query_one(".citations", Static).update(Text("\n").join(lines))


def _citation_line(c: Citation, current: bool) -> Text:
    quote = " ".join(c.quote.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[: QUOTE_CHARS - 1].rstrip() + "…"
    parts = [Text(f"[{c.n}]", style="bold reverse" if current else "bold"), literal(c.where.describe(), "cyan")]
    if not c.verified:
        parts.append(Text("(unverified)", style="red"))
    if not c.by_model:
        parts.append(Text("(attributed by lecto)", style="yellow"))
    parts.append(Text.assemble("“", literal(quote, "italic"), "”"))
    return Text(" ").join(parts)
