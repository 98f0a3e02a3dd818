"""Map-reduce for global questions ("summarise…", "list every…", "compare…"), both halves.

No top-k serves them, and a small model reads a long context badly: the passages that fit
the map budget are split, in document order, into groups that each fit one call; the model
takes notes per group (map), then answers from the notes (reduce). The plan holds every
passage as usual, so citations resolve to, and are checked against, the original text;
`Plan.groups` says how many consecutive passages each map call reads.

A note is kept only where the citation checker finds the group's passage that supports it,
and it goes to the reduce call under that passage's number in the whole plan; so the final
answer's `[n]` markers, and lecto's own attributions, point at the original chunks and are
checked against their text like any other answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from lecto.answer.citations import check
from lecto.answer.prompt import SYSTEM, defuse, header
from lecto.backends.registry import Backend, Message
from lecto.context.compress import CompressOptions, compress
from lecto.context.modes import Choice, Request, Selection, register_mode
from lecto.context.modes.full import whole
from lecto.context.rank import Ranked
from lecto.data import Mode, Plan, Selected

# Tokens one map call may write: a few short notes. The reduce call reads every group's notes
# within one call's budget, so a budget of B tokens serves at most B // NOTE_TOKENS groups.
NOTE_TOKENS = 128
# What a map call costs besides its passages, in pre-fill tokens: its instructions, and writing
# the note (decoding runs about 5× slower than pre-fill with llama.cpp on a CPU).
CALL_TOKENS = 512
# A group smaller than this gives a note too little text to be worth a model call.
MIN_GROUP = 512
# Packings tried before the passages fit the calls: each drops what overflowed the last one.
_REPACKS = 4

MAP_SYSTEM = (
    "You take notes for a question about a long document. From the numbered sources, write "
    "the facts that help answer the question, one short sentence each, followed by the number "
    "of its source in square brackets, like [2]. If no source helps, reply exactly: NOTHING."
)


@register_mode(Mode.MAPREDUCE)
class MapReduce:
    ranked = False
    quoted = False  # it answers from notes, in several calls: nothing single to quote
    cycled = False  # several model calls: asked for by name, or chosen by auto for a global question

    def requested(self, total: int, cost: int, budget: int) -> Choice:
        """Groups of at most `budget` tokens, as many as one answer can hold the notes of."""
        calls = max_groups(budget)
        return _choice("--mode mapreduce was asked for", cost, budget, calls, f"one answer holding {calls} notes")

    def select(self, request: Request) -> Selection:
        """Passages packed into at most the calls the choice allows, the reason naming the groups made."""
        group, budget = request.choice.group_budget, request.choice.budget
        calls = max(1, budget // group)
        for _ in range(_REPACKS):
            selected = _passages(request, budget)
            sizes = _group_sizes(selected, group)
            if len(sizes) <= calls:
                break
            # Groups cut between passages leave room unused, so the passages overflow the last call:
            # read that much less and pack again.
            budget -= sum(s.tokens + s.chunk.header_tokens for s in selected[sum(sizes[:calls]) :])
        n = len(sizes)
        return Selection(selected, sizes, f"notes from {n} group{'s' if n > 1 else ''}")

    def messages(self, question: str, plan: Plan, backend: Backend, timings: dict[str, float]) -> list[Message]:
        """Run the map calls and return the reduce prompt: the notes, numbered as the plan numbers passages."""
        start = time.perf_counter()
        notes: dict[int, list[str]] = {}
        for first, group in _map_groups(plan):
            for n, note in _notes(question, group, backend):
                notes.setdefault(first + n, []).append(note)
        timings["map_s"] = time.perf_counter() - start
        blocks = [_block(n, plan.selected[n - 1], " ".join(t)) for n, t in sorted(notes.items())]
        sources = "\n\n".join(blocks) or "(no notes)"
        return [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Sources:\n\n{sources}\n\nQuestion: {defuse(question)}"},
        ]


def timed(total: int, cost: int, budget: int, time_tokens: int | None) -> Choice | None:
    """Auto's map-reduce: groups of at most `budget` tokens, as many as `time_tokens` allows; None if under two fit."""
    group, calls = budget, max_groups(budget)
    if time_tokens is not None:
        group = min(group, time_tokens // 2 - CALL_TOKENS)
        if group < MIN_GROUP:
            return None
        calls = min(calls, time_tokens // (group + CALL_TOKENS))
    limit = "answering within --max-wait" if time_tokens is not None else f"one answer holding {calls} notes"
    return _choice(f"a question about the whole of the documents ({total} tokens)", cost, group, calls, limit)


def max_groups(group_budget: int) -> int:
    return max(1, group_budget // NOTE_TOKENS)


def _choice(what: str, cost: int, group: int, calls: int, limit: str) -> Choice:
    # The calls allowed, not those a perfect packing would need: groups cut between passages leave room unused.
    reads = max(1, calls) * group
    how = f"map-reduce over groups of up to {group} tokens, then one answer"
    if cost <= reads:
        return Choice(Mode.MAPREDUCE, reads, f"{what}; {how}", group_budget=group)
    left = f"each passage pruned to its most relevant sentences and about {cost - reads} tokens left out, for {limit}"
    return Choice(Mode.MAPREDUCE, reads, f"{what}; {how}; {left}", group_budget=group)


def _passages(request: Request, budget: int) -> list[Selected]:
    """The whole corpus when it fits `budget`; otherwise every chunk pruned to its leading sentences."""
    chunks = request.chunks
    if sum(c.tokens + c.header_tokens for c in chunks) <= budget:
        return whole(chunks)
    spread = [Ranked(c, 0.0, 0.0) for c in chunks]
    return compress(request.question, spread, chunks, CompressOptions(budget, True), request.counter)


def _group_sizes(selected: list[Selected], group_budget: int) -> list[int]:
    """Consecutive passages packed into groups of at most `group_budget` tokens; one size per group."""
    sizes: list[int] = []
    used = 0
    for s in selected:
        cost = s.tokens + s.chunk.header_tokens
        if sizes and used + cost <= group_budget:
            sizes[-1] += 1
            used += cost
        else:
            sizes.append(1)
            used = cost
    return sizes


def _map_groups(plan: Plan) -> Iterator[tuple[int, list[Selected]]]:
    """Each map call's passages, with the 0-based position of its first passage in the plan."""
    first = 0
    for size in plan.groups:
        yield first, plan.selected[first : first + size]
        first += size


def _notes(question: str, group: list[Selected], backend: Backend) -> list[tuple[int, str]]:
    """The group's supported notes, each with the 1-based number of its passage within the group."""
    text = "".join(backend.stream(_map_messages(question, group), NOTE_TOKENS)).strip()
    checked = check(text, question, group)
    return [(s.citations[0], s.text) for s in checked.sentences if s.support.backed]


def _map_messages(question: str, group: list[Selected]) -> list[Message]:
    sources = "\n\n".join(_block(n, s, s.text) for n, s in enumerate(group, start=1))
    return [
        {"role": "system", "content": MAP_SYSTEM},
        {"role": "user", "content": f"Sources:\n\n{sources}\n\nQuestion: {defuse(question)}"},
    ]


def _block(n: int, passage: Selected, text: str) -> str:
    return f"[{n}] {header(passage.chunk.span)}\n{defuse(text)}"
