"""Text output prints each answer once: streamed, then redrawn marked on a terminal, or followed by its sources."""

from __future__ import annotations

import io
import re

import pytest
from test_answer_marked import HANDBOOK, Terminal, fee, passages  # noqa: F401  (passages is a fixture)

from lecto.answer.notfound import decide
from lecto.cli.render import TextStream
from lecto.data import Answer, Mode, Plan, Selected, Shortfall

FEE = "The yearly plot fee is 40 euros."
GUESS = "The yearly plot fee is 40 euros. Members get free beer on Fridays. The pond holds golden carp."
BACK_UP = re.compile(r"\x1b\[\d+F\x1b\[J")


@pytest.fixture(autouse=True)
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")


def shown(text: str, passages: list[Selected], out: io.StringIO) -> str:  # noqa: F811
    """What `lecto ask` prints for `text` as the model streams it, checked as `generate` checks it."""
    checked, status = decide(text, "How much is the yearly plot fee?", passages)
    answer = Answer(
        "How much is the yearly plot fee?",
        text,
        status,
        checked.citations,
        Plan(Mode.FULL, "test", 0, 0, passages),
        {},
        {},
        {},
        checked.sentences,
        checked.stretches,
        withheld=checked.withheld,
        shortfall=Shortfall.WITHDRAWN if checked.withheld else None,
    )
    stream = TextStream(out)
    for word in text.split(" "):
        stream.write(word + " ")
    stream.finish(answer)
    return out.getvalue()


def test_piped_the_answer_comes_once_then_only_its_sources(passages: list[Selected]) -> None:  # noqa: F811
    printed = shown(FEE, passages, io.StringIO())
    assert printed.count("40 euros") == 2  # the answer, and the quote in its one citation
    answer, blank, sources = printed.partition("\n\n")
    assert answer == FEE + " " and blank
    assert sources.startswith(f"[{fee(passages)}] {HANDBOOK}, lines 16-17") and "with sources" not in printed


def test_on_a_terminal_the_streamed_answer_is_redrawn_with_its_marks(passages: list[Selected]) -> None:  # noqa: F811
    printed = shown(FEE, passages, Terminal())
    streamed, final = BACK_UP.split(printed)
    assert streamed == FEE + " \n"
    assert final.splitlines()[0] == f"The yearly plot fee is 40 euros [{fee(passages)}†]."


def test_a_long_answer_is_taken_back_row_by_row(passages: list[Selected]) -> None:  # noqa: F811
    printed = shown(" ".join([FEE] * 5), passages, Terminal())  # 170 characters: 3 rows of 80
    assert "\x1b[3F\x1b[J" in printed


def test_a_withdrawn_answer_says_so_and_why(passages: list[Selected]) -> None:  # noqa: F811
    final = BACK_UP.split(shown(GUESS, passages, Terminal()))[1].splitlines()
    assert final[0] == "Withdrawn: not supported by the documents (1 of 3 claims backed)."
    assert "[?]" in final[1] and "Not found" not in "".join(final)


def test_a_withdrawn_answer_piped_is_not_repeated(passages: list[Selected]) -> None:  # noqa: F811
    printed = shown(GUESS, passages, io.StringIO())
    assert printed.count("golden carp") == 1
    assert "\nWithdrawn: not supported by the documents (1 of 3 claims backed).\n" in printed
