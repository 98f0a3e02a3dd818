"""WhatsApp "Export chat" text files, in every locale the app writes them.

Android writes `16/08/2016, 09:05 - Ann: text`, iOS `[16/08/2016, 09:05:07] Ann: text`; the
phone's locale decides the rest: day or month first, `/`, `.` or `-` between the numbers (with
spaces in some), ISO dates, a 12- or 24-hour clock with or without seconds, a word before the
time (`klo`, `à`, `um`), a colon or nothing after it. One pattern reads them all, and the file's
most common header form is its form, so a message line that happens to start with a date stays
text. A message's id is its first line's number.

Lines that do not start with a header continue the message above; a line that starts like one
but is not valid (31/02, 25:00) is counted as malformed. Whether dates are day- or month-first is
read from the whole file. System notices are not messages: Android writes them without `Name:`;
iOS marks the lines it writes itself with U+200E, and gives them to the chat's name (in a group)
or to the other person (one to one).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import ClassVar

from lecto.data import Kind
from lecto.ingest.chat.messages import Message, Messages, to_parsed
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, register_ingester
from lecto.ingest.text import TextIngester, looks_like_text, read_text

_MARK = "\u200e"  # what iOS puts before the text of a line it wrote itself
_MERIDIEM_FIRST = "午前|午後|上午|下午|오전|오후"  # morning and afternoon written before the time (CJK)
_HEADER = re.compile(
    rf"{_MARK}*(?P<br>\[)?"
    r"(?P<d1>\d{1,4})(?P<ds>[./\-]) ?(?P<d2>\d{1,2})(?P=ds) ?(?P<d3>\d{1,4})\.?,?"
    rf"(?: (?!{_MERIDIEM_FIRST})(?P<word>[^\W\d]{{1,4}}\.?))?"  # klo, à, um, kl.
    rf" (?P<pre>{_MERIDIEM_FIRST})? ?"
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?: ?(?P<ap>[AaPp])\.? ?[Mm]\.?)?"
    rf"{_MARK}?(?(br)\]|(?P<sep> [-–]|:)?) (?P<rest>.*)"
)
_PM = frozenset("Pp") | {"午後", "下午", "오후"}
# A line that starts like a header (a date, then a time) but is not one: a garbled header.
_LOOKS_DATED = re.compile(r"\[?\d{1,4}[./\-] ?\d{1,2}[./\-] ?\d{1,4}\.?,? \S{0,4} ?\d{1,2}[:.]\d")
# A byte-order mark and the invisible marks newer exports put around names and times (U+200E is
# kept until a line is read: it tells iOS's own lines apart).
_INVISIBLE = {"\ufeff": "", "\u200f": "", "\u202a": "", "\u202c": "", "\u202f": " ", "\xa0": " "}
# An export opens with a header in its first lines (system notices are headers too), and has a
# message with a speaker soon after, however many notices a group's creation wrote first.
_FIRST_HEADER_LINES = 5
_FIRST_MESSAGE_LINES = 20
# iOS's own lines that it gives to a person are notices ("Your security code with Ann changed"),
# longer than its media and deletion placeholders ("image omitted", "This message was deleted.").
_NOTICE_WORDS = 5


def _visible(text: str) -> str:
    """`text` without the invisible marks (`str.translate` takes 60 times as long on a whole export)."""
    for mark, instead in _INVISIBLE.items():
        if mark in text:
            text = text.replace(mark, instead)
    return text


def _header(line: str) -> re.Match[str] | None:
    m = _HEADER.match(line)
    return m if m and _plausible(m) else None


def _plausible(m: re.Match[str]) -> bool:
    """Not a log line: an ISO date and time followed by nothing but a space is a log's, not WhatsApp's."""
    return bool(m["br"] or m["sep"] or len(m["d1"]) < 4)


def _form(m: re.Match[str]) -> tuple[str | bool | None, ...]:
    """What the locale fixes about a header: brackets, separators, year first, the word before the time."""
    br, ds, d1, word, sep = m.group("br", "ds", "d1", "word", "sep")
    return br, ds, len(d1) == 4, word, sep and sep.strip()


@register_ingester
class WhatsAppIngester:
    name: ClassVar[str] = "whatsapp"
    version: ClassVar[int] = 2
    kind: ClassVar[Kind] = Kind.CHAT
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        if not looks_like_text(head):
            return False
        lines = _visible(head.decode("utf-8", errors="replace")).splitlines()[:_FIRST_MESSAGE_LINES]
        heads = [(n, m) for n, line in enumerate(lines) if (m := _header(line.strip()))]
        return bool(heads) and heads[0][0] < _FIRST_HEADER_LINES and any(": " in m["rest"] for _, m in heads)

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        lines = _visible(read_text(path, source)).splitlines()
        return to_parsed(read_lines(lines), source, Path(source).name, self.name)


def read_lines(lines: list[str]) -> Messages:
    heads, others = _headers(lines)
    day_first = _day_first(list(heads.values()))
    read = Messages()
    drafts: list[_Draft] = []
    draft: _Draft | None = None  # the message that continuation lines are added to
    in_notice = False  # a system notice's further lines are the notice's, not malformed
    for n, line in enumerate(lines, start=1):
        head = heads.get(n)
        if head is None:
            if n not in others and _LOOKS_DATED.match(line.strip()):
                read.malformed += 1
            elif draft is not None:
                draft.lines.append(line.replace(_MARK, ""))
            elif line.strip() and not in_notice:
                read.malformed += 1
            continue
        draft = _open(n, head, day_first, read)
        in_notice = draft is None
        if draft is not None:
            drafts.append(draft)
    not_people = _only_marked(drafts)
    read.items = [d.message() for d in drafts if not d.notice(not_people)]
    return read


def _headers(lines: list[str]) -> tuple[dict[int, re.Match[str]], set[int]]:
    """Line number to header, for the headers of the file's own form; and the lines that only look like one."""
    found = [(n, m, _form(m)) for n, line in enumerate(lines, start=1) if (m := _header(line.strip()))]
    forms = Counter(form for _, m, form in found if ": " in m["rest"])
    if not forms:
        return {n: m for n, m, _ in found}, set()
    own = forms.most_common(1)[0][0]
    heads = {n: m for n, m, form in found if form == own}
    return heads, {n for n, _, _ in found} - heads.keys()


def _only_marked(drafts: list[_Draft]) -> set[str]:
    """Speakers all of whose lines iOS wrote itself, notices among them: a group's name, never a person
    (someone who only ever sent photos has only placeholders)."""
    typed = {d.speaker for d in drafts if not d.marked}
    notices = {d.speaker for d in drafts if d.marked and d.long_notice()}
    return notices - typed


@dataclass(slots=True)
class _Draft:
    id: str
    time: datetime
    speaker: str
    lines: list[str]
    marked: bool  # the text began with iOS's mark of its own lines

    def notice(self, not_people: set[str]) -> bool:
        return self.marked and (self.speaker in not_people or self.long_notice())

    def long_notice(self) -> bool:
        text = self.lines[0]
        return not text.startswith("<") and len(text.split()) > _NOTICE_WORDS

    def message(self) -> Message:
        return Message(self.id, self.time, self.speaker, "\n".join(self.lines))


def _open(n: int, head: re.Match[str], day_first: bool, read: Messages) -> _Draft | None:
    try:
        when = _when(head, day_first)
    except ValueError:  # 31/02, 25:00
        read.malformed += 1
        return None
    speaker, sep, text = head["rest"].partition(": ")
    if not sep:  # "Caroline created group", "Messages are end-to-end encrypted"
        return None
    if _MARK in speaker or speaker.startswith("~"):
        # "~ Ann": WhatsApp's sign for a name the exporting phone has not saved; the person is Ann.
        speaker = speaker.replace(_MARK, "").strip().lstrip("~")
    return _Draft(str(n), when, speaker.strip(), [text.replace(_MARK, "")], text.startswith(_MARK))


def _day_first(heads: list[re.Match[str]]) -> bool:
    """Day-first if some first number is a day (13-31), month-first if some second one is; otherwise
    whichever reading keeps the dates in order (an export is written oldest first), day-first on a tie."""
    dated = [(int(m["d1"]), int(m["d2"])) for m in heads if len(m["d1"]) < 4]
    if any(a > 12 for a, _ in dated):
        return True
    if any(b > 12 for _, b in dated):
        return False
    backwards = {order: _backwards(heads, order) for order in (True, False)}
    return backwards[True] <= backwards[False]


def _backwards(heads: list[re.Match[str]], day_first: bool) -> int:
    days = [_date(*m.group("d1", "d2", "d3"), day_first) for m in heads]
    return sum(1 for a, b in zip(days, days[1:], strict=False) if b < a)


@cache  # an export has a few thousand days at most, and many messages on each
def _date(first: str, second: str, third: str, day_first: bool) -> tuple[int, int, int]:
    """(year, month, day) as the header writes them, not yet checked as a calendar date."""
    d1, d2, d3 = int(first), int(second), int(third)
    if len(first) == 4:
        return d1, d2, d3
    day, month = (d1, d2) if day_first else (d2, d1)
    return d3 + (2000 if d3 < 100 else 0), month, day


def _when(head: re.Match[str], day_first: bool) -> datetime:
    year, month, day = _date(*head.group("d1", "d2", "d3"), day_first)
    h, minute, second, ap, pre = head.group("h", "mi", "s", "ap", "pre")
    hour, meridiem = int(h), ap or pre
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} on a 12-hour clock")
        hour = hour % 12 + (12 if meridiem in _PM else 0)
    return datetime(year, month, day, hour, int(minute), int(second or 0))


@register_ingester
class ChatLikeTextIngester:
    """A text file that looks like a chat export lecto cannot read: read as text, with a warning that says so."""

    name: ClassVar[str] = "text-chatlike"
    version: ClassVar[int] = TextIngester.version
    kind: ClassVar[Kind] = Kind.TEXT
    priority: ClassVar[int] = 90

    def accepts(self, path: Path, head: bytes) -> bool:
        return looks_like_text(head) and _looks_like_chat(head) is not None

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        parsed = TextIngester().parse(path, source, options)
        with path.open("rb") as f:
            sample = _looks_like_chat(f.read(_LOOKALIKE_BYTES)) or "?"
        parsed.warnings.append(
            f"{source}: looks like a WhatsApp chat export but its date and time form ({sample!r}) is not one "
            "lecto reads; read as plain text, without speakers or times"
        )
        return parsed


# `<date and time> - Name: ` in a form the header pattern does not know (a month name, another script's digits).
_LOOKALIKE = re.compile(r"\W{0,3}(\w[^\n:]{0,30}?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?[^\n:]{0,12}?)[\]\-–:]? ?[^\n:]{1,40}: ")
# A date before the clock (`16 Aug 2016, 9:05`, `2016年8月16日 9:05`), not a transcript's bare `00:01:23`.
_DATED = re.compile(r"\d[^\d:]+\d{1,2}[:.]\d{2}")
_LOOKALIKE_BYTES = 4096
_LOOKALIKE_LINES = 20
_LOOKALIKE_MIN = 3  # at least this many such lines among the first `_LOOKALIKE_LINES`, and half of them


def _looks_like_chat(head: bytes) -> str | None:
    """The first line's date and time if most opening lines read `<date and time> Name: text`."""
    lines = [line for line in _visible(head.decode("utf-8", errors="replace")).splitlines() if line]
    lines = lines[:_LOOKALIKE_LINES]
    if any(_HEADER.match(line.strip()) for line in lines):
        return None  # a form lecto reads (a text quoting an export), or a log's ISO time
    stamps = [m[1] for line in lines if (m := _LOOKALIKE.match(line.replace(_MARK, "")))]
    if len(stamps) < max(_LOOKALIKE_MIN, len(lines) // 2) or not _DATED.search(stamps[0]):
        return None
    return stamps[0].strip()
