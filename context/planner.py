"""The context manager's entry point: decide what the model reads for one question, and why."""

from __future__ import annotations

from dataclasses import dataclass

from lecto.context.full import select_full
from lecto.context.retrieve import select_retrieve
from lecto.context.tokens import Counter, count_corpus
from lecto.data import Corpus, Mode, Plan
from lecto.errors import BudgetError, UsageError
from lecto.store import Store

# What the prompt adds around each passage (its number, source and location line).
SOURCE_HEADER_TOKENS = 16


@dataclass(frozen=True)
class PlanOptions:
    mode: Mode = Mode.AUTO
    budget: int = 0  # tokens the documents may take; the caller derives it from the window


def plan(question: str, corpus: Corpus, options: PlanOptions, counter: Counter, store: Store) -> Plan:
    chunks = count_corpus(corpus, counter, store)
    total = sum(c.tokens for c in chunks)
    cost = total + SOURCE_HEADER_TOKENS * len(chunks)
    budget = options.budget
    if budget <= 0:
        raise BudgetError("the model's window leaves no room for documents", hint="use a model with a larger window")
    mode, reason = _choose(options.mode, total, cost, budget)
    if mode is Mode.FULL:
        if cost > budget:
            raise BudgetError(
                f"--mode full: the documents take {total} tokens but the budget is {budget}",
                hint="use --mode auto or retrieve, or a model with a larger window",
            )
        selected = select_full(chunks)
    elif mode is Mode.RETRIEVE:
        selected = select_retrieve(question, chunks, budget, store, SOURCE_HEADER_TOKENS)
    else:
        raise UsageError(f"mode {mode.value} is not available yet")
    return Plan(mode=mode, reason=reason, budget=budget, corpus_tokens=total, selected=selected)


def _choose(requested: Mode, total: int, cost: int, budget: int) -> tuple[Mode, str]:
    if requested is not Mode.AUTO:
        return requested, f"--mode {requested.value} was asked for"
    if cost <= budget:
        return Mode.FULL, f"the documents ({total} tokens) fit the budget ({budget} tokens)"
    return (
        Mode.RETRIEVE,
        f"the documents ({total} tokens) exceed the budget ({budget} tokens); retrieving the best passages",
    )
