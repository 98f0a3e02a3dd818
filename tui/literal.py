"""Document text and model output shown as plain text: never markup, never terminal control.

Everything a document or the model wrote reaches the screen through `literal()`: a
`rich.text.Text` is never parsed for `[bold]` or `[@click=…]`, and control characters
(ESC and friends) are spelled out as `\\x1b` so a document cannot drive the terminal.
"""

from __future__ import annotations

import re

from rich.text import Text

# Tab and newline lay text out; every other C0/C1 control could steer the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def literal(text: str, style: str = "") -> Text:
    return Text(escape_controls(text), style=style)
