"""Messages that carry results up from the workers and widgets to the screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from lecto.data import Answer, Chunk, Corpus, Document, Plan

if TYPE_CHECKING:
    from lecto.tui.widgets.turn import TurnView


@dataclass
class CorpusLoaded(Message):
    corpus: Corpus
    warnings: list[str]


@dataclass
class ModelReady(Message):
    name: str


# Answer messages name their turn: a stopped answer may still report after the next question began.


@dataclass
class AnswerPlanned(Message):
    turn: TurnView
    plan: Plan


@dataclass
class AnswerText(Message):
    """A piece of the answer as the model writes it."""

    turn: TurnView
    delta: str


@dataclass
class AnswerDone(Message):
    turn: TurnView
    answer: Answer


@dataclass
class AnswerStopped(Message):
    """The user stopped the answer before the model finished."""

    turn: TurnView


@dataclass
class PassagePicked(Message):
    """A passage chosen in the sources list."""

    document: Document
    chunk: Chunk


@dataclass
class TypedAhead(Message):
    """A character typed outside the question box, meant for it."""

    character: str
