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
import shutil
import sys
from typing import Any, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from lecto.answer.marked import LEGEND, Mark, Tag, marked, marks_used
from lecto.answer.present import citation_text, closest_lines, marked_text, not_found_reason, short
from lecto.data import Answer, Citation, Plan, Sentence, Shortfall, Status, Support
from lecto.visible import visible

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
# Move to the first column of the line n rows up, then clear to the end of the screen.
_BACK_UP = "\x1b[{rows}F\x1b[J"


def safe(text: str) -> str:
    """Document or model text as it may reach the terminal (see `lecto.visible`)."""
    return visible(text)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich would exit 1 here, an error's code; a reader that has gone is ended in one place (cli/app.py).
        raise BrokenPipeError


def console(out: TextIO = sys.stdout) -> Console:
    # Rich drops only colours for NO_COLOR; no-color.org users want plain text, so drop every style.
    styles = None if os.environ.get("NO_COLOR") else "auto"
    return _Console(file=out, color_system=styles, highlight=False, markup=False, emoji=False, soft_wrap=True)


class TextStream:
    """The answer printed once: streamed as the model writes it, then in its final form.

    On a terminal the streamed text is redrawn in place with each claim's sources marked (or
    replaced by the verdict when it is withdrawn); piped, the streamed text stays as it came
    and only the sources block follows, so a reader of the pipe sees the answer once.
    """

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out
        self.written: list[str] = []

    def write(self, delta: str) -> None:
        self.written.append(safe(delta))
        self.out.write(self.written[-1])
        self.out.flush()

    def finish(self, answer: Answer) -> None:
        text = "".join(self.written)
        if text:
            self.out.write("\n")
        verdict = [] if answer.status is Status.ANSWERED else [Text(not_found_reason(answer), "bold")]
        sources = _sources(answer)
        if text and self._redraw(text):
            lines = _final(answer, verdict) + ([Text(), *sources] if sources else [])
        elif text:
            lines = [Text(), *verdict, *sources] if verdict or sources else []
        else:
            lines = [*verdict, *sources]
        show = console(self.out)
        for line in lines:
            show.print(line)

    def _redraw(self, text: str) -> bool:
        """Take the streamed text back off a terminal, when all of it is still on the screen."""
        rows = self._rows(text)
        if not _can_redraw(self.out) or rows >= shutil.get_terminal_size().lines:
            return False
        self.out.write(_BACK_UP.format(rows=rows))
        return True

    def _rows(self, text: str) -> int:
        """How many terminal rows the streamed text took, its long lines wrapped."""
        width = max(1, shutil.get_terminal_size().columns)
        return sum(max(1, -(-cell_len(line.expandtabs()) // width)) for line in text.split("\n"))


def _can_redraw(out: TextIO) -> bool:
    return out.isatty() and os.environ.get("TERM") != "dumb"


def _final(answer: Answer, verdict: list[Text]) -> list[Text]:
    """The answer as it stands once checked: marked with its sources, or the verdict over what was withdrawn."""
    if not verdict:
        return marked_text(answer)
    return [*verdict, *(_dim(marked_text(answer)) if answer.withheld else [])]


def _dim(lines: list[Text]) -> list[Text]:
    for line in lines:
        line.stylize("dim")
    return lines


def _sources(answer: Answer) -> list[Text]:
    """What backs the answer (each citation, each claim nothing backs), or the passages that came closest."""
    if answer.status is not Status.ANSWERED:
        return closest_lines(answer)
    flagged = [Text.assemble((f"{_FLAGGED[s.support]}: ", "bold red"), safe(short(s.text))) for s in _flagged(answer)]
    return [citation_text(c) for c in answer.citations] + flagged


def print_plan(plan: Plan, out: TextIO = sys.stdout) -> None:
    """What `--dry-run` would send the model: the mode, why, and each passage's place and size."""
    show = console(out)
    show.print(Text.assemble((plan.mode.value, "bold"), f": {safe(plan.reason)}"))
    for n, s in enumerate(plan.selected, start=1):
        show.print(Text.assemble((f"[{n}] ", "bold"), (safe(s.chunk.span.describe()), "cyan"), f" ({s.tokens} tokens)"))


_FLAGGED = {Support.UNSUPPORTED: "unsupported", Support.OFF_QUESTION: "not an answer to the question"}


def _flagged(answer: Answer) -> list[Sentence]:
    return [s for s in answer.sentences if s.support in _FLAGGED and not s.asks]


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
    # One passage can be cited at several of its messages; a footnote is defined once, with each of them.
    passages: dict[int, list[Citation]] = {}
    for c in answer.citations:
        passages.setdefault(c.n, []).append(c)
    notes = [footnote(cited, label) for cited in passages.values()]
    legend = [f"*{_md(LEGEND[m])}*" for m in marks_used(answer) if m not in (Mark.UNSUPPORTED, Mark.OFF_QUESTION)]
    return "\n".join([body, "", *notes, *(["", *legend] if legend else [])]) + "\n"


def _footnote_ref(tag: Tag, label: str) -> str:
    if tag.n is None:
        return "*(not an answer to the question)*" if tag.mark is Mark.OFF_QUESTION else "*(unsupported)*"
    return f"[^{label}{tag.n}]{tag.mark}"


def footnote(cited: list[Citation], label: str = "") -> str:
    """The footnote of one passage number: each place of the passage cited, with its quote."""
    return f"[^{label}{cited[0].n}]: " + "; ".join(_source(c) for c in cited)


def _source(c: Citation) -> str:
    notes = ("" if c.verified else " (unverified)") + ("" if c.by_model else " (attributed by lecto)")
    return f"{_md(c.where.describe())}{notes}: “{_md(short(c.quote))}”"


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
        "not_found_because": answer.shortfall.value if answer.shortfall else None,
        "never_mentioned": answer.shortfall_names if answer.shortfall is Shortfall.NEVER_MENTIONED else [],
        "notes": answer.notes,
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
