"""Document text and model output shown as plain text: never markup, never terminal control.

Everything a document or the model wrote reaches the screen through `literal()`: a
`rich.text.Text` is never parsed for `[bold]` or `[@click=…]`, and control characters
(ESC and friends) are spelled out as `\\x1b` so a document cannot drive the terminal.
"""

from __future__ import annotations

from rich.text import Text

from lecto.visible import visible


def escape_controls(text: str) -> str:
    return visible(text)


def literal(text: str, style: str = "") -> Text:
    return Text(escape_controls(text), style=style)
