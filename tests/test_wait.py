"""`--max-wait` bounds the whole answer: its length fits the measured speeds, and a stream that runs over stops
with a note; the stored speed is probed again when stale and replaced when an answer shows it wrong.

A scripted backend sets the pace (seconds a piece), a real SQLite store keeps the speeds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from scripted import Scripted, model_spec, words
from tui_helpers import opened, reading_room

from conftest import EXAMPLES
from lecto.answer.generate import ANSWER_TOKENS
from lecto.backends import ModelOptions
from lecto.backends.registry import Message, OutOfTime
from lecto.context.speed import STALE_AFTER_S, speed_key
from lecto.data import Mode, Status, Style
from lecto.session import MIN_ANSWER_TOKENS, STOPPED, UNMEASURED, Session, Settings, Wait
from lecto.store import Store
from lecto.store.speed import How, Speed

HANDBOOK = str(EXAMPLES / "garden-handbook.md")
QUESTION = "How much is the yearly plot fee?"
FEE = "The yearly plot fee is 40 euros, due on the first of February [1]. "
MORE = "Members who are students or retired pay a reduced fee of 25 euros [1]. " * 8
ANSWER = FEE + MORE


@dataclass
class SlowChooser(Scripted):
    """A small model that reads: each candidate takes `delay` seconds to score."""

    scored: int = 0

    @property
    def parameters(self) -> int:
        return 135_000_000

    def continuation_logprobs(self, pairs: list[tuple[str, str]]) -> list[float]:
        time.sleep(self.delay * len(pairs))
        self.scored += len(pairs)
        return [-1.0] * len(pairs)


@dataclass
class Stalling(SlowChooser):
    """A backend that gives up midway at its deadline (`Stoppable`); each call first stalls `stall` seconds."""

    stall: float = 0.0
    deadline: float | None = None

    def stop_at(self, deadline: float | None) -> None:
        self.deadline = deadline

    def stream(self, messages: list[Message], max_tokens: int) -> Iterator[str]:
        self._stall()
        yield from super().stream(messages, max_tokens)

    def continuation_logprobs(self, pairs: list[tuple[str, str]]) -> list[float]:
        self._stall()
        return super().continuation_logprobs(pairs)

    def _stall(self) -> None:
        end = time.monotonic() + self.stall
        while time.monotonic() < end:
            if self.deadline is not None and time.monotonic() >= self.deadline:
                raise OutOfTime
            time.sleep(0.01)


def session_for(tmp_path: Path, script: Scripted, style: Style | None = Style.FREE) -> Session:
    settings = Settings(tmp_path / "cache", ModelOptions(spec=model_spec(tmp_path.name, script)), style=style)
    return Session(settings)


def ask(session: Session, wait: Wait | None):  # type: ignore[no-untyped-def]
    corpus = session.load([HANDBOOK], {})
    timings: dict[str, float] = {}
    plan = session.plan(QUESTION, corpus, Mode.AUTO, None, timings, wait)
    return session.answer(QUESTION, plan, lambda _: None, timings, wait)


def store_speed(session: Session, prefill_tps: float, decode_tps: float, age_s: float = 0.0) -> None:
    session.store.put_speed(speed_key(session.backend), Speed(prefill_tps, decode_tps, time.time() - age_s))


def test_a_stream_that_runs_past_the_wait_stops_with_a_note_and_is_checked(tmp_path: Path) -> None:
    script = Scripted([FEE, *words(MORE)], delay=0.1)
    session = session_for(tmp_path, script)
    store_speed(session, prefill_tps=1e6, decode_tps=1e3)  # the speeds promise far more than the script gives

    answer = ask(session, Wait(1.0))

    assert answer.notes == [STOPPED.format(seconds=1)]
    assert answer.text.startswith(FEE.strip()) and len(answer.text) < len(FEE + MORE)
    assert any("40 euros" in s.text for s in answer.sentences), "the partial answer is checked like any other"


def test_a_grounded_answer_out_of_time_is_chosen_by_the_ranking_alone(tmp_path: Path) -> None:
    chooser = SlowChooser([], delay=0.4)
    session = session_for(tmp_path, chooser, style=None)
    store_speed(session, prefill_tps=1e6, decode_tps=1e3)

    answer = ask(session, Wait(0.6))

    assert session.style is Style.GROUNDED
    assert answer.notes == [STOPPED.format(seconds=0.6)]
    assert chooser.scored < 4, "scoring stopped at the limit"
    assert answer.status is Status.ANSWERED and "40 euros" in answer.text


def test_a_candidate_that_cannot_be_scored_in_time_at_the_measured_speed_is_not_begun(tmp_path: Path) -> None:
    # On a busy CPU one candidate takes seconds and cannot be stopped once begun: the measured speed decides.
    chooser = SlowChooser([], delay=0.0)
    session = session_for(tmp_path, chooser, style=None)
    store_speed(session, prefill_tps=5.0, decode_tps=1.0)  # a candidate and the question: ~10 s at 5 tokens/s

    answer = ask(session, Wait(3.0))

    assert chooser.scored == 0
    assert answer.notes == [STOPPED.format(seconds=3)]
    assert answer.status is Status.ANSWERED and "40 euros" in answer.text


def test_a_candidate_scored_slower_than_the_measured_speed_foretells_the_next(tmp_path: Path) -> None:
    # The scorer keeps every token's logits and reads slower than the probe did: the first
    # candidate shows it, and the second, foreseen at that pace, would end past the limit.
    chooser = SlowChooser([], delay=0.5)
    session = session_for(tmp_path, chooser, style=None)
    store_speed(session, prefill_tps=1e6, decode_tps=1e3)  # the probe promised scoring for free

    answer = ask(session, Wait(0.8))

    assert chooser.scored == 1
    assert answer.notes == [STOPPED.format(seconds=0.8)]
    assert answer.status is Status.ANSWERED and "40 euros" in answer.text


def test_a_probe_still_running_at_the_limit_is_given_up_and_the_answer_comes_stopped(tmp_path: Path) -> None:
    # A fresh cache: the weights' load and the probe ran a minute past a 20 s wait on a busy CPU.
    stalling = Stalling([], stall=30.0)
    session = session_for(tmp_path, stalling, style=None)

    answer = ask(session, Wait(1.0))

    assert session.store.known_speed(speed_key(stalling)) is None, "a probe given up measured nothing"
    assert answer.notes == [STOPPED.format(seconds=1), UNMEASURED.format(seconds=1)]
    assert answer.status is Status.ANSWERED and "40 euros" in answer.text


def test_a_stream_given_up_inside_its_pre_fill_stops_and_does_not_correct_the_speed(tmp_path: Path) -> None:
    stalling = Stalling(words(FEE), stall=30.0)
    session = session_for(tmp_path, stalling)
    store_speed(session, prefill_tps=1e6, decode_tps=1e3)

    answer = ask(session, Wait(1.0))

    assert answer.notes == [STOPPED.format(seconds=1)]
    assert answer.text == "" and answer.status is Status.NOT_FOUND
    speed = session.store.known_speed(speed_key(stalling))
    assert speed is not None and speed.how is How.PROBE, "a pre-fill cut short is no reading speed"


def test_a_grounded_answer_scored_at_a_fraction_of_the_stored_speed_replaces_it(tmp_path: Path) -> None:
    # The first candidate's call also loads the scorer: the later ones tell the reading speed.
    chooser = SlowChooser([], delay=0.4)
    session = session_for(tmp_path, chooser, style=None)
    store_speed(session, prefill_tps=1e6, decode_tps=7.0)

    answer = ask(session, None)

    assert chooser.scored >= 2 and "40 euros" in answer.text
    seen = session.store.known_speed(speed_key(chooser))
    assert seen is not None and seen.how is How.OBSERVED
    assert seen.prefill_tps < 1e3 and seen.decode_tps == 7.0


def test_without_a_wait_the_stream_runs_to_its_end(tmp_path: Path) -> None:
    script = Scripted(words(ANSWER), delay=0.01)
    session = session_for(tmp_path, script)
    store_speed(session, prefill_tps=1.0, decode_tps=1.0)  # slow speeds change nothing without a wait

    answer = ask(session, None)

    assert answer.notes == []
    assert answer.text == ANSWER.strip()
    assert script.max_tokens == [ANSWER_TOKENS]


def test_the_answer_length_fits_the_time_left_at_the_measured_writing_speed(tmp_path: Path) -> None:
    script = Scripted(words("The yearly plot fee is 40 euros [1]."))
    session = session_for(tmp_path, script)
    store_speed(session, prefill_tps=1e6, decode_tps=10.0)  # reading is free, writing 10 tokens a second

    ask(session, Wait(5.0))

    # About 5 s of writing at 10 tokens a second: well under the usual reserve, above the floor.
    assert MIN_ANSWER_TOKENS < script.max_tokens[-1] <= 50 < ANSWER_TOKENS


def test_a_stale_speed_is_probed_again(tmp_path: Path) -> None:
    script = Scripted(words("The yearly plot fee is 40 euros [1]."))
    session = session_for(tmp_path, script)
    store_speed(session, prefill_tps=5.0, decode_tps=1.0, age_s=STALE_AFTER_S + 60)

    ask(session, Wait(30.0))

    fresh = session.store.known_speed(speed_key(session.backend))
    assert fresh is not None and fresh.how is How.PROBE
    assert time.time() - fresh.measured_at < STALE_AFTER_S
    assert fresh.prefill_tps != 5.0


@pytest.mark.parametrize("wait", [Wait(60.0), None])
def test_an_answer_read_at_a_tenth_of_the_stored_speed_replaces_it(tmp_path: Path, wait: Wait | None) -> None:
    script = Scripted(["The yearly plot fee is 40 euros [1]."], delay=1.2)  # 1.2 s before the first piece
    session = session_for(tmp_path, script)
    store_speed(session, prefill_tps=1e6, decode_tps=7.0)

    answer = ask(session, wait)

    seen = session.store.known_speed(speed_key(session.backend))
    assert seen is not None and seen.how is How.OBSERVED
    assert seen.prefill_tps == pytest.approx(answer.tokens["prompt"] / answer.timings["prefill_s"])
    assert seen.decode_tps == 7.0


@pytest.mark.asyncio
@pytest.mark.parametrize("max_wait", [20.0, None], ids=["max-wait", "no-limit"])
async def test_the_reading_room_probes_and_loads_the_scorer_before_the_first_question_only_under_a_wait(
    cache_dir: Path, max_wait: float | None
) -> None:
    # Inside the first question, the probe and the scorer's load would use up its --max-wait (minutes on a busy CPU).
    chooser = SlowChooser(words("The yearly plot fee is 40 euros [1]."))
    app = reading_room(cache_dir, [HANDBOOK], model=model_spec(f"probe-{max_wait}", chooser), max_wait=max_wait)
    async with app.run_test() as pilot:
        await opened(pilot)
        await pilot.app.workers.wait_for_complete()

    assert len(chooser.prompts) == (2 if max_wait else 0), "the probe's two calls, before any question"
    assert chooser.scored == (1 if max_wait else 0), "one scoring call, which loads a scorer"
    store = Store(cache_dir)
    assert (store.known_speed(speed_key(chooser)) is not None) is (max_wait is not None)
    store.close()


@pytest.mark.asyncio
async def test_the_reading_room_gives_its_opening_probe_up_after_one_wait(cache_dir: Path) -> None:
    # A question asked while the opening probe runs waits for it: no longer than its own wait.
    stalling = Stalling(words(FEE), stall=30.0)
    app = reading_room(cache_dir, [HANDBOOK], model=model_spec("opening-probe", stalling), max_wait=1.0)
    async with app.run_test() as pilot:
        await opened(pilot)
        await pilot.app.workers.wait_for_complete()

    store = Store(cache_dir)
    assert store.known_speed(speed_key(stalling)) is None, "given up, the probe stored nothing"
    store.close()


def test_the_bundled_model_answers_within_a_wait(lecto, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    # Whether it ends early or at the limit depends on the machine's load; the quote does not.
    result = lecto("ask", "--max-wait", "40", "--json", HANDBOOK, QUESTION)

    assert result.returncode == 0, result.stderr
    assert "40 euros" in json.loads(result.stdout)["answer"]
    (speed,) = Store(cache_dir).info().speeds.values()  # measured by the first wait, kept in the store
    assert time.time() - speed.measured_at < 600
