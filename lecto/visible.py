"""Text from documents and models made visible, never able to steer the terminal.

C0/C1 controls (ESC starts every escape sequence) are spelled out as `\\x1b`; Unicode bidi
controls and zero-width characters, which can make text read differently from what it is
(a reversed file name, a hidden word), are spelled out as `\\u202e`. Tab and newline stay:
they only lay text out. The CLI and the TUI both show document text through `visible`.
"""

from __future__ import annotations

import re

_HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    return _HIDDEN.sub(_spell, text)


def _spell(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
