"""The model's side of map-reduce: notes from each group of passages, then one answer from them.

A note is kept only where the citation checker finds the group's passage that supports it,
and it goes to the reduce call under that passage's number in the whole plan; so the
final answer's `[n]` markers, and lecto's own attributions, point at the original chunks
and are checked against their text like any other answer.
"""

from __future__ import annotations

import time
from pathlib import PurePath

from lecto.answer.citations import check
from lecto.answer.prompt import SYSTEM, defuse
from lecto.backends.registry import Backend, Message
from lecto.context.mapreduce import NOTE_TOKENS, map_groups
from lecto.data import Plan, Selected

MAP_SYSTEM = (
    "You take notes for a question about a long document. From the numbered sources, write "
    "the facts that help answer the question, one short sentence each, followed by the number "
    "of its source in square brackets, like [2]. If no source helps, reply exactly: NOTHING."
)


def reduce_messages(question: str, plan: Plan, backend: Backend, timings: dict[str, float]) -> list[Message]:
    """Run the map calls and return the reduce prompt: the notes, numbered as the plan numbers passages."""
    start = time.perf_counter()
    notes: dict[int, list[str]] = {}
    for first, group in map_groups(plan):
        for n, note in _notes(question, group, backend):
            notes.setdefault(first + n, []).append(note)
    timings["map_s"] = time.perf_counter() - start
    blocks = [f"[{n}] {_header(plan.selected[n - 1])}\n{defuse(' '.join(texts))}" for n, texts in sorted(notes.items())]
    sources = "\n\n".join(blocks) or "(no notes)"
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Sources:\n\n{sources}\n\nQuestion: {defuse(question)}"},
    ]


def _notes(question: str, group: list[Selected], backend: Backend) -> list[tuple[int, str]]:
    """The group's supported notes, each with the 1-based number of its passage within the group."""
    text = "".join(backend.stream(_map_messages(question, group), NOTE_TOKENS)).strip()
    checked = check(text, question, group)
    return [(s.citations[0], s.text) for s in checked.sentences if s.support.backed]


def _map_messages(question: str, group: list[Selected]) -> list[Message]:
    blocks = [f"[{n}] {_header(s)}\n{defuse(s.text)}" for n, s in enumerate(group, start=1)]
    sources = "\n\n".join(blocks)
    return [
        {"role": "system", "content": MAP_SYSTEM},
        {"role": "user", "content": f"Sources:\n\n{sources}\n\nQuestion: {defuse(question)}"},
    ]


def _header(s: Selected) -> str:
    span = s.chunk.span
    return defuse(f"{PurePath(span.source).name}, {span.location.describe()}")
