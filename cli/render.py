"""How answers look: streamed text and a sources block for people, one JSON object for scripts.

Document text and model output are data: control characters and escape sequences are made
visible, never sent raw to the terminal, and nothing is read as Rich markup.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, TextIO

from lecto.data import Answer, Citation

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Long enough to recognise the passage, short enough to keep the sources block readable.
QUOTE_CHARS = 240


def safe(text: str) -> str:
    """Escape sequences and control characters shown as `\\x1b`, so a document cannot drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def short(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def citation_line(c: Citation) -> str:
    mark = "" if c.verified else " (unverified)"
    who = "" if c.by_model else " (attributed by lecto)"
    return f'[{c.n}] {safe(c.span.describe())}{mark}{who}: "{safe(short(c.quote))}"'


def print_sources(answer: Answer, out: TextIO = sys.stdout) -> None:
    if not answer.citations:
        return
    out.write("\n")
    for c in answer.citations:
        out.write(citation_line(c) + "\n")


def to_json(answer: Answer) -> dict[str, Any]:
    plan = answer.plan
    return {
        "question": answer.question,
        "answer": answer.text,
        "status": answer.status.value,
        "mode": plan.mode.value,
        "mode_reason": plan.reason,
        "model": answer.model,
        "citations": [c.to_json() for c in answer.citations],
        "context": {
            "corpus_tokens": plan.corpus_tokens,
            "budget_tokens": plan.budget,
            "sent_tokens": plan.sent_tokens,
            "spans": [{**s.chunk.span.to_json(), "text": s.text} for s in plan.selected],
        },
        "tokens": answer.tokens,
        "timings": {k: round(v, 4) for k, v in answer.timings.items()},
    }


def print_json(answer: Answer, out: TextIO = sys.stdout) -> None:
    out.write(json.dumps(to_json(answer), ensure_ascii=False) + "\n")
