"""The source viewer: a cited passage in its context, its own lines marked.

Only the excerpt is rendered (a page, a window of lines, a few messages), never the whole
document, so a huge source shows at once.
"""

from __future__ import annotations

import re

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from lecto.tui.excerpt import Excerpt
from lecto.tui.literal import escape_controls, literal

MARK_STYLE = "on #264f78"
QUOTE_STYLE = "bold underline"


class SourceViewer(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(Text("Pick a citation (1–9, Tab) or a passage in Sources.", style="dim"), classes="body")

    def on_mount(self) -> None:
        self.border_title = "Source"

    def show(self, shown: Excerpt, quote: str | None = None) -> None:
        self.border_title = literal(shown.title)
        self.query_one(".body", Static).update(render(shown, quote))
        marked = min(shown.marked, default=0)
        self.call_after_refresh(self.scroll_to, y=max(0, marked - 2), animate=False)


def render(shown: Excerpt, quote: str | None) -> Syntax:
    """Prose and code alike go through `Syntax`: it wraps under its line numbers and never reads markup."""
    code = "\n".join(escape_controls(line) for line in shown.lines)
    syntax = Syntax(
        code,
        shown.lexer or "text",
        line_numbers=bool(shown.first_line),
        start_line=shown.first_line or 1,
        word_wrap=True,
        theme="ansi_dark",
    )
    if shown.marked:
        last = max(shown.marked)
        syntax.stylize_range(MARK_STYLE, (min(shown.marked) + 1, 0), (last + 1, len(shown.lines[last])))
    if quote:
        _underline(syntax, code, quote)
    return syntax


def _underline(syntax: Syntax, code: str, quote: str) -> None:
    # The quote may wrap differently in the source than in the citation: match across whitespace.
    words = [re.escape(w) for w in quote.split()]
    found = re.search(r"\s+".join(words), code) if words else None
    if found:
        syntax.stylize_range(QUOTE_STYLE, _position(code, found.start()), _position(code, found.end()))


def _position(code: str, offset: int) -> tuple[int, int]:
    """A character offset as Syntax's (1-based line, column)."""
    before = code[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1)
