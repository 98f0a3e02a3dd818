"""The status bar: model, the next question's mode, and for the last answer its plan, tokens and timings."""

from __future__ import annotations

import time

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from lecto.data import Answer, Mode, Plan
from lecto.tui.literal import literal

# Timings worth a user's glance, in the order the work happens.
TIMINGS = (("plan_s", "plan"), ("prefill_s", "read"), ("generate_s", "write"))
# How often the elapsed time of a question in flight is redrawn.
TICK_S = 0.5


class StatusBar(Static):
    model: reactive[str] = reactive("loading model…")
    mode: reactive[Mode] = reactive(Mode.AUTO)
    activity: reactive[str] = reactive("")
    plan: reactive[Plan | None] = reactive(None)
    answer: reactive[Answer | None] = reactive(None)
    started: reactive[float | None] = reactive(None)  # when the question in flight was asked (monotonic)

    def watch_started(self, started: float | None) -> None:
        self.auto_refresh = TICK_S if started is not None else None

    def render(self) -> Text:
        # One line: the plan's reason can be long, so it comes last and is cut first.
        parts = [literal(self.model, "bold"), Text(f"next: {self.mode.value}")]
        if self.activity:
            parts.append(Text(self.activity + self._elapsed(), style="italic"))
        if self.plan is not None:
            parts.append(Text(f"{self.plan.mode.value} {self.plan.sent_tokens}/{self.plan.budget} tokens"))
        if self.answer is not None:
            parts.append(_timings(self.answer))
        if self.plan is not None:
            parts.append(literal(self.plan.reason, "dim"))
        line = Text(" │ ").join(parts)
        line.no_wrap, line.overflow = True, "ellipsis"
        return line

    def _elapsed(self) -> str:
        if self.started is None:
            return ""
        return f" {time.monotonic() - self.started:.0f} s · Esc stops"


def _timings(answer: Answer) -> Text:
    t = answer.timings
    return Text(" ".join(f"{label} {t[key]:.1f}s" for key, label in TIMINGS if key in t))
