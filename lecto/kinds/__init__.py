"""Document kinds: PDF, text, code and chat, one module each, looked up by `Kind`.

A kind module registers one class with `@register_kind(Kind.X)`: its location type and how the
store writes it, the units compression keeps or drops and a grounded answer may quote, how a
citation narrows to its quote, what the viewer shows around a passage, and how much its
passages weigh in ranking. The store, the planner, the answer steps and the TUI ask this
registry instead of switching on the kind, so a new kind is one module here, one member of
`Kind` and its ingester.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

from lecto.data import Chunk, Document, Kind, Location, Span


@dataclass(frozen=True)
class Unit:
    """A piece of a chunk's text kept or dropped whole: a sentence of prose, a line of code, a chat message.

    Offsets are into the chunk's text. A chat message starts with a header (`[2023-05-08 13:58]
    Caroline: `) whose digits are a time, not a number it states: `body` is where its words start.
    """

    start: int
    end: int
    head: int = 0  # characters of header before the body
    sent: str | None = None  # ISO time a chat message was sent
    speaker: str | None = None  # who wrote a chat message

    @property
    def body(self) -> int:
        return self.start + self.head

    @property
    def day(self) -> date | None:
        """The day a chat message was sent, as it was written (in its sender's time zone)."""
        return datetime.fromisoformat(self.sent).date() if self.sent else None


@dataclass(frozen=True)
class Excerpt:
    """What the source viewer shows for a passage: its context, with the passage's own lines marked."""

    title: str
    lines: list[str]
    first_line: int  # the number of lines[0] in its file; 0 when lines are not numbered
    marked: frozenset[int]  # indexes into `lines` of the passage itself
    lexer: str | None = None  # a Pygments lexer name for code, None for prose


@dataclass(frozen=True)
class RankWeights:
    """What a kind's passages count for in ranking (context/rank.py), each against one BM25 rank."""

    dense: float  # a dense rank; 0: not embedded at all
    answer: float  # a vote for holding the kind of answer asked for ("how long" and a duration)
    beside_code: float = 1.0  # the fused score's share in a corpus that holds code


class DocumentKind(Protocol):
    location: type[Location]
    weights: RankWeights
    prose: bool  # sentences: one may hold the kind of answer asked for, or be a figure's labels
    identifiers: bool  # words hide inside names (`_MAXHEADERS`): the index and questions split them
    ocr: bool  # may be read by OCR (--ocr), so such a parse is cached apart from the text layer's
    unit_length: float  # BM25's length normalisation (b) of the units a grounded answer ranks (answer/ground.py)

    def encode(self, location: Location) -> list[Any]:
        """The location as JSON values, for the store (lecto/store/locations.py)."""
        ...

    def decode(self, fields: list[Any]) -> Location: ...

    def indexed(self, texts: list[str]) -> list[str]:
        """What the full-text index reads for each chunk's text."""
        ...

    def units(self, chunk: Chunk) -> list[Unit]:
        """The pieces compression keeps or drops whole, covering every word of the chunk."""
        ...

    def answer_units(self, chunk: Chunk) -> list[Unit]:
        """The pieces a grounded answer may quote (answer/ground.py)."""
        ...

    def narrow(self, location: Location, passage: str, start: int, end: int) -> Location:
        """Where `passage[start:end]`, a quote from the passage at `location`, lives."""
        ...

    def excerpt(self, doc: Document, chunk: Chunk) -> Excerpt: ...

    def listed(self, doc: Document) -> list[Chunk]:
        """The passages the TUI's sources list shows for the document."""
        ...


class Fields:
    """A kind whose location is stored as its fields in declaration order and is no narrower for a quote."""

    location: type[Location]
    identifiers = False
    ocr = False
    unit_length = 0.75

    def encode(self, location: Location) -> list[Any]:
        return [getattr(location, f.name) for f in dataclasses.fields(location)]  # type: ignore[arg-type]

    def decode(self, fields: list[Any]) -> Location:
        return self.location(*fields)

    def indexed(self, texts: list[str]) -> list[str]:
        return texts

    def narrow(self, location: Location, passage: str, start: int, end: int) -> Location:
        return location

    def listed(self, doc: Document) -> list[Chunk]:
        return doc.chunks


_KINDS: dict[Kind, DocumentKind] = {}


def register_kind(kind: Kind) -> Callable[[type], type]:
    def wrap(cls: type) -> type:
        _KINDS[kind] = cls()
        return cls

    return wrap


def kind_of(kind: Kind) -> DocumentKind:
    return _KINDS[kind]


def narrow(span: Span, passage: str, start: int, end: int) -> Span:
    """The span of `passage[start:end]`, a quote copied from the passage text of `span`: its message, its lines."""
    return replace(span, location=kind_of(span.kind).narrow(span.location, passage, start, end))


from lecto.kinds import chat, code, pdf, text  # noqa: E402, F401  (registration on import)
