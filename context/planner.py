"""The context manager's entry point: decide what the model reads for one question, and why.

Which mode reads the documents is auto's choice (context/auto.py) or the user's; what each mode
selects is its own module's (context/modes/).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lecto.context.auto import choose
from lecto.context.modes import Choice, Request, mode_of
from lecto.context.preamble import Preamble, preamble
from lecto.context.rank import Ranked, rank
from lecto.context.tokens import Counter, count_corpus
from lecto.data import Chunk, Corpus, Mode, Plan
from lecto.errors import BudgetError
from lecto.names import absent
from lecto.store import Store


@dataclass(frozen=True)
class PlanOptions:
    mode: Mode = Mode.AUTO
    budget: int = 0  # tokens the documents may take; the caller derives it from the window
    # Tokens the backend pre-fills within the user's --max-wait; None when its speed is unknown.
    time_tokens: int | None = None
    # Seconds dense retrieval may add (loading its model, embedding new passages); None: no limit.
    dense_seconds: float | None = None


def plan(question: str, corpus: Corpus, options: PlanOptions, counter: Counter, store: Store) -> Plan:
    chunks = count_corpus(corpus, counter, store)
    total = sum(c.tokens for c in chunks)
    if options.budget <= 0:
        raise BudgetError("the model's window leaves no room for documents", hint="use a model with a larger window")
    cost = total + sum(c.header_tokens for c in chunks)
    first = preamble(corpus, options.budget, counter)
    options = _after(first, options)
    if options.mode is Mode.AUTO:
        lexical = rank(question, chunks, store, dense=False).hits
        choice = choose(question, lexical, total, cost, options.budget, options.time_tokens)
    else:
        choice = mode_of(options.mode).requested(total, cost, options.budget)
    ranked, reason = _ranked(question, chunks, store, choice, options.dense_seconds)
    selection = mode_of(choice.mode).select(Request(question, chunks, ranked, choice, counter))
    reason = f"{reason}; {selection.note}" if selection.note else reason
    result = Plan(choice.mode, reason, choice.budget + first.tokens, total, selection.selected)
    result.preamble, result.preamble_tokens = first.text, first.tokens
    result.groups = selection.groups
    result.absent = absent(question, [c.text for c in chunks])
    return result


def _after(first: Preamble, options: PlanOptions) -> PlanOptions:
    """What is left for the passages once the preamble is read."""
    time_tokens = None if options.time_tokens is None else options.time_tokens - first.tokens
    return replace(options, budget=options.budget - first.tokens, time_tokens=time_tokens)


def _ranked(
    question: str, chunks: list[Chunk], store: Store, choice: Choice, dense_seconds: float | None
) -> tuple[list[Ranked], str]:
    """The passages by relevance, with the retrievers named in the reason; only where they choose."""
    if choice.spread or not mode_of(choice.mode).ranked:
        return [Ranked(c, 0.0, 0.0) for c in chunks], choice.reason
    ranking = rank(question, chunks, store, dense_seconds=dense_seconds)
    return ranking.hits, f"{choice.reason}; ranked by {ranking.retrievers}"
