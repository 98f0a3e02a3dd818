"""Relative time words as chats write them, read against the day a message was sent (ingest/chat/when.py)."""

from __future__ import annotations

from datetime import date

import pytest

from lecto.ingest.chat.when import told


@pytest.mark.parametrize(
    ("body", "told_of"),
    [
        ("Last Fri I finally took my kids to a pottery workshop.", "the Friday before 8 May 2023 (5 May 2023)"),
        ("I just joined a new activist group last Tues.", "the Tuesday before 8 May 2023 (2 May 2023)"),
        ("That roadtrip this past weekend was insane!", "the weekend before 8 May 2023"),
        ("I'm hiking with some buddies this weekend.", "the weekend of 8 May 2023"),
        ("Guess what I did this week?", "the week of 8 May 2023"),
    ],
)
def test_short_weekdays_and_this_weekend_are_read_against_the_day_sent(body: str, told_of: str) -> None:
    [(_, when)] = told(body, date(2023, 5, 8))  # a Monday
    assert when == told_of


def test_a_word_that_starts_like_a_weekday_is_not_one() -> None:
    assert told("We went last Saturnalia, and the last sunny day.", date(2023, 5, 8)) == []
