"""One write at a time, all or nothing."""

from __future__ import annotations

import sqlite3


class Transaction:
    """`BEGIN IMMEDIATE … COMMIT`, rolled back on any exception, KeyboardInterrupt included.

    `immediate=False` is a read snapshot: several reads see one state of the cache.
    """

    def __init__(self, db: sqlite3.Connection, immediate: bool = True):
        self.db = db
        self.begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute(self.begin)
        return self.db

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
