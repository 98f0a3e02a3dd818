"""Every table the cache holds, and how a cache written by an older lecto reaches today's layout.

`PRAGMA user_version` names the layout. Each step below turns version N-1 into N inside the
one transaction that also sets the version, so a cache is in one layout or the next, never
between. Layouts before `REBUILD_BELOW` stored chunks in a shape not worth converting: such
a cache is emptied and rebuilt (re-parsing beats misreading). A cache from a newer lecto, or
one whose step fails, cannot migrate: the store sets it aside and starts a new one.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from lecto.store.search import TOKENIZE
from lecto.store.transaction import Transaction

# 2: embeddings; 3: locations per document, token counts per document; 4: FTS5 over split code
# names; 5: file hashes, measured speeds and the question log join the store's own tables; 6: a
# chat location carries each message's place in its chunk's text (lecto/kinds/chat.py).
SCHEMA_VERSION = 6
REBUILD_BELOW = 4
# Every table a layout before REBUILD_BELOW created; dropped before layout 4 is built.
_OLD_TABLES = ("chunks_fts", "token_counts", "doc_tokens", "embeddings", "chunks", "documents", "file_digests")

# `documents.locations`: see locations.py; `doc_tokens.counts`: see tokens.py.
_LAYOUT_4 = f"""
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    warnings TEXT NOT NULL,
    meta TEXT NOT NULL,
    n_chunks INTEGER NOT NULL,
    locations TEXT NOT NULL
);
CREATE TABLE chunks (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks(doc_id, ord);
CREATE VIRTUAL TABLE chunks_fts USING fts5(text, content='', tokenize='{TOKENIZE}');
CREATE TABLE doc_tokens (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    tokenizer TEXT NOT NULL,
    counts BLOB NOT NULL,
    PRIMARY KEY (doc_id, tokenizer)
) WITHOUT ROWID;
CREATE TABLE embeddings (
    chunk_id TEXT NOT NULL,
    model TEXT NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (chunk_id, model)
) WITHOUT ROWID;
"""


def _chat_messages(db: sqlite3.Connection) -> None:
    """Layout 6: each chat location gains its messages, read once from the text layout 5 wrote them as.

    Layout 5 stored a chat location as [message ids, start time, end time, speakers]; its chunk's
    text held one message a line (`[2023-05-08 13:58] Caroline: text`), continuation lines indented.
    """
    for doc_id, encoded in db.execute("SELECT id, locations FROM documents WHERE kind = 'chat'").fetchall():
        texts = [t for (t,) in db.execute("SELECT text FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,))]
        located = [[*loc, _messages(text, *loc)] for loc, text in zip(json.loads(encoded), texts, strict=True)]
        db.execute("UPDATE documents SET locations = ? WHERE id = ?", (json.dumps(located), doc_id))


# How layout 5 started a message in a chunk's text: `[2023-05-08 13:58] #general Caroline: `.
_HEAD = re.compile(r"\[(\d{4}-\d\d-\d\d \d\d:\d\d)\] (?:#\S+ )?")


def _messages(text: str, ids: list[str], start: str | None, end: str | None, speakers: list[str]) -> list[list[Any]]:
    """[start, end, header length, sent, speaker] of each message, as lecto/kinds/chat.py stores them."""
    entries: list[str] = []
    for line in text.split("\n"):
        if line.startswith("  ") and entries:
            entries[-1] += "\n" + line
        else:
            entries.append(line)
    out: list[list[Any]] = []
    offset = 0
    for mid, message in zip(ids, entries, strict=True):
        head, sent, name = _header(message)
        # The first and last message's times are the window's, to the second; the header's, to the minute.
        sent = start if mid == ids[0] else end if mid == ids[-1] else sent
        speaker = next((s for s in speakers if " ".join(s.split()) == name), name)
        out.append([offset, offset + len(message), head, sent, speaker])
        offset += len(message) + 1
    return out


def _header(message: str) -> tuple[int, str | None, str | None]:
    m = _HEAD.match(message)
    speaker, colon, _ = message[m.end() :].partition(": ") if m else ("", "", "")
    if m is None or not colon:
        return 0, None, None
    return m.end() + len(speaker) + 2, datetime.fromisoformat(m.group(1)).isoformat(), speaker


# Layout 4 caches may already hold file_digests: ingest created it on the side before layout 5.
_STEPS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    5: """
CREATE TABLE IF NOT EXISTS file_digests (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    digest TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE speed (
    key TEXT PRIMARY KEY,
    prefill_tps REAL NOT NULL,
    decode_tps REAL NOT NULL,
    measured_at REAL NOT NULL,
    how TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE log (
    id INTEGER PRIMARY KEY,
    conversation INTEGER NOT NULL,
    asked_at REAL NOT NULL,
    sources TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT,
    status TEXT NOT NULL,
    mode TEXT NOT NULL,
    model TEXT NOT NULL
);
CREATE INDEX log_conversation ON log(conversation, id);
""",
    6: _chat_messages,
}


class CannotMigrate(Exception):
    """This cache's layout cannot become today's: set it aside rather than guess."""


def migrate(db: sqlite3.Connection) -> None:
    """Bring the cache to `SCHEMA_VERSION`, one step at a time, in one transaction."""
    if _version(db) == SCHEMA_VERSION:
        return
    with Transaction(db):
        version = _version(db)  # another process may have migrated it while this one waited for the lock
        if version > SCHEMA_VERSION:
            raise CannotMigrate(f"its layout ({version}) is newer than this lecto's ({SCHEMA_VERSION})")
        if version < REBUILD_BELOW:
            _rebuild(db)
            version = REBUILD_BELOW
        for step in range(version + 1, SCHEMA_VERSION + 1):
            _run(db, _STEPS[step], step)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _rebuild(db: sqlite3.Connection) -> None:
    for table in _OLD_TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table}")
    _run(db, _LAYOUT_4, REBUILD_BELOW)


def _run(db: sqlite3.Connection, script: str | Callable[[sqlite3.Connection], None], step: int) -> None:
    try:
        if callable(script):
            script(db)
            return
        for statement in script.split(";"):
            if statement.strip():
                db.execute(statement)
    except (sqlite3.OperationalError, ValueError, TypeError) as e:
        raise CannotMigrate(f"step {step} failed ({e})") from e
