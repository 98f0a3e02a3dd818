"""Follow-up questions: earlier turns travel with the new question, within a token allowance.

The model sees no chat history of its own, so "and what about the second one?" only works
if the earlier exchange is in the prompt. The newest turns are kept first; older ones drop
out when the allowance is spent, so history never crowds the documents out of the budget.
"""

from __future__ import annotations

from dataclasses import dataclass

from lecto.context.tokens import Counter

# Earlier turns may take this share of the document budget; the documents need the rest.
HISTORY_SHARE = 0.25


@dataclass(frozen=True)
class Exchange:
    question: str
    answer: str


def follow_up(question: str, earlier: list[Exchange], counter: Counter, allowance: int) -> str:
    """The question as the model should read it: bare, or after the earlier turns that fit."""
    kept: list[str] = []
    used = 0
    for exchange in reversed(earlier):
        block = f"Q: {exchange.question}\nA: {exchange.answer}"
        used += counter.count_tokens(block)
        if used > allowance:
            break
        kept.insert(0, block)
    if not kept:
        return question
    return "Earlier in this conversation:\n" + "\n".join(kept) + f"\n\nNow answer: {question}"
