"""WhatsApp "Export chat" text files, Android (`08/05/2023, 13:56 - Name: text`) and iOS
(`[08/05/2023, 13:56:12] Name: text`). A message's id is its first line's number.

Lines that do not start with a date continue the message above (multi-line messages); a line
that starts like a date but is not a valid one is counted as malformed. System notices (no
`Name:`) are not messages. Whether dates are day- or month-first is read from the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from lecto.data import Kind
from lecto.ingest.chat.messages import Message, Messages, to_parsed
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, register_ingester
from lecto.ingest.text import looks_like_text, read_text

_TIME = r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?)"
_DATE = r"(?P<d1>\d{1,2})[/.\-](?P<d2>\d{1,2})[/.\-](?P<year>\d{2,4})"
_ANDROID = re.compile(rf"{_DATE},? {_TIME} - (?P<rest>.*)")
_IOS = re.compile(rf"\[{_DATE},? {_TIME}\] (?P<rest>.*)")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s?(?:([AaPp])\.?\s?[Mm]\.?)?")
_LOOKS_DATED = re.compile(r"\[?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")
# A byte-order mark and the invisible marks newer exports put around names and times.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200e\u200f\u202a\u202c"), None) | {0x202F: " ", 0xA0: " "}
# Lines looked at to recognise an export; the first may be a system notice.
_SNIFF_LINES = 5


def _header(line: str) -> re.Match[str] | None:
    return _ANDROID.fullmatch(line) or _IOS.fullmatch(line)


@register_ingester
class WhatsAppIngester:
    name: ClassVar[str] = "whatsapp"
    version: ClassVar[int] = 1
    kind: ClassVar[Kind] = Kind.CHAT
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        if not looks_like_text(head):
            return False
        lines = head.decode("utf-8", errors="replace").translate(_INVISIBLE).splitlines()
        return any(_header(line.strip()) for line in lines[:_SNIFF_LINES])

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        lines = read_text(path, source).translate(_INVISIBLE).splitlines()
        return to_parsed(read_lines(lines), source, Path(source).name, self.name)


def read_lines(lines: list[str]) -> Messages:
    heads = {n: m for n, line in enumerate(lines, start=1) if (m := _header(line.strip()))}
    day_first = _day_first(list(heads.values()))
    read = Messages()
    draft: _Draft | None = None  # the message that continuation lines are added to
    for n, line in enumerate(lines, start=1):
        head = heads.get(n)
        if head is None:
            _continue(draft, line, read)
            continue
        _close(draft, read)
        draft = _open(n, head, day_first, read)
    _close(draft, read)
    return read


@dataclass
class _Draft:
    id: str
    time: datetime
    speaker: str
    lines: list[str]


def _continue(draft: _Draft | None, line: str, read: Messages) -> None:
    if _LOOKS_DATED.match(line.strip()) or (draft is None and line.strip()):
        read.malformed += 1
    elif draft is not None:
        draft.lines.append(line)


def _open(n: int, head: re.Match[str], day_first: bool, read: Messages) -> _Draft | None:
    try:
        when = _when(head, day_first)
    except ValueError:  # 31/02, 25:00
        read.malformed += 1
        return None
    speaker, sep, text = head["rest"].partition(": ")
    if not sep:  # "Caroline created group", "Messages are end-to-end encrypted"
        return None
    return _Draft(str(n), when, speaker.strip(), [text])


def _close(draft: _Draft | None, read: Messages) -> None:
    if draft is not None:
        read.items.append(Message(draft.id, draft.time, draft.speaker, "\n".join(draft.lines)))


def _day_first(heads: list[re.Match[str]]) -> bool:
    """Day-first unless some date's second number can only be a day (13-31)."""
    return any(int(m["d1"]) > 12 for m in heads) or not any(int(m["d2"]) > 12 for m in heads)


def _when(head: re.Match[str], day_first: bool) -> datetime:
    d1, d2, year = int(head["d1"]), int(head["d2"]), int(head["year"])
    day, month = (d1, d2) if day_first else (d2, d1)
    clock = _CLOCK.fullmatch(head["time"])
    if clock is None:
        raise ValueError(head["time"])
    h, minute, second, meridiem = clock.groups()
    hour = int(h) % 12 + (12 if meridiem.lower() == "p" else 0) if meridiem else int(h)
    return datetime(year + (2000 if year < 100 else 0), month, day, hour, int(minute), int(second or 0))
