"""The parsed-corpus cache: one SQLite file, WAL mode, an FTS5 index over chunks.

A document is keyed by its content hash plus the ingester's name and version, so an
unchanged file is never parsed twice, a changed one always is, and an ingester upgrade
invalidates its old entries. Each document is written in one transaction: a crash or
Ctrl-C mid-ingest leaves either the whole document or nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from lecto.data import Chunk, Document, Kind, Span, location_from_json
from lecto.errors import StoreError

SCHEMA_VERSION = 1
DB_NAME = "lecto.db"
# Long enough for another process to finish writing a big document, short enough to notice a stuck one.
BUSY_TIMEOUT_MS = 60_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    warnings TEXT NOT NULL,
    meta TEXT NOT NULL,
    n_chunks INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    location TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ord);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TABLE IF NOT EXISTS token_counts (
    chunk_id TEXT NOT NULL,
    tokenizer TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (chunk_id, tokenizer)
) WITHOUT ROWID;
"""

_WORD = re.compile(r"\w+", re.UNICODE)


class Store:
    def __init__(self, directory: Path):
        self.directory = directory
        self.path = directory / DB_NAME
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"cannot open the cache: {e}", source=str(self.path)) from e

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        with self.transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    def get_document(self, doc_id: str, source: str) -> Document | None:
        """The cached document, with its spans naming `source` as the user gave it this time."""
        row = self.db.execute("SELECT kind, title, warnings, meta FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        kind = Kind(row[0])
        chunks = [
            Chunk(
                id=cid,
                doc_id=doc_id,
                ord=ord_,
                text=text,
                span=Span(source, kind, location_from_json(kind, json.loads(loc))),
            )
            for cid, ord_, text, loc in self.db.execute(
                "SELECT id, ord, text, location FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,)
            )
        ]
        return Document(
            id=doc_id,
            source=source,
            kind=kind,
            title=row[1],
            chunks=chunks,
            warnings=json.loads(row[2]),
            meta=json.loads(row[3]),
        )

    def put_document(self, doc: Document) -> None:
        """Write the whole document in one transaction; a concurrent writer of the same one wins."""
        with self.transaction():
            if self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone():
                return
            self.db.execute(
                "INSERT INTO documents (id, kind, title, warnings, meta, n_chunks) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    doc.id,
                    doc.kind.value,
                    doc.title,
                    json.dumps(doc.warnings),
                    json.dumps(doc.meta),
                    len(doc.chunks),
                ),
            )
            for c in doc.chunks:
                cur = self.db.execute(
                    "INSERT INTO chunks (id, doc_id, ord, text, location) VALUES (?, ?, ?, ?, ?)",
                    (c.id, doc.id, c.ord, c.text, json.dumps(c.span.location.to_json())),
                )
                self.db.execute("INSERT INTO chunks_fts (rowid, text) VALUES (?, ?)", (cur.lastrowid, c.text))

    def token_counts(self, chunk_ids: Sequence[str], tokenizer: str) -> dict[str, int]:
        out: dict[str, int] = {}
        # SQLite caps bound parameters; 500 stays far below every build's limit.
        for i in range(0, len(chunk_ids), 500):
            part = chunk_ids[i : i + 500]
            marks = ",".join("?" * len(part))
            out.update(
                self.db.execute(
                    f"SELECT chunk_id, n FROM token_counts WHERE tokenizer = ? AND chunk_id IN ({marks})",
                    (tokenizer, *part),
                ).fetchall()
            )
        return out

    def put_token_counts(self, counts: dict[str, int], tokenizer: str) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO token_counts (chunk_id, tokenizer, n) VALUES (?, ?, ?)",
                [(cid, tokenizer, n) for cid, n in counts.items()],
            )

    def search(self, terms: Sequence[str], doc_ids: Iterable[str], limit: int) -> list[tuple[str, float]]:
        """BM25 over the chunks of `doc_ids` for any of `terms`: (chunk id, score), best first."""
        terms = [t for t in (_WORD.findall(" ".join(terms).lower())) if t]
        ids = list(doc_ids)
        if not terms or not ids:
            return []
        match = " OR ".join(f'"{t}"' for t in dict.fromkeys(terms))
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"""SELECT c.id, -bm25(chunks_fts) AS score FROM chunks_fts
                JOIN chunks c ON c.rowid = chunks_fts.rowid
                WHERE chunks_fts MATCH ? AND c.doc_id IN ({marks})
                ORDER BY score DESC LIMIT ?""",
            (match, *ids, limit),
        ).fetchall()
        return [(cid, float(score)) for cid, score in rows]


class _Transaction:
    """`BEGIN IMMEDIATE … COMMIT`, rolled back on any exception, KeyboardInterrupt included."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
