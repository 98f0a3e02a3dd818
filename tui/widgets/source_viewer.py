"""The source viewer: a cited passage in its context, its own lines marked.

Only the excerpt is rendered (a page, a window of lines, a few messages), never the whole
document, so a huge source shows at once.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from lecto.tui.excerpt import Excerpt
from lecto.tui.literal import escape_controls, literal

MARK_STYLE = "on #264f78"
QUOTE_STYLE = "bold underline"
# Rows shown above the quote when the viewer jumps to it, so it is read in context.
CONTEXT_ROWS = 3


class SourceViewer(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(Text("Pick a citation (1–9, n, p) or a passage in Sources.", style="dim"), classes="body")

    def on_mount(self) -> None:
        self.border_title = "Source"

    def show(self, shown: Excerpt, quote: str | None = None) -> None:
        self.border_title = literal(shown.title)
        self.query_one(".body", Static).update(render(shown, quote))
        line, column = _quote_at(shown, quote) or (min(shown.marked, default=0), 0)
        self.call_after_refresh(self._jump_to, shown, line, column)

    def _jump_to(self, shown: Excerpt, line: int, column: int) -> None:
        """Bring the quote near the top; wrapped lines take several rows, so count them."""
        gutter = len(str(shown.first_line + len(shown.lines))) + 3 if shown.first_line else 0
        width = max(1, self.scrollable_content_region.width - gutter)
        rows = sum(max(1, -(-cell_len(text) // width)) for text in shown.lines[:line])
        rows += cell_len(shown.lines[line][:column]) // width if line < len(shown.lines) else 0
        self.scroll_to(y=max(0, rows - CONTEXT_ROWS), animate=False)


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
    if found := _find(code, quote):
        syntax.stylize_range(QUOTE_STYLE, _position(code, found.start()), _position(code, found.end()))
    return syntax


def _find(code: str, quote: str | None) -> re.Match[str] | None:
    # The quote may wrap differently in the source than in the citation: match across whitespace.
    words = [re.escape(w) for w in (quote or "").split()]
    return re.search(r"\s+".join(words), code) if words else None


def _quote_at(shown: Excerpt, quote: str | None) -> tuple[int, int] | None:
    """Where the quote starts in the excerpt: (0-based line, column)."""
    code = "\n".join(escape_controls(line) for line in shown.lines)
    found = _find(code, quote)
    if found is None:
        return None
    line, column = _position(code, found.start())
    return line - 1, column


def _position(code: str, offset: int) -> tuple[int, int]:
    """A character offset as Syntax's (1-based line, column)."""
    before = code[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1)
