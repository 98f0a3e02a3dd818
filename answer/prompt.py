"""The prompt: instructions, then numbered sources, then the question.

The documents come before the question so that follow-up questions share the same prefix
and a backend can reuse its computed state. Document text is data: role and special-token
markers inside it are defused so a document cannot open a new chat turn.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from lecto.backends.registry import Message
from lecto.context.tokens import Counter
from lecto.data import Plan, Span

SYSTEM = (
    "You answer questions using only the numbered sources the user gives you. "
    "After each sentence of your answer, write the number of the source it comes from in "
    "square brackets, like [1]. Keep the answer short. If the sources do not contain the "
    "answer, reply exactly: NOT FOUND."
)
# Tokens the chat template and the source headers add beyond the texts themselves.
TEMPLATE_TOKENS = 32

_SPECIAL = re.compile(r"<\|[^|<>]{0,40}\|>|</?s>")


def defuse(text: str) -> str:
    """Break chat-template tokens (`<|im_start|>`, `</s>`) so the tokenizer reads them as plain text."""
    return _SPECIAL.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


def messages(plan: Plan, question: str) -> list[Message]:
    blocks = [f"[{n}] {header(s.chunk.span)}\n{defuse(s.text)}" for n, s in enumerate(plan.selected, start=1)]
    sources = "\n\n".join(blocks)
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"{_preamble(plan)}Sources:\n\n{sources}\n\nQuestion: {defuse(question)}"},
    ]


def _preamble(plan: Plan) -> str:
    # Before the sources and without a number, so the model reads it first and cannot cite it.
    return f"Repository map (an overview, not a source):\n\n{defuse(plan.preamble)}\n\n" if plan.preamble else ""


def header(span: Span) -> str:
    # The file's name, not its path: a small model reads a long path as content (measured on SmolLM2-135M).
    return defuse(f"{PurePath(span.source).name}, {span.location.describe()}")


def overhead_tokens(counter: Counter, question: str) -> int:
    """Prompt tokens besides the documents' own text (their headers are the planner's to count)."""
    return counter.count_tokens(SYSTEM) + counter.count_tokens(question) + TEMPLATE_TOKENS
