"""Run the model over a plan, stream its text, and turn it into a checked `Answer`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from lecto.answer import ground
from lecto.answer.citations import Checked, quote_citation
from lecto.answer.notfound import decide
from lecto.backends.registry import Backend, Message
from lecto.context.modes import mode_of
from lecto.data import Answer, Citation, Plan, Shortfall, Status, Stretch, Style

# Room for a short cited answer; small models ramble past this without adding facts.
ANSWER_TOKENS = 256
# Passages shown when the answer is withheld: enough to judge, few enough to read.
CLOSEST = 3


def generate(
    question: str,
    plan: Plan,
    backend: Backend,
    on_text: Callable[[str], None],
    timings: dict[str, float],
    style: Style = Style.FREE,
    read_as: str | None = None,
) -> Answer:
    """The checked answer to `question`.

    `read_as` is the question as the model reads it where that differs (a follow-up's, after the
    earlier turns): those turns help the model write, but each claim is checked against the
    question the user asked, and a grounded answer quotes what answers that question.
    """
    parts: list[tuple[str, str]] = []
    mode = mode_of(plan.mode)
    # Why there is no answer, when there is none; the model writing freely finds none by saying so.
    none = ground.Offer([], Shortfall.MODEL_FOUND_NONE)
    if plan.absent:  # the documents never name what the question asks about: nothing to read it for
        prompt, text = [], ""
        none = ground.Offer([], Shortfall.NEVER_MENTIONED, plan.absent)
        timings["prefill_s"] = timings["generate_s"] = 0.0
    elif style is Style.GROUNDED and mode.quoted:
        prompt, parts, none = _grounded(question, plan, backend, timings)
        text = " ".join(claims for _, claims in parts)
    else:
        prompt = mode.messages(read_as or question, plan, backend, timings)
        text = _streamed(backend.stream(prompt, ANSWER_TOKENS), on_text, timings)
    checked, status = decide(text, question, plan.selected)
    if checked.withheld:
        none = ground.Offer([], Shortfall.WITHDRAWN)
    if parts:
        checked.stretches = _led(checked.stretches, parts)
        text = " ".join(lead + claims for lead, claims in parts)
        # A quote is shown whole once checked: one the checker withholds is never shown above "Not found".
        if status is Status.ANSWERED:
            on_text(text)
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
        closest=closest(question, plan, checked) if status is Status.NOT_FOUND else [],
        withheld=checked.withheld,
        shortfall=(none.shortfall or Shortfall.TOO_LITTLE) if status is Status.NOT_FOUND else None,
        shortfall_names=none.names if status is Status.NOT_FOUND else [],
    )


def _streamed(deltas: Iterator[str], on_text: Callable[[str], None], timings: dict[str, float]) -> str:
    start = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    for delta in deltas:
        if first is None:
            first = time.perf_counter()
        parts.append(delta)
        on_text(delta)
    end = time.perf_counter()
    timings["prefill_s"] = (first or end) - start
    timings["generate_s"] = end - (first or end)
    return "".join(parts).strip()


def _grounded(
    question: str, plan: Plan, backend: Backend, timings: dict[str, float]
) -> tuple[list[Message], list[tuple[str, str]], ground.Offer]:
    """What the model read, the answer as (lead, claims) parts (the quote, then any exchange after it), and
    what was offered."""
    start = time.perf_counter()
    offer = ground.offer(question, plan.selected)
    found = offer.candidates
    choice = ground.choose(question, found, backend)
    parts: list[tuple[str, str]] = []
    if choice:
        lead, claims = ground.answer_text(question, choice, plan.selected)
        parts = [
            (lead, claims),
            *ground.continued(choice, plan.selected),
            *ground.exchange(question, choice, plan.selected, (lead, claims)),
        ]
    timings["prefill_s"] = time.perf_counter() - start
    timings["generate_s"] = 0.0
    # What the model read, for the token count: each candidate with the question after it.
    read = [
        {"role": "user", "content": ground.QUESTION_AFTER.format(passage=c.where + c.text) + " " + question}
        for c in found
    ]
    return read, parts, offer


def _led(stretches: list[Stretch], parts: list[tuple[str, str]]) -> list[Stretch]:
    """The checked stretches with each part's lead before its claims: who said it and when, shown and not checked.

    The claims were checked joined by single spaces, and each part ends a sentence, so every part
    starts a stretch.
    """
    leads: dict[int, str] = {}
    at = 0
    for lead, claims in parts:
        leads[at] = lead
        at += len(claims) + 1
    out: list[Stretch] = []
    at = 0
    for stretch in stretches:
        if leads.get(at):
            out.append(Stretch(leads[at]))
        out.append(stretch)
        at += len(stretch.text)
    return out


def closest(question: str, plan: Plan, checked: Checked) -> list[Citation]:
    """The passages nearest to an answer, for a withheld one: those its claims rested on, else the best units."""
    if checked.citations:
        return checked.citations[:CLOSEST]
    seen: dict[int, Citation] = {}
    for c in ground.candidates(question, plan.selected, limit=4 * CLOSEST):
        if c.n not in seen and c.coverage > 0:
            seen[c.n] = quote_citation(c.n, plan.selected[c.n - 1], c.start, c.end)
    if not seen:  # no passage read holds a word of the question: the user still sees what was read
        for n, s in enumerate(plan.selected[:CLOSEST], start=1):
            seen[n] = quote_citation(n, s, 0, len(s.chunk.text))
    return list(seen.values())[:CLOSEST]


def model_info(backend: Backend) -> dict[str, object]:
    return {"name": backend.name, "backend": backend.backend, "context_window": backend.context_window}
