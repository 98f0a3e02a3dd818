"""Content hashes of files by (path, size, mtime, inode): see ingest/digests.py for why."""

from __future__ import annotations

import sqlite3
from dataclasses import astuple, dataclass


@dataclass(frozen=True)
class Seen:
    """A file as last visited, and its content's hash."""

    path: str
    size: int
    mtime_ns: int
    inode: int
    digest: str


def get(db: sqlite3.Connection, path: str, size: int, mtime_ns: int, inode: int) -> str | None:
    row = db.execute(
        "SELECT digest FROM file_digests WHERE path = ? AND size = ? AND mtime_ns = ? AND inode = ?",
        (path, size, mtime_ns, inode),
    ).fetchone()
    return None if row is None else str(row[0])


def put(db: sqlite3.Connection, seen: list[Seen]) -> None:
    db.executemany("INSERT OR REPLACE INTO file_digests VALUES (?, ?, ?, ?, ?)", [astuple(s) for s in seen])
