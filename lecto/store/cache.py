"""The parsed-corpus cache: one SQLite file, WAL mode, an FTS5 index over chunks, and every table lecto keeps.

A document is keyed by its content hash plus the ingester's name and version, so an
unchanged file is never parsed twice, a changed one always is, and an ingester upgrade
invalidates its old entries. Each document is written in one transaction: a crash or
Ctrl-C mid-ingest leaves either the whole document or nothing. Each job has its module in
this package (documents, search, tokens, vectors, digests, speed, log); the tables and their
migrations are in migrations.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lecto.data import Document, Kind
from lecto.errors import StoreError
from lecto.store import digests, documents, log, speed, tokens, vectors
from lecto.store.files import (
    DB_NAME,
    PREFIX_DIR,
    STDIN_DIR,
    connect,
    damaged,
    recovery_lock,
    remove_tree,
    set_aside,
    set_aside_copies,
)
from lecto.store.log import Entry
from lecto.store.migrations import CannotMigrate
from lecto.store.parts import Part, sizes
from lecto.store.search import Search
from lecto.store.speed import Speed
from lecto.store.transaction import Transaction

# Written beside the database before the speed table existed; its numbers may come from a loaded
# machine (the very reason speeds are now re-measured), so it is dropped rather than imported.
_LEGACY_SPEED_FILE = "speed.json"


@dataclass(frozen=True)
class CacheInfo:
    """What `lecto cache info` shows."""

    path: Path
    bytes: int  # every file under the cache folder: the sum of `parts`
    parts: dict[Part, int]
    documents: dict[Kind, int]
    chunks: int
    speeds: dict[str, Speed]
    questions: int
    set_aside: list[Path]


class Store:
    def __init__(self, directory: Path):
        self.directory = directory
        self.path = directory / DB_NAME
        # What the user should hear about this cache (a damaged file set aside); the CLI prints it.
        self.notices: list[str] = []
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.db = self._open()
            (directory / _LEGACY_SPEED_FILE).unlink(missing_ok=True)
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"cannot open the cache: {e}", source=str(self.path)) from e
        self.search = Search(self.db)

    def _open(self) -> sqlite3.Connection:
        try:
            return connect(self.path)
        except (sqlite3.DatabaseError, CannotMigrate) as e:
            if not _replaceable(e):
                raise
        with recovery_lock(self.directory):
            try:  # another process may have replaced it while this one waited for the lock
                return connect(self.path)
            except (sqlite3.DatabaseError, CannotMigrate) as e:
                if not _replaceable(e):
                    raise
                why = "was damaged" if isinstance(e, sqlite3.DatabaseError) else f"cannot be migrated: {e}"
            aside = set_aside(self.path)
            self.notices.append(f"the cache {why}; moved it to {aside} and started a new one")
            return connect(self.path)

    def transaction(self) -> Transaction:
        return Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    def get_document(self, doc_id: str, source: str) -> Document | None:
        """The cached document, with its spans naming `source` as the user gave it this time."""
        doc = documents.get(self.db, doc_id, source)
        if doc is None and documents.exists(self.db, doc_id):  # never through this class; re-parsed
            with self.transaction():
                documents.remove(self.db, doc_id)
        return doc

    def put_document(self, doc: Document, supersedes: str | None = None) -> None:
        """Write the whole document in one transaction; a concurrent writer of the same one wins.

        `supersedes` is a SQL LIKE pattern for older entries of the same content (an earlier
        ingester version); they are removed in the same transaction.
        """
        with self.transaction():
            if documents.exists(self.db, doc.id):
                return
            for old in documents.superseded(self.db, supersedes) if supersedes is not None else []:
                documents.remove(self.db, old)
            documents.put(self.db, doc)

    def token_counts(self, doc_ids: Iterable[str], tokenizer: str) -> dict[str, list[int]]:
        """Each document's chunk token counts, in chunk order, for the documents counted before."""
        return tokens.get(self.db, doc_ids, tokenizer)

    def put_token_counts(self, counts: dict[str, list[int]], tokenizer: str) -> None:
        """Save each document's chunk token counts; a document no longer cached is skipped."""
        with self.transaction():
            tokens.put(self.db, counts, tokenizer)

    def vectors(self, chunk_ids: Sequence[str], model: str) -> dict[str, bytes]:
        """Cached embeddings (raw float32 bytes) of the chunks that `model` has embedded."""
        return vectors.get(self.db, chunk_ids, model)

    def put_vectors(self, found: dict[str, bytes], model: str) -> None:
        with self.transaction():
            vectors.put(self.db, found, model)

    def digest(self, path: str, size: int, mtime_ns: int, inode: int) -> str | None:
        """The content hash of the file last seen at `path` with this size, mtime and inode."""
        return digests.get(self.db, path, size, mtime_ns, inode)

    def put_digests(self, seen: list[digests.Seen]) -> None:
        with self.transaction():
            digests.put(self.db, seen)

    def known_speed(self, key: str) -> Speed | None:
        return speed.get(self.db, key)

    def put_speed(self, key: str, measured: Speed) -> None:
        with self.transaction():
            speed.put(self.db, key, measured)

    def add_to_log(self, entry: Entry) -> int:
        """Add `entry` to the question log; its id (a new conversation's name when it starts one)."""
        with self.transaction():
            return log.add(self.db, entry)

    def recent(self, limit: int) -> list[Entry]:
        return log.recent(self.db, limit)

    def conversation(self, name: int) -> list[Entry]:
        return log.conversation(self.db, name)

    def latest(self, sources: list[str] | None = None) -> Entry | None:
        return log.latest(self.db, sources)

    def info(self) -> CacheInfo:
        kinds, chunks = documents.counts(self.db)
        parts = sizes(self.db, self.directory)
        (questions,) = self.db.execute("SELECT count(*) FROM log").fetchone()
        return CacheInfo(
            self.path,
            sum(parts.values()),
            parts,
            kinds,
            chunks,
            speed.all_speeds(self.db),
            questions,
            set_aside_copies(self.directory),
        )

    def clear(self, part: Part) -> None:
        """Empty one part of the cache and give its space back to the disk."""
        if part is Part.PREFIX:
            remove_tree(self.directory / PREFIX_DIR)
            return
        with self.transaction():
            _CLEARS[part](self.db)
        if part is Part.DOCUMENTS:
            remove_tree(self.directory / STDIN_DIR)
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


_CLEARS = {
    Part.DOCUMENTS: documents.clear,
    Part.VECTORS: vectors.clear,
    Part.SPEED: speed.clear,
    Part.LOG: log.clear,
}


def _replaceable(error: Exception) -> bool:
    return isinstance(error, CannotMigrate) or (isinstance(error, sqlite3.DatabaseError) and damaged(error))
