"""`--mode auto`: choose a mode from what can be measured before generating.

Inputs: the corpus size against the budget, the time the backend needs to read it (its
measured pre-fill speed against `--max-wait`), the question's shape, and how clearly
retrieval separates the best passages from the rest (the BM25 score margin). A small
model's own judgement of its context is not consulted: a 135M model cannot report it.
"""

from __future__ import annotations

from lecto.context.compress import MAX_RATIO
from lecto.context.modes import Choice, mapreduce
from lecto.context.rank import Ranked
from lecto.context.shape import Shape, question_shape
from lecto.data import Kind, Mode

# With a top passage this far above the budget-filling tail, the evidence is concentrated:
# retrieving whole passages keeps it readable; a flatter ranking is better served by compressing.
MARGIN = 0.5
# Below this many tokens no plan holds a passage and its neighbours; a slow machine waits longer instead.
MIN_BUDGET = 512


def choose(question: str, ranked: list[Ranked], total: int, cost: int, budget: int, time_tokens: int | None) -> Choice:
    if cost > budget and question_shape(question) is Shape.GLOBAL:
        # Map-reduce reads in several calls, so the per-call budget is not cut by time; the calls are.
        mapped = mapreduce.timed(total, cost, budget, time_tokens)
        if mapped is not None:
            return mapped
    return _choose(question, ranked, total, cost, budget, time_tokens)


def _choose(question: str, ranked: list[Ranked], total: int, cost: int, budget: int, time_tokens: int | None) -> Choice:
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
    # Only code is compressed when no passage stands out: pruned by lines and name words it
    # recalls more than retrieve at every budget (1.00 against 0.71 at 1K), and the model
    # answered as many code questions from it (3/5 each). Compress reads at most MAX_RATIO times
    # the budget of the best passages, so its cost follows the budget, not the repository.
    # Pruned prose lost evidence retrieve kept (papers at 4K: 0.94 against 1.00), and from
    # pruned prose and chat the model answered fewer questions (papers 6/16 against 9/16, chat
    # 0/8 against 2/8, at 1K; docs/BENCHMARKS.md).
    flat = margin < MARGIN and bool(ranked)
    if flat and ranked[0].chunk.span.kind is Kind.CODE:
        return Choice(
            Mode.COMPRESS,
            budget,
            f"{size} exceed the budget ({budget} tokens{why}) and no passage stands out "
            f"(score margin {margin:.2f}); compressing the best passages of code to their relevant lines",
        )
    return Choice(
        Mode.RETRIEVE,
        budget,
        f"{size} exceed the budget ({budget} tokens{why}); retrieving the best passages (score margin {margin:.2f})"
        + ("; no passage stands out, but prose and chat are kept in whole passages, not pruned" if flat else ""),
    )


def score_margin(ranked: list[Ranked]) -> float:
    """How far the best BM25 score stands above the fifth: 0 flat, 1 one passage alone."""
    # In BM25's own order: other votes (dates, answer type) reorder the ranking, not the margin.
    scores = sorted((r.bm25 for r in ranked if r.bm25 > 0), reverse=True)
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
