"""Chat messages as every export format reads them, and the one way they become a document.

Each format only turns its file into `Message`s and a count of what it could not read; the
windowing, the warnings and the document's summary are the same for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from lecto.errors import SourceError
from lecto.ingest.chat.window import windows
from lecto.ingest.registry import Parsed

# What a message record that lacks a field, has one of the wrong type or value, or nests past
# Python's stack (Slack blocks are read recursively), raises while read.
BAD_MESSAGE = (KeyError, TypeError, ValueError, AttributeError, RecursionError)


@dataclass(frozen=True)
class Message:
    """One message: the export's own id, the wall-clock time the export shows, who sent it."""

    id: str
    time: datetime
    speaker: str
    text: str
    channel: str | None = None  # set only when an export holds several channels


@dataclass
class Messages:
    """What a parser read: the messages in order and how many `unit`s it could not read."""

    items: list[Message] = field(default_factory=list)
    malformed: int = 0
    unit: str = "line"


def to_parsed(read: Messages, source: str, title: str, fmt: str) -> Parsed:
    """The document for a chat export; a warning for what could not be read, an error if nothing could."""
    if not read.items:
        what = f", {read.malformed} {_plural(read.unit, read.malformed)} could not be parsed" if read.malformed else ""
        raise SourceError(f"no chat messages found{what}", source=source)
    warnings = []
    if read.malformed:
        warnings.append(f"{source}: {read.malformed} {_plural(read.unit, read.malformed)} could not be parsed")
    meta = {
        "format": fmt,
        "messages": len(read.items),
        "speakers": sorted({m.speaker for m in read.items}),
        "malformed": read.malformed,
    }
    return Parsed(title=title, pieces=windows(read.items), warnings=warnings, meta=meta)


def reply_note(parent: Message | None) -> str:
    """`(reply to Gina, 2023-01-20 16:04) `: threads and replies kept readable in a flat window."""
    return f"(reply to {parent.speaker}, {parent.time:%Y-%m-%d %H:%M}) " if parent else ""


def from_iso(value: object) -> datetime:
    """An export's timestamp as naive wall-clock time; a `ValueError` or `TypeError` if it is none."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch(value)
    if not isinstance(value, str):
        raise TypeError(f"not a timestamp: {value!r}")
    return datetime.fromisoformat(value.strip()).replace(tzinfo=None)


def from_epoch(value: str | float) -> datetime:
    try:
        return datetime.fromtimestamp(float(value), UTC).replace(tzinfo=None)
    except (OverflowError, OSError) as e:  # a time past the platform's range is a bad message, not a crash
        raise ValueError(f"timestamp out of range: {value!r}") from e


def _plural(unit: str, n: int) -> str:
    return unit if n == 1 else f"{unit}s"
