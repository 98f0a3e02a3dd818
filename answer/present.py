"""How an answer reads, written once for the CLI and the TUI: the not-found verdict, citation lines, quotes.

Document text and model output are data: every piece of it goes through `visible`, and lines
are `rich.text.Text` built from spans, never parsed as markup, so a document cannot style or
drive the terminal.
"""

from __future__ import annotations

from rich.text import Text

from lecto.answer.marked import LEGEND, Mark, marks_used, segments
from lecto.data import Answer, Citation, Shortfall, Status
from lecto.visible import visible

# Long enough to recognise the passage, short enough to keep a sources list readable.
QUOTE_CHARS = 240
NOT_FOUND = "Not found in the documents."
TAG_STYLE = {
    Mark.VERIFIED: "bold",
    Mark.ATTRIBUTED: "yellow",
    Mark.PARTIAL: "yellow",
    Mark.REJECTED: "bold red",
    Mark.UNSUPPORTED: "bold red",
    Mark.OFF_QUESTION: "bold red",
}


def short(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def not_found_reason(answer: Answer) -> str:
    """Why no answer is given, in one line: what the documents lack, or that lecto withdrew the answer written."""
    names = answer.shortfall_names
    match answer.shortfall:
        case Shortfall.NEVER_MENTIONED:
            return f"{NOT_FOUND} The documents never mention {' or '.join(f'“{n}”' for n in names)}."
        case Shortfall.TOLD_BY_OTHERS:
            return f"{NOT_FOUND} The passages that tell of it are about someone other than {' or '.join(names)}."
        case Shortfall.NO_NAME_GIVEN:
            return f"{NOT_FOUND} No passage that tells of it gives a name."
        case Shortfall.MODEL_FOUND_NONE:
            return f"{NOT_FOUND} The model found no answer in the passages it read."
        case Shortfall.WITHDRAWN:
            return f"Withdrawn: not supported by the documents ({answer.withheld})."
    return f"{NOT_FOUND} No passage read holds enough of the question."


def plain(answer: Answer) -> str:
    """The answer as one string: the model's text, or the verdict when there is none to give."""
    return (answer.text or "") if answer.status is Status.ANSWERED else not_found_reason(answer)


def marked_text(answer: Answer) -> list[Text]:
    """The answer with each claim's sources in place, and the legend of the marks it uses."""
    line = Text()
    for piece, tag in segments(answer):
        line.append(visible(piece) if tag is None else Text(tag.plain(), TAG_STYLE[tag.mark]))
    used = marks_used(answer)
    return [line, *([Text(" · ".join(LEGEND[m] for m in used), "dim")] if used else [])]


def citation_text(c: Citation, quote_chars: int = QUOTE_CHARS, current: bool = False) -> Text:
    """`[n] where (flags): "quote"`, the number reversed when it is the one being viewed."""
    line = Text.assemble(
        (f"[{c.n}]", "bold reverse" if current else "bold"), " ", (visible(c.where.describe()), "cyan")
    )
    if not c.verified:
        line.append(" (unverified)", "bold red")
    if not c.by_model:
        line.append(" (attributed by lecto)", "yellow")
    line.append(f': "{visible(short(c.quote, quote_chars))}"', "dim" if not c.verified else "")
    return line


def closest_lines(answer: Answer, quote_chars: int = QUOTE_CHARS) -> list[Text]:
    """For a withheld answer: the passages that came closest, so the user can judge for themselves."""
    if not answer.closest:
        return []
    lines = [Text("Closest passages:", "bold")]
    for c in answer.closest:
        lines.append(
            Text.assemble("  ", (visible(c.where.describe()), "cyan"), f': "{visible(short(c.quote, quote_chars))}"')
        )
    return lines
