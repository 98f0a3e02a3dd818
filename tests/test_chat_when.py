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


@pytest.mark.parametrize(
    ("body", "sent", "told_of"),
    [
        ("The official opening night is tomorrow.", date(2023, 6, 19), "20 June 2023"),
        ("I got a puppy two weeks ago!", date(2023, 8, 11), "two weeks before 11 August 2023 (28 July 2023)"),
        ("We went camping with my fam two weekends ago.", date(2023, 7, 17), "two weekends before 17 July 2023"),
        # A rough count names no one day.
        ("I went to a pride parade a few weeks ago.", date(2023, 7, 15), "a few weeks before 15 July 2023"),
        ("Got the tattoo a few years ago.", date(2023, 2, 8), "a few years before 8 February 2023"),
        ("I also lost my job at Door Dash this month.", date(2023, 1, 20), "January 2023"),
        ("Let's meet next Fri!", date(2023, 5, 8), "the Friday after 8 May 2023 (12 May 2023)"),
        # "Last summer" is the latest summer over by the day sent: in August, the year before's.
        ("Max and I had a blast on our camping trip last summer.", date(2023, 8, 11), "the summer of 2022"),
        ("Organizing a basketball camp last summer was awesome!", date(2023, 12, 26), "the summer of 2023"),
        ("Last August I told you about the trivia.", date(2023, 12, 8), "August 2023"),
        ("I've had them for 3 years now.", date(2022, 10, 25), "since 2019"),
        ("I've been playing for about four months now.", date(2023, 12, 6), "since about August 2023"),
        ("We've been friends for a couple of years now.", date(2023, 5, 8), "since about 2021"),
    ],
)
def test_more_relative_words_are_read_against_the_day_sent(body: str, sent: date, told_of: str) -> None:
    [(_, when)] = told(body, sent)
    assert when == told_of


def test_a_month_is_named_by_its_capital_after_last() -> None:
    assert told("I'll march there last march.", date(2023, 5, 8)) == []
