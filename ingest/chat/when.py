"""When a message tells of something: its relative time words read against the day it was sent.

"I went to a support group yesterday", sent on 8 May 2023, tells of 7 May 2023; "the opening
night is tomorrow" of 9 May 2023; "last week" (or "this past week") of the week before 8 May
2023; "this weekend" of the weekend of 8 May 2023; "last Fri" of the Friday before; "two weeks
ago" of two weeks before 8 May 2023 (24 April 2023); "two years ago" of 2021; "last summer" of
the summer of 2022; "I've had them for 3 years now" of a time since 2020. A chat answer is
often such a message, and the day it names is what "When did…?" asks; lecto works it out by
calendar arithmetic, never by the model, and the checker accepts the resolved day because it
follows from the message and its timestamp alone.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from lecto.calendar_names import MONTH_NUMBERS, MONTHS, WEEKDAYS

_COUNTS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten".split(), start=1)}
_COUNTS |= {"a": 1, "an": 1}
# Counts a message gives loosely: "a few weeks ago" names no one day, and "for a couple of years now" a time
# since about as many before.
_ROUGH = {"a couple of": 2, "a few": 3}
# How chats shorten them ("last Fri", "last Tues").
_SHORT_DAYS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_DAY = "|".join([*WEEKDAYS, *sorted(_SHORT_DAYS, key=len, reverse=True)])
# The last month of each season, as a chat in the northern hemisphere means them.
_SEASONS = {"spring": 5, "summer": 8, "fall": 11, "autumn": 11}
_COUNT = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few|an?)"
_UNIT = r"(day|weekend|week|month|year)s?"
_PATTERNS = (
    (re.compile(r"\b(yesterday|last night)\b", re.I), "yesterday"),
    (re.compile(r"\b(today|tonight|this morning|this afternoon|this evening|earlier today)\b", re.I), "today"),
    (re.compile(r"\b(tomorrow)\b", re.I), "tomorrow"),
    (re.compile(r"\b(?:last|this past) (week|weekend|month|year)\b", re.I), "last"),
    (re.compile(r"\b(?:this|later this) (week|weekend|month|year)\b", re.I), "this"),
    (re.compile(rf"\b(last|next) ({_DAY})\b", re.I), "weekday"),
    (re.compile(rf"\b{_COUNT} {_UNIT} ago\b", re.I), "ago"),
    (re.compile(r"\bnext (week|weekend|month|year)\b", re.I), "next"),
    (re.compile(rf"\b(last|this) ({'|'.join(_SEASONS)})\b", re.I), "season"),
    (re.compile(rf"\b(?i:last) ({'|'.join(m.capitalize() for m in MONTHS)})\b"), "month"),
    (re.compile(rf"\bfor (about |almost |over )?{_COUNT} {_UNIT} now\b", re.I), "since"),
)


def told(body: str, sent: date) -> list[tuple[str, str]]:
    """Each relative time phrase of the message with the day or span it names, in order of appearance."""
    found: list[tuple[int, str, str]] = []
    for pattern, rule in _PATTERNS:
        for m in pattern.finditer(body):
            found.append((m.start(), m.group(0), _resolve(rule, m, sent)))
    return [(phrase, when) for _, phrase, when in sorted(found)]


def _resolve(rule: str, m: re.Match[str], sent: date) -> str:
    unit = (m.group(1) or "").lower()
    if rule == "yesterday":
        return day(sent - timedelta(days=1))
    if rule == "today":
        return day(sent)
    if rule == "tomorrow":
        return day(sent + timedelta(days=1))
    if rule == "weekday":
        return _weekday(m.group(2).lower(), sent, -1 if unit == "last" else 1)
    if rule == "this":
        return month(sent) if unit == "month" else str(sent.year) if unit == "year" else f"the {unit} of {day(sent)}"
    if rule == "ago":
        return _ago(unit, m.group(2).lower(), sent)
    if rule == "season":
        return _season(m.group(2).lower(), sent, unit == "last")
    if rule == "month":
        index = MONTH_NUMBERS[unit]
        return month(date(sent.year - (index >= sent.month), index, 1))
    if rule == "since":
        return _since(m.group(2).lower(), m.group(3).lower(), sent, bool(m.group(1)))
    return _adjacent(unit, sent, -1 if rule == "last" else 1)


def _weekday(name: str, sent: date, step: int) -> str:
    index = _SHORT_DAYS[name] if name in _SHORT_DAYS else WEEKDAYS.index(name)
    apart = ((sent.weekday() - index) * -step) % 7 or 7
    side = "before" if step < 0 else "after"
    return f"the {WEEKDAYS[index].capitalize()} {side} {day(sent)} ({day(sent + timedelta(days=step * apart))})"


def _ago(count: str, unit: str, sent: date) -> str:
    """What "two weeks ago" names: counted back from the day sent, and the day itself when the count is exact
    and a day is what it counts back to ("a few weeks ago" names none, nor "two weekends ago")."""
    if count in _ROUGH:
        return f"{count} {unit}s before {day(sent)}"
    n = _COUNTS.get(count, 0) or int(count)
    if unit == "year":
        return str(sent.year - n)
    if unit == "month":
        return month(_months_from(sent, -n))
    spelled = f"{count} {unit}{'s' if n > 1 else ''} before {day(sent)}"
    if unit == "weekend":
        return spelled
    return f"{spelled} ({day(sent - timedelta(days=n * (7 if unit == 'week' else 1)))})"


def _season(name: str, sent: date, last: bool) -> str:
    """ "last summer" is the latest one over before the day sent; "this summer" the one of its year."""
    year = sent.year - (last and sent.month <= _SEASONS[name])
    return f"the {name} of {year}"


def _since(count: str, unit: str, sent: date, rough: bool) -> str:
    """ "I've had them for 3 years now": since 3 years before the day sent, its year or month."""
    n = _ROUGH.get(count) or _COUNTS.get(count, 0) or int(count)
    about = "about " if rough or count in _ROUGH else ""
    if unit == "year":
        return f"since {about}{sent.year - n}"
    if unit == "month":
        return f"since {about}{month(_months_from(sent, -n))}"
    days = n * (7 if unit in ("week", "weekend") else 1)
    return f"since {about}{day(sent - timedelta(days=days))}"


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
