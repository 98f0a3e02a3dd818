"""The pieces compress mode keeps or drops, by kind of document: sentences of prose, whole
messages of a chat, lines of code.

A chat message is kept whole or not at all: its answer is often the sentence without the
question's words ("I've had them for 3 years now"), and half a message no longer matches the
message it cites. Code is cut at line ends only: a line is a statement, and the dots in
`self.fp.readline()` or a comment's "e.g. x" end no sentence.
"""

from __future__ import annotations

import re

from lecto.data import ChatLocation, Chunk, Kind
from lecto.ingest.chat.window import read_entry, split_messages

_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")

Span = tuple[int, int]


def unit_spans(chunk: Chunk) -> list[Span]:
    """The (start, end) character ranges of `chunk.text` that are kept or dropped whole."""
    if chunk.span.kind is Kind.CHAT and isinstance(chunk.span.location, ChatLocation):
        return _message_spans(chunk.text, chunk.span.location)
    if chunk.span.kind is Kind.CODE:
        return _line_spans(chunk.text)
    return sentence_spans(chunk.text)


def sentence_spans(text: str) -> list[Span]:
    """Each sentence (or line) of `text` as a (start, end) character range, blanks left out."""
    bounds = [0]
    for m in _SENTENCE_GAP.finditer(text):
        bounds += [m.start(), m.end()]
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if text[a:b].strip()]


def _message_spans(text: str, location: ChatLocation) -> list[Span]:
    out = []
    start = 0
    for _, message in split_messages(text, location):
        out.append((start, start + len(message)))
        start += len(message) + 1
    return out


def _line_spans(text: str) -> list[Span]:
    out = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def message_date(unit: str) -> str | None:
    """The ISO date a chat message was sent, from its header; None for any other text."""
    entry = read_entry(unit)
    return entry.sent.date().isoformat() if entry else None


def message_body(unit: str) -> str:
    """A chat message without its header (whose digits are a timestamp, not a number it states)."""
    entry = read_entry(unit)
    return entry.body if entry else unit
