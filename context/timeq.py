"""Time expressions in a chat question, turned into a span of dates by code, not by the model.

"in May 2023", "on 8 May 2023", "in 2022", "before June 2023", "the week after 3 July 2023",
"two weeks before August 11, 2023", "between August 11 and August 15 2023" become a half-open
[start, end) interval of the days whose messages may tell of it; so does "in June" in a chat
whose days hold one June only. Retrieval boosts messages sent inside it. People tell of an
event after it: "I got a puppy two weeks ago!" is sent on the day a question counts back
from, and "yesterday's dinner" the day after. So a window counted back from a day ends after
that day, and every window runs on a few days past the span it names. Chat chunks carry ISO
times (`Location.times`), so the comparison is plain string order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from lecto.calendar_names import MONTH_NUMBERS, WEEKDAYS
from lecto.data import Chunk

_MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
# "in June", "the second week of November": a month by its full name, after a word placing something in it.
_FULL_MONTH = "|".join(m for m in MONTH_NUMBERS if len(m) > 3 or m == "may")
_MONTH_ALONE = re.compile(rf"\b(?:in|of|during)\s+(?:early\s+|late\s+|mid-?)?({_FULL_MONTH})\b", re.IGNORECASE)
_WEEKDAYS = "|".join(WEEKDAYS)
_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a few": 3, "a couple of": 2}
_COUNT = "|".join(sorted(_COUNTS, key=len, reverse=True))
_SHIFT = re.compile(
    rf"\b(?:the\s+)?(?:(\d+|{_COUNT})\s+)?(day|weekend|week|month|{_WEEKDAYS})s?\s+(before|after)\b", re.IGNORECASE
)
_UNIT_DAYS = {"day": 1, "week": 7, "weekend": 7, "month": 31} | dict.fromkeys(WEEKDAYS, 7)
_BETWEEN = re.compile(r"\bbetween\s+(.+?)\s+and\s+(.+)", re.IGNORECASE)
_OPEN = re.compile(r"\b(before|after|since|until)\b", re.IGNORECASE)
# Days after a named span in which a message may still tell of it ("yesterday", "last week").
TOLD_WITHIN = timedelta(days=4)
# A message in those days is less likely about the dates than one sent on them.
TOLD_WEIGHT = 0.5


@dataclass(frozen=True)
class Window:
    """Dates from `start` (inclusive) to `end` (exclusive), and `told` more days in which
    messages may still tell of them."""

    start: date
    end: date
    told: timedelta = timedelta(0)

    def contains(self, chunk: Chunk) -> bool:
        times = chunk.span.location.times()
        if times is None:
            return False
        first, last = times[0][:10], times[1][:10]
        return first < (self.end + self.told).isoformat() and last >= self.start.isoformat()

    def weight(self, sent: str) -> float:
        """1 for an ISO date inside the named dates, less for one in the days after, else 0."""
        if not self.start.isoformat() <= sent < (self.end + self.told).isoformat():
            return 0.0
        return 1.0 if sent < self.end.isoformat() else TOLD_WEIGHT


def time_window(question: str, chat: tuple[date, date] | None = None) -> Window | None:
    """The days whose messages may tell of the dates a question names, or None when it names none.

    A month named without its year ("When did Melanie go camping in June?") is the one June
    between the chat's first and last days (`chat`), when it spans only one.
    """
    between = _between(question)
    if between is not None:
        return _told(between)
    found = _named_span(question) or (_month_within(question, chat) if chat else None)
    if found is None:
        return None
    shift = _SHIFT.search(question)
    if shift:
        count = shift.group(1) or "1"
        days = int(count) if count.isdigit() else _COUNTS[count.lower()]
        return _told(_shifted(found, timedelta(days=days * _UNIT_DAYS[shift.group(2).lower()]), shift.group(3).lower()))
    side = _OPEN.search(question)
    if side:
        return _open_ended(found, side.group(1).lower())
    return _told(found)


def undated(question: str) -> str:
    """The question less the dates it names: "What dish did Nate make on 9 November, 2022?" asks of a dish, and
    a message tells of it without writing the day it was sent on (its header has it: `time_window`)."""
    for named in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR, _YEAR):
        question = named.sub(" ", question)
    return _MONTH_ALONE.sub(" ", question)


def chat_days(chunks: Iterable[Chunk]) -> tuple[date, date] | None:
    """The first and last days the chunks' messages were sent on; None when none is dated (no chat)."""
    times = [t for c in chunks if (t := c.span.location.times()) is not None]
    if not times:
        return None
    return date.fromisoformat(min(t[0] for t in times)[:10]), date.fromisoformat(max(t[1] for t in times)[:10])


def _between(q: str) -> Window | None:
    """A span "between August 11 and August 15 2023"; the first date may take its year from the second."""
    m = _BETWEEN.search(q)
    if not m:
        return None
    last = _named_span(m.group(2))
    if last is None:
        return None
    first = _named_span(m.group(1)) or _named_span(f"{m.group(1)} {last.start.year}")
    if first is None or first.start >= last.end:
        return None
    return Window(first.start, last.end)


def _named_span(q: str) -> Window | None:
    if m := _DAY_MONTH_YEAR.search(q):
        return _day(int(m.group(3)), MONTH_NUMBERS[m.group(2).lower()], int(m.group(1)))
    if m := _MONTH_DAY_YEAR.search(q):
        return _day(int(m.group(3)), MONTH_NUMBERS[m.group(1).lower()], int(m.group(2)))
    if m := _MONTH_YEAR.search(q):
        return _month(int(m.group(2)), MONTH_NUMBERS[m.group(1).lower()])
    if m := _YEAR.search(q):
        year = int(m.group(1))
        return Window(date(year, 1, 1), date(year + 1, 1, 1))
    return None


def _month_within(q: str, chat: tuple[date, date]) -> Window | None:
    m = _MONTH_ALONE.search(q)
    if not m:
        return None
    number = MONTH_NUMBERS[m.group(1).lower()]
    spans = [_month(year, number) for year in range(chat[0].year, chat[1].year + 1)]
    inside = [w for w in spans if w.start <= chat[1] and w.end > chat[0]]
    return inside[0] if len(inside) == 1 else None


def _month(year: int, month: int) -> Window:
    start = date(year, month, 1)
    return Window(start, (start + timedelta(days=32)).replace(day=1))


def _day(year: int, month: int, day: int) -> Window | None:
    try:
        start = date(year, month, day)
    except ValueError:
        return None
    return Window(start, start + timedelta(days=1))


def _shifted(anchor: Window, length: timedelta, direction: str) -> Window:
    if direction == "after":
        return Window(anchor.end, anchor.end + length)
    # "two weeks before August 11": the event is counted back from the day it was told on.
    return Window(anchor.start - length, anchor.end)


def _told(span: Window) -> Window:
    return replace(span, told=TOLD_WITHIN)


def _open_ended(anchor: Window, word: str) -> Window:
    if word in ("before", "until"):
        return Window(date.min, anchor.start)
    return Window(anchor.end if word == "after" else anchor.start, date.max)
