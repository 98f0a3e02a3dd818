"""The prompt: instructions, then numbered sources, then the question.

The documents come before the question so that follow-up questions share the same prefix
and a backend can reuse its computed state. Document text is data: role and special-token
markers inside it are defused so a document cannot open a new chat turn.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import TYPE_CHECKING

from lecto.backends.registry import Message
from lecto.data import Plan, Span

if TYPE_CHECKING:
    from lecto.context.tokens import Counter

SYSTEM = (
    "You answer questions using only the numbered sources the user gives you. "
    "After each sentence of your answer, write the number of the source it comes from in "
    "square brackets, like [1]. Keep the answer short. If the sources do not contain the "
    "answer, reply exactly: NOT FOUND."
)
# Tokens the chat template's role markers add for the system, user and assistant turns (ChatML
# writes `<|im_start|>system\n…<|im_end|>\n`, about five a turn); the rest of the prompt is counted.
ROLE_TOKENS = 16
# The passage number the planner counts a header with: two digits, as most plans' numbers have.
_COUNTED_NUMBER = 10

_SPECIAL = re.compile(r"<\|[^|<>]{0,40}\|>|</?s>")


def defuse(text: str) -> str:
    """Break chat-template tokens (`<|im_start|>`, `</s>`) so the tokenizer reads them as plain text."""
    return _SPECIAL.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


def messages(plan: Plan, question: str) -> list[Message]:
    blocks = [_block(n, s.chunk.span, s.text) for n, s in enumerate(plan.selected, start=1)]
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": _user(_preamble(plan), "\n\n".join(blocks), question)},
    ]


def _block(n: int, span: Span, text: str) -> str:
    return f"[{n}] {header(span)}\n{defuse(text)}"


def _user(preamble: str, sources: str, question: str) -> str:
    return f"{preamble}Sources:\n\n{sources}\n\nQuestion: {defuse(question)}"


def _preamble(plan: Plan) -> str:
    # Before the sources and without a number, so the model reads it first and cannot cite it.
    return f"Repository map (an overview, not a source):\n\n{defuse(plan.preamble)}\n\n" if plan.preamble else ""


def header(span: Span) -> str:
    # The file's name, not its path: a small model reads a long path as content (measured on SmolLM2-135M).
    return defuse(f"{PurePath(span.source).name}, {span.location.describe()}")


def header_text(span: Span) -> str:
    """What a passage adds to the prompt besides its text: its number and header line, and the gap after it.

    The planner counts it for every passage (context/tokens.py); passages on one page share it.
    """
    return _block(_COUNTED_NUMBER, span, "") + "\n\n"


def overhead_tokens(counter: Counter, question: str) -> int:
    """Prompt tokens besides the passages (each passage's header is `header_tokens`)."""
    return counter.count_tokens(SYSTEM) + counter.count_tokens(_user("", "", question)) + ROLE_TOKENS
