"""The records that flow one way through lecto: ingest → store → plan → backend → answer.

Locations are typed per kind (lecto/kinds/) so a citation can always say exactly where its text
lives (a PDF page, lines of a file, messages of a chat), never a free-form string.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    PDF = "pdf"
    CODE = "code"
    CHAT = "chat"
    TEXT = "text"


class Mode(StrEnum):
    """How much of the corpus the model reads. AUTO is a request, never a plan's mode."""

    AUTO = "auto"
    FULL = "full"
    COMPRESS = "compress"
    RETRIEVE = "retrieve"
    MAPREDUCE = "mapreduce"  # notes from groups of passages, then one answer from the notes


class Style(StrEnum):
    """How the model answers: choosing the source sentence that answers, or writing freely."""

    GROUNDED = "grounded"  # the model chooses among candidate sentences; lecto quotes the one chosen
    FREE = "free"  # the model writes the answer and its own [n] markers; lecto checks them


class Status(StrEnum):
    ANSWERED = "answered"
    NOT_FOUND = "not_found"
    PLANNED = "planned"  # a dry run: the context was planned and nothing generated


class Shortfall(StrEnum):
    """Why a question got no answer: each is said to the user in its own words (answer/present.py)."""

    NEVER_MENTIONED = "never_mentioned"  # the question names what the documents never use
    TOO_LITTLE = "too_little"  # no passage read holds enough of the question
    TOLD_BY_OTHERS = "told_by_others"  # what tells of it is about someone other than the person asked about
    NO_NAME_GIVEN = "no_name_given"  # a name is asked for and no passage telling of it gives one
    MODEL_FOUND_NONE = "model_found_none"  # the model, writing freely, said the passages lack it
    WITHDRAWN = "withdrawn"  # lecto withdrew the answer written: the documents back too little of it


class Location(ABC):
    """Where a chunk lives in its document. Each kind has its own, with typed fields (lecto/kinds/)."""

    @abstractmethod
    def to_json(self) -> dict[str, Any]: ...

    @abstractmethod
    def describe(self) -> str: ...

    def cited_in(self, source: str) -> str:
        """This place in `source`, as a citation names it."""
        return f"{source}, {self.describe()}"

    def people(self) -> tuple[str, ...]:
        """Who wrote the text here (a chat's speakers); nobody is named for a page or a file's lines."""
        return ()

    def times(self) -> tuple[str, str] | None:
        """When the text here was written, as its first and last ISO times; None when undated."""
        return None


@dataclass(frozen=True)
class Span:
    """Where a piece of text lives: the source as the user named it, its kind, its place."""

    source: str
    kind: Kind
    location: Location

    def describe(self) -> str:
        return self.location.cited_in(self.source)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind.value,
            "location": self.location.to_json(),
        }


@dataclass(frozen=True)
class Chunk:
    """The unit of retrieval and citation. `tokens` is 0 until a tokenizer has counted it."""

    id: str
    doc_id: str
    ord: int
    text: str
    span: Span
    tokens: int = 0
    header_tokens: int = 0  # what the prompt adds around it (number, source, location), counted with `tokens`


@dataclass
class Document:
    """One parsed input. `id` is the content hash plus the ingester's name and version."""

    id: str
    source: str
    kind: Kind
    title: str
    chunks: list[Chunk]
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Corpus:
    """Everything one question is asked over, in the order the user gave the sources."""

    documents: list[Document]
    warnings: list[str] = field(default_factory=list)

    @property
    def chunks(self) -> list[Chunk]:
        return [c for d in self.documents for c in d.chunks]


@dataclass(frozen=True)
class Selected:
    """A chunk as the model will see it: `text` may be a pruned copy of `chunk.text`."""

    chunk: Chunk
    text: str
    tokens: int


@dataclass
class Plan:
    mode: Mode
    reason: str
    budget: int
    corpus_tokens: int
    selected: list[Selected]
    # MAPREDUCE only: how many consecutive passages of `selected` each map call reads.
    groups: list[int] = field(default_factory=list)
    # Read before the numbered sources and never cited (the repository map, for code); its
    # tokens count in `budget` like the passages'.
    preamble: str = ""
    preamble_tokens: int = 0
    # Names the question gives that no passage of the documents uses (lecto/names.py): nothing there answers it.
    absent: list[str] = field(default_factory=list)

    @property
    def sent_tokens(self) -> int:
        return self.preamble_tokens + sum(s.tokens for s in self.selected)


@dataclass(frozen=True)
class Citation:
    n: int
    span: Span
    text: str
    quote: str
    verified: bool
    by_model: bool = True
    # Where the quote itself lives when that is narrower than the passage: its message, its lines.
    quote_span: Span | None = None

    @property
    def where(self) -> Span:
        return self.quote_span or self.span

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            **self.where.to_json(),
            "passage_location": self.span.location.to_json(),
            "text": self.text,
            "quote": self.quote,
            "verified": self.verified,
            "by_model": self.by_model,
        }


class Support(StrEnum):
    """How a sentence of an answer is backed by the documents."""

    CITED = "cited"  # a marker the model wrote, checked against the passage
    ATTRIBUTED = "attributed"  # no marker held up; lecto found the passage that supports it
    PARTIAL = "partial"  # a passage holds most of it, with its numbers and names; some words are not there
    UNSUPPORTED = "unsupported"  # no planned passage supports it
    OFF_QUESTION = "off_question"  # it does not answer the question (copied instructions, links, unrelated facts)

    @property
    def backed(self) -> bool:
        return self in (Support.CITED, Support.ATTRIBUTED, Support.PARTIAL)


@dataclass(frozen=True)
class Sentence:
    """One claim of an answer and the citation numbers that back it."""

    text: str
    citations: tuple[int, ...]
    support: Support

    @property
    def asks(self) -> bool:
        """A question claims nothing ("Gina: When are you opening the studio?" before the reply quoted): it
        counts neither way, and is not flagged as no answer."""
        return self.text.rstrip().endswith("?")

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "citations": list(self.citations), "support": self.support.value}


@dataclass(frozen=True)
class Stretch:
    """A piece of the answer as the model wrote it, and the sentence it became (None: it claims nothing)."""

    text: str
    sentence: int | None = None  # index into `Answer.sentences`
    rejected: tuple[int, ...] = ()  # the model's markers whose passage does not back it


@dataclass
class Answer:
    question: str
    text: str | None
    status: Status
    citations: list[Citation]
    plan: Plan
    model: dict[str, Any]
    tokens: dict[str, int]
    timings: dict[str, float]
    sentences: list[Sentence] = field(default_factory=list)
    stretches: list[Stretch] = field(default_factory=list)
    # When the answer is withheld: the passages that came closest, so the user can judge for themselves.
    closest: list[Citation] = field(default_factory=list)
    withheld: str = ""  # why lecto withdrew the answer the model gave ("2 of 5 claims backed")
    shortfall: Shortfall | None = None  # why there is no answer, when there is none
    # The names behind the shortfall: those the documents never mention, or the people a question asks about.
    shortfall_names: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how it was cut short ("stopped at the 20 s limit")
