"""Run the model over a plan, stream its text, and turn it into a checked `Answer`.

The answer is `not_found` when the model says the sources lack it, and also when no planned
passage supports any of its sentences: a small model guesses rather than admit it does not
know, and an answer nothing in the documents backs is not an answer from the documents.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from lecto.answer.citations import check
from lecto.answer.mapreduce import reduce_messages
from lecto.answer.prompt import messages
from lecto.backends.registry import Backend
from lecto.data import Answer, Mode, Plan, Status

# Room for a short cited answer; small models ramble past this without adding facts.
ANSWER_TOKENS = 256
_NOT_FOUND = re.compile(r"\bnot\s+found\b|do(?:es)?\s+not\s+contain|no\s+information", re.IGNORECASE)


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
    said_not_found = not text or _NOT_FOUND.search(text) is not None
    checked = check("" if said_not_found else text, question, plan.selected)
    status = Status.ANSWERED if checked.supported else Status.NOT_FOUND
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
