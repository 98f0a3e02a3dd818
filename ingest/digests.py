"""Content hashes remembered by (path, size, mtime, inode), so re-reading a big tree hashes only what changed.

The parsed-document cache is keyed by content; this table saves reading every file to learn
that its content is the one already cached. A file whose size, mtime and inode all match
its last visit is taken to be unchanged, as git's index does.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from lecto.errors import SourceError
from lecto.store import Store

_HASH_BLOCK = 1 << 20
_SCHEMA = """CREATE TABLE IF NOT EXISTS file_digests (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL,
    digest TEXT NOT NULL
) WITHOUT ROWID"""


class FileDigests:
    """Lookups go to the store; new hashes wait in memory until `save`, one transaction for a whole tree."""

    def __init__(self, store: Store):
        self.store = store
        self.pending: list[tuple[str, int, int, int, str]] = []
        store.db.execute(_SCHEMA)

    def digest(self, path: Path, source: str) -> str:
        try:
            st = path.stat()
        except OSError as e:
            raise SourceError(f"cannot read ({e.strerror or e})", source=source) from e
        # Not resolved: following every link of every path cost more than the lookup itself, and
        # the size, mtime and inode checks already tell a different file behind the same name.
        key = os.path.abspath(path)
        row = self.store.db.execute(
            "SELECT digest FROM file_digests WHERE path = ? AND size = ? AND mtime_ns = ? AND inode = ?",
            (key, st.st_size, st.st_mtime_ns, st.st_ino),
        ).fetchone()
        if row is not None:
            return str(row[0])
        digest = file_digest(path, source)
        self.pending.append((key, st.st_size, st.st_mtime_ns, st.st_ino, digest))
        return digest

    def save(self) -> None:
        if not self.pending:
            return
        with self.store.transaction():
            self.store.db.executemany("INSERT OR REPLACE INTO file_digests VALUES (?, ?, ?, ?, ?)", self.pending)
        self.pending = []


def file_digest(path: Path, source: str) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while block := f.read(_HASH_BLOCK):
                h.update(block)
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})", source=source) from e
    return h.hexdigest()
