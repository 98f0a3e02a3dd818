"""How answers look: streamed text and a sources block for people, Markdown to paste, JSON for scripts.

Document text and model output are data: control characters and escape sequences are made
visible, never sent raw to the terminal, and nothing is read as Rich markup (styles are
attached to `Text` spans, never parsed out of strings). Colours and styles appear only on a terminal
and never when `NO_COLOR` is set.
"""

from __future__ import annotations

import json
import os
import re
import sys
from enum import StrEnum
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from lecto.answer.marked import LEGEND, Mark, Tag, marked, marks_used, segments
from lecto.answer.present import citation_text, closest_lines, not_found_reason, short
from lecto.data import Answer, Citation, Plan, Sentence, Status, Support
from lecto.visible import visible

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_TAG_STYLE = {
    Mark.VERIFIED: "bold",
    Mark.ATTRIBUTED: "yellow",
    Mark.PARTIAL: "yellow",
    Mark.REJECTED: "bold red",
    Mark.UNSUPPORTED: "bold red",
    Mark.OFF_QUESTION: "bold red",
}


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    JSONL = "jsonl"


def safe(text: str) -> str:
    """Document or model text as it may reach the terminal (see `lecto.visible`)."""
    return visible(text)


def console(out: TextIO = sys.stdout) -> Console:
    # Rich drops only colours for NO_COLOR; no-color.org users want plain text, so drop every style.
    styles = None if os.environ.get("NO_COLOR") else "auto"
    return Console(file=out, color_system=styles, highlight=False, markup=False, emoji=False, soft_wrap=True)


def print_sources(answer: Answer, out: TextIO = sys.stdout) -> None:
    """After the streamed answer: the verdict if nothing backs it, the sources, the unsupported claims."""
    lines = [citation_text(c) for c in answer.citations]
    if answer.status is Status.NOT_FOUND and answer.text is not None:
        lines = [Text(not_found_reason(answer), "bold"), *closest_lines(answer)]
    else:
        lines[:0] = _marked_lines(answer)
        lines += [
            Text.assemble((f"{_FLAGGED[s.support]}: ", "bold red"), safe(short(s.text))) for s in _flagged(answer)
        ]
    if lines:
        show = console(out)
        show.print()
        for line in lines:
            show.print(line)


def _marked_lines(answer: Answer) -> list[Text]:
    """The answer again with each claim's sources in place, when that tells more than the stream did."""
    used = marks_used(answer)
    if not used:
        return []
    line = Text("with sources: ", "bold")
    for piece, tag in segments(answer):
        line.append(safe(piece) if tag is None else Text(tag.plain(), _TAG_STYLE[tag.mark]))
    return [line, Text(" · ".join(LEGEND[m] for m in used), "dim")]


def print_plan(plan: Plan, out: TextIO = sys.stdout) -> None:
    """What `--dry-run` would send the model: the mode, why, and each passage's place and size."""
    show = console(out)
    show.print(Text.assemble((plan.mode.value, "bold"), f": {safe(plan.reason)}"))
    for n, s in enumerate(plan.selected, start=1):
        show.print(Text.assemble((f"[{n}] ", "bold"), (safe(s.chunk.span.describe()), "cyan"), f" ({s.tokens} tokens)"))


_FLAGGED = {Support.UNSUPPORTED: "unsupported", Support.OFF_QUESTION: "not an answer to the question"}


def _flagged(answer: Answer) -> list[Sentence]:
    return [s for s in answer.sentences if s.support in _FLAGGED]


def markdown(answer: Answer, label: str = "") -> str:
    """The answer with footnote-style sources, ready to paste; document text escaped so it stays text.

    `label` prefixes the footnote names, so the answers of a batch can share one document.
    """
    if answer.status is Status.NOT_FOUND or answer.text is None:
        closest = [f"- {_md(c.where.describe())}: “{_md(short(c.quote))}”" for c in answer.closest]
        return (
            "\n".join([_md(not_found_reason(answer)), *(["", "Closest passages:", "", *closest] if closest else [])])
            + "\n"
        )
    body = marked(answer, lambda tag: _footnote_ref(tag, label), _md_piece).strip()
    notes = [footnote(c, label) for c in answer.citations]
    legend = [f"*{_md(LEGEND[m])}*" for m in marks_used(answer) if m not in (Mark.UNSUPPORTED, Mark.OFF_QUESTION)]
    return "\n".join([body, "", *notes, *(["", *legend] if legend else [])]) + "\n"


def _footnote_ref(tag: Tag, label: str) -> str:
    if tag.n is None:
        return "*(not an answer to the question)*" if tag.mark is Mark.OFF_QUESTION else "*(unsupported)*"
    return f"[^{label}{tag.n}]{tag.mark}"


def footnote(c: Citation, label: str = "") -> str:
    notes = ("" if c.verified else " (unverified)") + ("" if c.by_model else " (attributed by lecto)")
    return f"[^{label}{c.n}]: {_md(c.where.describe())}{notes}: “{_md(short(c.quote))}”"


def _md(text: str) -> str:
    return _md_piece(" ".join(text.split()))


def _md_piece(text: str) -> str:
    """A piece of the answer, escaped; its edge spaces kept so the pieces join into sentences."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", safe(re.sub(r"\s+", " ", text)))


def to_json(answer: Answer) -> dict[str, Any]:
    plan = answer.plan
    return {
        "question": answer.question,
        "answer": answer.text,
        "answer_marked": marked(answer) if answer.text is not None else None,
        "status": answer.status.value,
        "mode": plan.mode.value,
        "mode_reason": plan.reason,
        "model": answer.model,
        "citations": [c.to_json() for c in answer.citations],
        "sentences": [s.to_json() for s in answer.sentences],
        "closest": [c.to_json() for c in answer.closest],
        "withheld": answer.withheld or None,
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
    """One object on one line, flushed, so a reader of `--jsonl` sees each answer as it finishes."""
    out.write(json.dumps(to_json(answer), ensure_ascii=False) + "\n")
    out.flush()
