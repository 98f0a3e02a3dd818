"""`--mode auto`: choose a mode from what can be measured before generating.

Inputs: the corpus size against the budget, the time the backend needs to read it (its
measured pre-fill speed against `--max-wait`), the question's shape, and how clearly
retrieval separates the best passages from the rest (the BM25 score margin). A small
model's own judgement of its context is not consulted: a 135M model cannot report it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lecto.context.compress import MAX_RATIO
from lecto.context.rank import Ranked
from lecto.context.shape import Shape, question_shape
from lecto.data import Kind, Mode

# With a top passage this far above the budget-filling tail, the evidence is concentrated:
# retrieving whole passages keeps it readable; a flatter ranking is better served by compressing.
MARGIN = 0.5
# Sentence pruning pays only in prose: in chat windows and code every line is already short,
# and bench/recall.py measured compress below retrieve on both (docs/BENCHMARKS.md).
PROSE = frozenset({Kind.PDF, Kind.TEXT})
# Below this many tokens no plan holds a passage and its neighbours; a slow machine waits longer instead.
MIN_BUDGET = 512


@dataclass(frozen=True)
class Choice:
    mode: Mode
    budget: int
    reason: str
    spread: bool = False  # cover the whole corpus in document order instead of the best passages


def choose(question: str, ranked: list[Ranked], total: int, cost: int, budget: int, time_tokens: int | None) -> Choice:
    budget, why = _budget(budget, time_tokens)
    size = f"the documents ({total} tokens)"
    if cost <= budget:
        return Choice(Mode.FULL, budget, f"{size} fit the budget ({budget} tokens{why})")
    if question_shape(question) is Shape.GLOBAL and total <= budget * MAX_RATIO:
        return Choice(
            Mode.COMPRESS,
            budget,
            f"a question about the whole of {size}: each passage pruned to fit {budget} tokens{why}",
            spread=True,
        )
    margin = score_margin(ranked)
    if total <= budget * MAX_RATIO and margin < MARGIN and ranked and ranked[0].chunk.span.kind in PROSE:
        return Choice(
            Mode.COMPRESS,
            budget,
            f"{size} exceed the budget ({budget} tokens{why}) by at most {MAX_RATIO}× and no passage stands out "
            f"(score margin {margin:.2f}); compressing the best passages",
        )
    return Choice(
        Mode.RETRIEVE,
        budget,
        f"{size} exceed the budget ({budget} tokens{why}); retrieving the best passages (score margin {margin:.2f})",
    )


def score_margin(ranked: list[Ranked]) -> float:
    """How far the best BM25 score stands above the fifth: 0 flat, 1 one passage alone."""
    scores = [r.bm25 for r in ranked if r.bm25 > 0]
    if not scores:
        return 0.0
    tail = scores[min(4, len(scores) - 1)]
    return (scores[0] - tail) / scores[0]


def _budget(budget: int, time_tokens: int | None) -> tuple[int, str]:
    if time_tokens is None or time_tokens >= budget:
        return budget, ""
    if time_tokens < MIN_BUDGET:
        return min(
            MIN_BUDGET, budget
        ), f", cut from {budget}; this machine reads too slowly to answer within --max-wait"
    return time_tokens, f", cut from {budget} so the answer comes within --max-wait"
