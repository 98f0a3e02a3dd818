"""Messages that carry results up from the workers and widgets to the screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from lecto.data import Answer, Chunk, Corpus, Document, Plan


@dataclass
class CorpusLoaded(Message):
    corpus: Corpus
    warnings: list[str]
    ingest_s: float


@dataclass
class ModelReady(Message):
    name: str


@dataclass
class AnswerPlanned(Message):
    plan: Plan


@dataclass
class AnswerText(Message):
    """A piece of the answer as the model writes it."""

    delta: str


@dataclass
class AnswerDone(Message):
    answer: Answer


@dataclass
class AnswerStopped(Message):
    """The user stopped the answer before the model finished."""


@dataclass
class PassagePicked(Message):
    """A passage chosen in the sources list."""

    document: Document
    chunk: Chunk


@dataclass
class TypedAhead(Message):
    """A character typed outside the question box, meant for it."""

    character: str
