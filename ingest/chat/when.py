"""When a message tells of something: its relative time words read against the day it was sent.

"I went to a support group yesterday", sent on 8 May 2023, tells of 7 May 2023; "last week"
(or "this past week") of the week before 8 May 2023; "this weekend" of the weekend of 8 May
2023; "last Fri" of the Friday before; "two years ago" of 2021. A chat answer is often such a
message, and the day it names is what "When did…?" asks; lecto works it out by calendar
arithmetic, never by the model, and the checker accepts the resolved day because it follows
from the message and its timestamp alone.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_COUNTS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten".split(), start=1)}
_COUNTS |= {"a": 1, "an": 1, "a couple of": 2, "a few": 3}
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# How chats shorten them ("last Fri", "last Tues").
_SHORT_DAYS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_DAY = "|".join([*_WEEKDAYS, *sorted(_SHORT_DAYS, key=len, reverse=True)])
_COUNT = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few|an?)"
_PATTERNS = (
    (re.compile(r"\b(yesterday|last night)\b", re.I), "yesterday"),
    (re.compile(r"\b(today|tonight|this morning|this afternoon|this evening|earlier today)\b", re.I), "today"),
    (re.compile(r"\b(?:last|this past) (week|weekend|month|year)\b", re.I), "last"),
    (re.compile(r"\bthis (week|weekend)\b", re.I), "this"),
    (re.compile(rf"\blast ({_DAY})\b", re.I), "weekday"),
    (re.compile(rf"\b{_COUNT} (day|week|month|year)s? ago\b", re.I), "ago"),
    (re.compile(r"\bnext (week|weekend|month|year)\b", re.I), "next"),
)


def told(body: str, sent: date) -> list[tuple[str, str]]:
    """Each relative time phrase of the message with the day or span it names, in order of appearance."""
    found: list[tuple[int, str, str]] = []
    for pattern, rule in _PATTERNS:
        for m in pattern.finditer(body):
            found.append((m.start(), m.group(0), _resolve(rule, m, sent)))
    return [(phrase, when) for _, phrase, when in sorted(found)]


def _resolve(rule: str, m: re.Match[str], sent: date) -> str:
    unit = m.group(1).lower()
    if rule == "yesterday":
        return day(sent - timedelta(days=1))
    if rule == "today":
        return day(sent)
    if rule == "weekday":
        index = _SHORT_DAYS[unit] if unit in _SHORT_DAYS else _WEEKDAYS.index(unit)
        back = (sent.weekday() - index) % 7 or 7
        return f"the {_WEEKDAYS[index].capitalize()} before {day(sent)} ({day(sent - timedelta(days=back))})"
    if rule == "this":
        return f"the {unit} of {day(sent)}"
    if rule == "ago":
        return _ago(_COUNTS.get(unit, 0) or int(unit), m.group(2).lower(), sent)
    return _adjacent(unit, sent, -1 if rule == "last" else 1)


def _ago(count: int, unit: str, sent: date) -> str:
    if unit == "year":
        return str(sent.year - count)
    if unit == "month":
        return month(_months_from(sent, -count))
    days = count * (7 if unit == "week" else 1)
    return day(sent - timedelta(days=days))


def _adjacent(unit: str, sent: date, step: int) -> str:
    if unit == "year":
        return str(sent.year + step)
    if unit == "month":
        return month(_months_from(sent, step))
    return f"the {unit} {'before' if step < 0 else 'after'} {day(sent)}"


def _months_from(sent: date, step: int) -> date:
    index = sent.year * 12 + sent.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


def day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def month(d: date) -> str:
    return f"{d:%B %Y}"
