"""Map-reduce for global questions ("summarise…", "list every…", "compare…").

No top-k serves them, and a small model reads a long context badly: the passages that fit
the map budget are split, in document order, into groups that each fit one call; the model
takes notes per group (map), then answers from the notes (reduce, `answer/mapreduce.py`).
The plan holds every passage as usual, so citations resolve to, and are checked against,
the original text; `Plan.groups` says how many consecutive passages each map call reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lecto.context.compress import CompressOptions, compress
from lecto.context.full import select_full
from lecto.context.rank import Ranked
from lecto.context.tokens import Counter
from lecto.data import Chunk, Plan, Selected

# Tokens one map call may write: a few short notes. The reduce call reads every group's notes
# within one call's budget, so a budget of B tokens serves at most B // NOTE_TOKENS groups.
NOTE_TOKENS = 128
# What a map call costs besides its passages, in pre-fill tokens: its instructions, and writing
# the note (decoding runs about 5× slower than pre-fill with llama.cpp on a CPU).
CALL_TOKENS = 512
# A group smaller than this gives a note too little text to be worth a model call.
MIN_GROUP = 512


@dataclass(frozen=True)
class MapReduceOptions:
    budget: int  # tokens all map calls read together
    header_tokens: int


def max_groups(group_budget: int) -> int:
    return max(1, group_budget // NOTE_TOKENS)


def select_mapreduce(question: str, chunks: list[Chunk], options: MapReduceOptions, counter: Counter) -> list[Selected]:
    """The whole corpus when it fits the map budget; otherwise every chunk pruned to its leading sentences."""
    if sum(c.tokens + options.header_tokens for c in chunks) <= options.budget:
        return select_full(chunks)
    spread = [Ranked(c, 0.0, 0.0) for c in chunks]
    return compress(question, spread, chunks, CompressOptions(options.budget, options.header_tokens, True), counter)


def group_sizes(selected: list[Selected], group_budget: int, header_tokens: int) -> list[int]:
    """Consecutive passages packed into groups of at most `group_budget` tokens; one size per group."""
    sizes: list[int] = []
    used = 0
    for s in selected:
        cost = s.tokens + header_tokens
        if sizes and used + cost <= group_budget:
            sizes[-1] += 1
            used += cost
        else:
            sizes.append(1)
            used = cost
    return sizes


def map_groups(plan: Plan) -> Iterator[tuple[int, list[Selected]]]:
    """Each map call's passages, with the 0-based position of its first passage in the plan."""
    first = 0
    for size in plan.groups:
        yield first, plan.selected[first : first + size]
        first += size
