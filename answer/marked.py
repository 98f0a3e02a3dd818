"""The answer as the model wrote it, with each claim's sources written in place after it.

The 135M model almost never writes `[n]` itself, so most citations are lecto's. Shown in the
answer, they are told apart from the model's own: `[2]` is a marker the model wrote and lecto
verified, `[2†]` a passage lecto attributed, `[3✗]` a marker the model wrote whose passage does
not back the claim, `[?]` a claim no planned passage supports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from lecto.answer.citations import marked_after_end, strip_markers
from lecto.data import Answer, Stretch, Support


class Mark(StrEnum):
    VERIFIED = ""
    ATTRIBUTED = "†"
    PARTIAL = "~"
    REJECTED = "✗"
    UNSUPPORTED = "?"
    OFF_QUESTION = "off-question"


LEGEND = {
    Mark.ATTRIBUTED: "† attributed by lecto (the model cited no source here)",
    Mark.REJECTED: "✗ the model's marker, not backed by that source",
    Mark.PARTIAL: "~ partly supported: some of its words are not in that source",
    Mark.UNSUPPORTED: "? no source supports this",
    Mark.OFF_QUESTION: "off-question: it does not answer the question",
}
_TAIL = re.compile(r"[\s.,;:!?]*\Z")


@dataclass(frozen=True)
class Tag:
    n: int | None  # the citation number; None for an unsupported or off-question claim
    mark: Mark

    def plain(self) -> str:
        return f"[{self.mark}]" if self.n is None else f"[{self.n}{self.mark}]"


Segment = tuple[str, Tag | None]  # a piece of answer text, or a tag


def segments(answer: Answer) -> list[Segment]:
    """The answer in order: its text and, before each claim's closing punctuation, that claim's tags."""
    if not answer.stretches:
        return [(answer.text or "", None)]
    out: list[Segment] = []
    for stretch in answer.stretches:
        out += _stretch(answer, stretch)
    return out


def _stretch(answer: Answer, stretch: Stretch) -> list[Segment]:
    if stretch.sentence is None:
        return [(stretch.text, None)]
    text = strip_markers(stretch.text)
    # Tags stand where the markers were written: before the closing punctuation ("40 euros [1].") or after
    # it, as a grounded answer's quote keeps the source's words to their end ("…February. [1]").
    cut = len(text.rstrip()) if marked_after_end(stretch.text) else _TAIL.search(text).start()  # type: ignore[union-attr]
    tags = [("", tag) for tag in tags_of(answer, stretch)]
    if not tags:
        return [(text, None)]
    return [(text[:cut], None), (" ", None), *tags, (text[cut:], None)]


def tags_of(answer: Answer, stretch: Stretch) -> list[Tag]:
    assert stretch.sentence is not None  # only claims carry tags
    sentence = answer.sentences[stretch.sentence]
    if sentence.asks and not sentence.support.backed:
        return []  # a question claims nothing: shown, never flagged
    if sentence.support is Support.OFF_QUESTION:
        return [Tag(None, Mark.OFF_QUESTION)]
    mark = _MARKS.get(sentence.support)
    tags = [Tag(n, mark) for n in sentence.citations] if mark is not None else []
    tags += [Tag(n, Mark.REJECTED) for n in stretch.rejected]
    return tags or [Tag(None, Mark.UNSUPPORTED)]


_MARKS = {Support.CITED: Mark.VERIFIED, Support.ATTRIBUTED: Mark.ATTRIBUTED, Support.PARTIAL: Mark.PARTIAL}


def marked(answer: Answer, tag: Callable[[Tag], str] = Tag.plain, text: Callable[[str], str] = str) -> str:
    """The answer with its tags written in, each piece of text through `text` and each tag through `tag`."""
    return "".join(text(piece) if t is None else tag(t) for piece, t in segments(answer))


def marks_used(answer: Answer) -> list[Mark]:
    """The marks this answer shows that need explaining, in legend order."""
    used = {t.mark for _, t in segments(answer) if t is not None}
    return [m for m in LEGEND if m in used]
