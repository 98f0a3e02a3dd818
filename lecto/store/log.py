"""Past questions and their answers, newest last, grouped into conversations for `lecto ask -c`.

A conversation is named by the id of its first entry; a follow-up carries the same name.
Sources are stored as resolved paths, so a follow-up from another folder reads the same files.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from lecto.data import Mode, Status

_COLUMNS = "id, conversation, asked_at, sources, question, answer, status, mode, model"


@dataclass(frozen=True)
class Entry:
    id: int
    conversation: int
    asked_at: float  # seconds since the epoch
    sources: list[str]
    question: str
    answer: str | None
    status: Status
    mode: Mode
    model: str


def add(db: sqlite3.Connection, entry: Entry) -> int:
    """Store `entry` (its id is ignored; a conversation of 0 starts a new one); the id it got."""
    cur = db.execute(
        "INSERT INTO log (conversation, asked_at, sources, question, answer, status, mode, model)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.conversation,
            entry.asked_at,
            json.dumps(entry.sources),
            entry.question,
            entry.answer,
            entry.status.value,
            entry.mode.value,
            entry.model,
        ),
    )
    new = int(cur.lastrowid or 0)
    if not entry.conversation:
        db.execute("UPDATE log SET conversation = id WHERE id = ?", (new,))
    return new


def recent(db: sqlite3.Connection, limit: int) -> list[Entry]:
    """The `limit` newest entries, newest first."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM log ORDER BY id DESC LIMIT ?", (limit,))
    return [_entry(row) for row in rows]


def conversation(db: sqlite3.Connection, name: int) -> list[Entry]:
    """A conversation's entries, oldest first."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM log WHERE conversation = ? ORDER BY id", (name,))
    return [_entry(row) for row in rows]


def latest(db: sqlite3.Connection, sources: list[str] | None) -> Entry | None:
    """The newest entry, or the newest over exactly `sources` (in any order)."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM log ORDER BY id DESC")
    wanted = None if sources is None else sorted(sources)
    return next((e for e in map(_entry, rows) if wanted is None or sorted(e.sources) == wanted), None)


def clear(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM log")


def _entry(row: tuple) -> Entry:  # type: ignore[type-arg]
    id_, conv, at, sources, question, answer, status, mode, model = row
    return Entry(id_, conv, at, json.loads(sources), question, answer, Status(status), Mode(mode), model)
