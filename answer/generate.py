"""Run the model over a plan, stream its text, and turn it into a checked `Answer`."""

from __future__ import annotations

import time
from collections.abc import Callable

from lecto.answer.mapreduce import reduce_messages
from lecto.answer.notfound import decide
from lecto.answer.prompt import messages
from lecto.backends.registry import Backend
from lecto.data import Answer, Mode, Plan

# Room for a short cited answer; small models ramble past this without adding facts.
ANSWER_TOKENS = 256


def generate(
    question: str, plan: Plan, backend: Backend, on_text: Callable[[str], None], timings: dict[str, float]
) -> Answer:
    prompt = (
        reduce_messages(question, plan, backend, timings) if plan.mode is Mode.MAPREDUCE else messages(plan, question)
    )
    start = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    for delta in backend.stream(prompt, ANSWER_TOKENS):
        if first is None:
            first = time.perf_counter()
        parts.append(delta)
        on_text(delta)
    end = time.perf_counter()
    text = "".join(parts).strip()
    timings["prefill_s"] = (first or end) - start
    timings["generate_s"] = end - (first or end)
    checked, status = decide(text, question, plan.selected)
    return Answer(
        question=question,
        text=text,
        status=status,
        citations=checked.citations,
        sentences=checked.sentences,
        stretches=checked.stretches,
        plan=plan,
        model=model_info(backend),
        tokens={
            "prompt": sum(backend.count_tokens(m["content"]) for m in prompt),
            "completion": backend.count_tokens(text) if text else 0,
        },
        timings=timings,
    )


def model_info(backend: Backend) -> dict[str, object]:
    return {"name": backend.name, "backend": backend.backend, "context_window": backend.context_window}
