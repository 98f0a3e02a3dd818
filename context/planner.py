"""The context manager's entry point: decide what the model reads for one question, and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from lecto.context.auto import Choice, asked_map_reduce, choose
from lecto.context.compress import CompressOptions, compress
from lecto.context.full import select_full
from lecto.context.mapreduce import MapReduceOptions, group_sizes, select_mapreduce
from lecto.context.preamble import Preamble, preamble
from lecto.context.rank import Ranked, rank
from lecto.context.retrieve import RetrieveOptions, select_retrieve
from lecto.context.tokens import Counter, count_corpus
from lecto.data import Chunk, Corpus, Mode, Plan, Selected
from lecto.errors import BudgetError
from lecto.store import Store

# What the prompt adds around each passage (its number, source and location line).
SOURCE_HEADER_TOKENS = 16
# Modes that pick passages by relevance to the question, so they need the ranking.
_RANKED = frozenset({Mode.RETRIEVE, Mode.COMPRESS})


@dataclass(frozen=True)
class PlanOptions:
    mode: Mode = Mode.AUTO
    budget: int = 0  # tokens the documents may take; the caller derives it from the window
    # Tokens the backend pre-fills within the user's --max-wait; None when its speed is unknown.
    time_tokens: int | None = None
    # Seconds dense retrieval may add (loading its model, embedding new passages); None: no limit.
    dense_seconds: float | None = None


@dataclass(frozen=True)
class _Inputs:
    question: str
    chunks: list[Chunk]
    ranked: list[Ranked]
    budget: int
    counter: Counter
    spread: bool


def plan(question: str, corpus: Corpus, options: PlanOptions, counter: Counter, store: Store) -> Plan:
    chunks = count_corpus(corpus, counter, store)
    total = sum(c.tokens for c in chunks)
    if options.budget <= 0:
        raise BudgetError("the model's window leaves no room for documents", hint="use a model with a larger window")
    cost = total + SOURCE_HEADER_TOKENS * len(chunks)
    first = preamble(corpus, options.budget, counter)
    options = _after(first, options)
    if options.mode is Mode.AUTO:
        lexical = rank(question, chunks, store, dense=False).hits
        choice = choose(question, lexical, total, cost, options.budget, options.time_tokens)
    else:
        choice = _requested(options, total, cost)
    ranked, reason = _ranked(question, chunks, store, choice, options.dense_seconds)
    selected = _SELECTORS[choice.mode](_Inputs(question, chunks, ranked, choice.budget, counter, choice.spread))
    result = Plan(choice.mode, reason, choice.budget + first.tokens, total, selected)
    result.preamble, result.preamble_tokens = first.text, first.tokens
    if choice.mode is Mode.MAPREDUCE:
        result.groups = group_sizes(selected, choice.group_budget, SOURCE_HEADER_TOKENS)
    return result


def _after(first: Preamble, options: PlanOptions) -> PlanOptions:
    """What is left for the passages once the preamble is read."""
    time_tokens = None if options.time_tokens is None else options.time_tokens - first.tokens
    return replace(options, budget=options.budget - first.tokens, time_tokens=time_tokens)


def _ranked(
    question: str, chunks: list[Chunk], store: Store, choice: Choice, dense_seconds: float | None
) -> tuple[list[Ranked], str]:
    """The passages by relevance, with the retrievers named in the reason; only where they choose."""
    if choice.spread or choice.mode not in _RANKED:
        return [Ranked(c, 0.0, 0.0) for c in chunks], choice.reason
    ranking = rank(question, chunks, store, dense_seconds=dense_seconds)
    return ranking.hits, f"{choice.reason}; ranked by {ranking.retrievers}"


def _requested(options: PlanOptions, total: int, cost: int) -> Choice:
    if options.mode is Mode.MAPREDUCE:
        return asked_map_reduce(cost, options.budget)
    if options.mode is Mode.FULL and cost > options.budget:
        raise BudgetError(
            f"--mode full: the documents take {total} tokens but the budget is {options.budget}",
            hint="use --mode auto or retrieve, or a model with a larger window",
        )
    return Choice(options.mode, options.budget, f"--mode {options.mode.value} was asked for")


def _full(i: _Inputs) -> list[Selected]:
    return select_full(i.chunks)


def _retrieve(i: _Inputs) -> list[Selected]:
    return select_retrieve(i.ranked, i.chunks, RetrieveOptions(i.budget, SOURCE_HEADER_TOKENS))


def _compress(i: _Inputs) -> list[Selected]:
    return compress(
        i.question, i.ranked, i.chunks, CompressOptions(i.budget, SOURCE_HEADER_TOKENS, i.spread), i.counter
    )


def _mapreduce(i: _Inputs) -> list[Selected]:
    return select_mapreduce(i.question, i.chunks, MapReduceOptions(i.budget, SOURCE_HEADER_TOKENS), i.counter)


_SELECTORS: dict[Mode, Callable[[_Inputs], list[Selected]]] = {
    Mode.FULL: _full,
    Mode.RETRIEVE: _retrieve,
    Mode.COMPRESS: _compress,
    Mode.MAPREDUCE: _mapreduce,
}
