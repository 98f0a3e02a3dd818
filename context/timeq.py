"""Time expressions in a chat question, turned into a span of dates by code, not by the model.

"in May 2023", "on 8 May 2023", "in 2022", "before June 2023", "the week after 3 July 2023"
become a half-open [start, end) interval; retrieval boosts messages sent inside it. Chat
chunks carry ISO times (`ChatLocation`), so the comparison is plain string order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from lecto.data import ChatLocation, Chunk

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_SHIFT = re.compile(r"\b(?:the\s+)?(day|week|month)\s+(before|after)\b", re.IGNORECASE)
_OPEN = re.compile(r"\b(before|after|since|until)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    """Dates from `start` (inclusive) to `end` (exclusive)."""

    start: date
    end: date

    def contains(self, chunk: Chunk) -> bool:
        loc = chunk.span.location
        if not isinstance(loc, ChatLocation) or not loc.start_time:
            return False
        first = loc.start_time[:10]
        last = (loc.end_time or loc.start_time)[:10]
        return first < self.end.isoformat() and last >= self.start.isoformat()


def time_window(question: str) -> Window | None:
    """The dates a question is about, or None when it names none."""
    found = _named_span(question)
    if found is None:
        return None
    shift = _SHIFT.search(question)
    if shift:
        return _shifted(found, shift.group(1).lower(), shift.group(2).lower())
    side = _OPEN.search(question)
    if side:
        return _open_ended(found, side.group(1).lower())
    return found


def _named_span(q: str) -> Window | None:
    if m := _DAY_MONTH_YEAR.search(q):
        return _day(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    if m := _MONTH_DAY_YEAR.search(q):
        return _day(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    if m := _MONTH_YEAR.search(q):
        start = date(int(m.group(2)), _MONTHS[m.group(1).lower()], 1)
        return Window(start, (start + timedelta(days=32)).replace(day=1))
    if m := _YEAR.search(q):
        year = int(m.group(1))
        return Window(date(year, 1, 1), date(year + 1, 1, 1))
    return None


def _day(year: int, month: int, day: int) -> Window | None:
    try:
        start = date(year, month, day)
    except ValueError:
        return None
    return Window(start, start + timedelta(days=1))


def _shifted(anchor: Window, unit: str, direction: str) -> Window:
    length = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=31)}[unit]
    if direction == "after":
        return Window(anchor.end, anchor.end + length)
    return Window(anchor.start - length, anchor.start)


def _open_ended(anchor: Window, word: str) -> Window:
    if word in ("before", "until"):
        return Window(date.min, anchor.start)
    return Window(anchor.end if word == "after" else anchor.start, date.max)
