"""The parsed-corpus cache: one SQLite file, WAL mode, an FTS5 index over chunks.

A document is keyed by its content hash plus the ingester's name and version, so an
unchanged file is never parsed twice, a changed one always is, and an ingester upgrade
invalidates its old entries. Each document is written in one transaction: a crash or
Ctrl-C mid-ingest leaves either the whole document or nothing. A cache file that SQLite
finds damaged is renamed aside and replaced by an empty one, with a notice for the user.

Reading a big repository back is the common case, so a document's chunk locations are
one JSON array (one decode per document, not per chunk) and its chunks' token counts one
packed array per tokenizer. A cache written in an older layout is emptied and rebuilt.
"""

from __future__ import annotations

import dataclasses
import fcntl
import heapq
import json
import re
import shutil
import sqlite3
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lecto import bm25
from lecto.data import ChatLocation, Chunk, CodeLocation, Document, Kind, Location, PageLocation, Span, TextLocation
from lecto.errors import StoreError
from lecto.subwords import Splitter

# Bump on any change to the tables below: an older cache is then emptied, never misread.
# 2: embeddings; 3: locations per document, token counts per document.
SCHEMA_VERSION = 4
DB_NAME = "lecto.db"
# Long enough for another process to finish writing a big document, short enough to notice a stuck one.
BUSY_TIMEOUT_MS = 60_000
# SQLite's primary result codes for "this file is damaged" and "this is not a database".
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_LOCK_NAME = "recover.lock"
_ASIDE = ".damaged-"

# How the full-text index cuts text into terms; queries are cut the same way.
_TOKENIZE = "porter unicode61"
# `documents.locations`: a JSON array with one entry per chunk, in order, each the
# location's field values in declaration order. `doc_tokens.counts`: one unsigned 32-bit
# count per chunk, in order, in this machine's byte order (a cache never leaves its machine).
_SCHEMA = f"""
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
CREATE VIRTUAL TABLE chunks_fts USING fts5(text, content='', tokenize='{_TOKENIZE}');
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
# Per connection, in the temp schema, so an existing cache needs no new layout and searching
# writes nothing to the cache file: the index's (row, offset) of every term, and a scratch
# index with the same tokenizer that turns query words into the index's terms.
_SEARCH_TABLES = f"""
CREATE VIRTUAL TABLE temp.chunk_terms USING fts5vocab(main, chunks_fts, instance);
CREATE VIRTUAL TABLE temp.query_fts USING fts5(text, content='', tokenize='{_TOKENIZE}');
CREATE VIRTUAL TABLE temp.query_terms USING fts5vocab(temp, query_fts, instance);
"""
# Every table any schema version created, dropped before the current ones are built.
_OLD_TABLES = ("chunks_fts", "token_counts", "doc_tokens", "embeddings", "chunks", "documents")
_COUNT_TYPE = "I"
_LOCATIONS: dict[Kind, type] = {
    Kind.PDF: PageLocation,
    Kind.TEXT: TextLocation,
    Kind.CODE: CodeLocation,
    Kind.CHAT: ChatLocation,
}

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class CacheInfo:
    """What `lecto cache info` shows."""

    path: Path
    bytes: int
    documents: dict[Kind, int]
    chunks: int
    set_aside: list[Path]


class Store:
    def __init__(self, directory: Path):
        self.directory = directory
        self.path = directory / DB_NAME
        # What the user should hear about this cache (a damaged file set aside); the CLI prints it.
        self.notices: list[str] = []
        # Each document's (rows, tokens) in the full-text index, for BM25's statistics. A
        # document id names fixed content, so an entry never goes stale.
        self._index_sizes: dict[str, tuple[int, int]] = {}
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.db = self._open()
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"cannot open the cache: {e}", source=str(self.path)) from e

    def _open(self) -> sqlite3.Connection:
        try:
            return _connect(self.path)
        except sqlite3.DatabaseError as e:
            if not _damaged(e):
                raise
        with _recovery_lock(self.directory):
            try:  # another process may have replaced it while this one waited for the lock
                return _connect(self.path)
            except sqlite3.DatabaseError as e:
                if not _damaged(e):
                    raise
            aside = _set_aside(self.path)
            self.notices.append(f"the cache was damaged; moved it to {aside} and started a new one")
            return _connect(self.path)

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    def get_document(self, doc_id: str, source: str) -> Document | None:
        """The cached document, with its spans naming `source` as the user gave it this time."""
        row = self.db.execute(
            "SELECT kind, title, warnings, meta, n_chunks, locations FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        kind = Kind(row[0])
        rows = self.db.execute("SELECT id, ord, text FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
        locations = _decode_locations(kind, row[5])
        if not len(rows) == len(locations) == row[4]:  # never through this class; a hand-edited cache is re-parsed
            with self.transaction():
                self._remove(doc_id)
            return None
        chunks = [
            Chunk(cid, doc_id, ord_, text, Span(source, kind, loc))
            for (cid, ord_, text), loc in zip(rows, locations, strict=True)
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

    def put_document(self, doc: Document, supersedes: str | None = None) -> None:
        """Write the whole document in one transaction; a concurrent writer of the same one wins.

        `supersedes` is a SQL LIKE pattern for older entries of the same content (an earlier
        ingester version); they are removed in the same transaction.
        """
        with self.transaction():
            if self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone():
                return
            if supersedes is not None:
                for (old,) in self.db.execute("SELECT id FROM documents WHERE id LIKE ?", (supersedes,)).fetchall():
                    self._remove(old)
            self.db.execute(
                "INSERT INTO documents (id, kind, title, warnings, meta, n_chunks, locations)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    doc.id,
                    doc.kind.value,
                    doc.title,
                    json.dumps(doc.warnings),
                    json.dumps(doc.meta),
                    len(doc.chunks),
                    _encode_locations(c.span.location for c in doc.chunks),
                ),
            )
            indexed = _indexed_texts(doc.kind, [c.text for c in doc.chunks])
            for c, text in zip(doc.chunks, indexed, strict=True):
                cur = self.db.execute(
                    "INSERT INTO chunks (id, doc_id, ord, text) VALUES (?, ?, ?, ?)", (c.id, doc.id, c.ord, c.text)
                )
                self.db.execute("INSERT INTO chunks_fts (rowid, text) VALUES (?, ?)", (cur.lastrowid, text))

    def _remove(self, doc_id: str) -> None:
        """Delete a document, its chunks, their index entries and token counts (inside a transaction)."""
        rows = self.db.execute("SELECT rowid, id, text FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
        (kind,) = self.db.execute("SELECT kind FROM documents WHERE id = ?", (doc_id,)).fetchone()
        indexed = _indexed_texts(Kind(kind), [t for _, _, t in rows])
        # A contentless FTS5 index (it reads more than chunks.text: see _indexed_texts) forgets
        # a row only when told the text it indexed.
        self.db.executemany(
            "INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', ?, ?)",
            [(r, t) for (r, _, _), t in zip(rows, indexed, strict=True)],
        )
        self.db.execute("DELETE FROM doc_tokens WHERE doc_id = ?", (doc_id,))
        self.db.executemany("DELETE FROM embeddings WHERE chunk_id = ?", [(cid,) for _, cid, _ in rows])
        self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def token_counts(self, doc_ids: Iterable[str], tokenizer: str) -> dict[str, list[int]]:
        """Each document's chunk token counts, in chunk order, for the documents counted before."""
        rows = self.db.execute(
            "SELECT doc_id, counts FROM doc_tokens WHERE tokenizer = ? AND doc_id IN (SELECT value FROM json_each(?))",
            (tokenizer, json.dumps(list(doc_ids))),
        )
        return {doc_id: array(_COUNT_TYPE, blob).tolist() for doc_id, blob in rows}

    def put_token_counts(self, counts: dict[str, list[int]], tokenizer: str) -> None:
        """Save each document's chunk token counts; a document no longer cached is skipped."""
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO doc_tokens (doc_id, tokenizer, counts)"
                " SELECT id, ?, ? FROM documents WHERE id = ?",
                [(tokenizer, array(_COUNT_TYPE, ns).tobytes(), doc_id) for doc_id, ns in counts.items()],
            )

    def vectors(self, chunk_ids: Sequence[str], model: str) -> dict[str, bytes]:
        """Cached embeddings (raw float32 bytes) of the chunks that `model` has embedded."""
        out: dict[str, bytes] = {}
        for i in range(0, len(chunk_ids), 500):
            part = chunk_ids[i : i + 500]
            marks = ",".join("?" * len(part))
            out.update(
                self.db.execute(
                    f"SELECT chunk_id, vec FROM embeddings WHERE model = ? AND chunk_id IN ({marks})", (model, *part)
                ).fetchall()
            )
        return out

    def put_vectors(self, vectors: dict[str, bytes], model: str) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO embeddings (chunk_id, model, vec) VALUES (?, ?, ?)",
                [(cid, model, v) for cid, v in vectors.items()],
            )

    def search(self, terms: Sequence[str], doc_ids: Iterable[str], limit: int) -> list[tuple[str, float]]:
        """BM25 over the chunks of `doc_ids` for any of `terms`: (chunk id, score), best first.

        The statistics (row count, average length, how many rows hold each term) are those
        of these chunks alone, so a corpus ranks the same whatever else the cache holds; with
        only this corpus cached the scores are FTS5's `-bm25()`.
        """
        words = list(dict.fromkeys(_WORD.findall(" ".join(terms).lower())))
        if not words:
            return []
        phrases = self._phrases(words)
        # One snapshot: a document another process adds or removes meanwhile is either in
        # every count or in none.
        with _Transaction(self.db, immediate=False):
            return self._bm25(phrases, list(dict.fromkeys(doc_ids)), limit)

    def _bm25(self, phrases: list[tuple[str, ...]], ids: list[str], limit: int) -> list[tuple[str, float]]:
        size = self._corpus_size(ids)
        if not size.rows:
            return []
        found = [self._phrase_freqs(tokens) for tokens in phrases]
        chunks = self._chunks(set().union(*found), ids)
        freqs = [{chunks[row][0]: n for row, n in f.items() if row in chunks} for f in found]
        scored = bm25.scores(freqs, dict(chunks.values()), size)
        # Ties go by chunk id, which names content: the same order whatever the rowids.
        return heapq.nsmallest(limit, scored.items(), key=lambda item: (-item[1], item[0]))

    def _corpus_size(self, doc_ids: list[str]) -> bm25.Size:
        """How many rows the documents have in the index and how many tokens those hold."""
        missing = [d for d in doc_ids if d not in self._index_sizes]
        # One bound JSON array rather than a parameter per document: a big repository has
        # more documents than SQLite allows parameters.
        rows = self.db.execute(
            """SELECT c.doc_id, d.sz FROM chunks c JOIN chunks_fts_docsize d ON d.id = c.rowid
                WHERE c.doc_id IN (SELECT value FROM json_each(?))""",
            (json.dumps(missing),),
        )
        for doc_id, blob in rows:
            n, tokens = self._index_sizes.get(doc_id, (0, 0))
            self._index_sizes[doc_id] = (n + 1, tokens + _varint(blob))
        sizes = [self._index_sizes[d] for d in doc_ids if d in self._index_sizes]
        return bm25.Size(sum(n for n, _ in sizes), sum(t for _, t in sizes))

    def _chunks(self, rows: set[int], doc_ids: list[str]) -> dict[int, tuple[str, int]]:
        """The chunk id and token count of each of `rows` that belongs to `doc_ids`, by rowid."""
        found = self.db.execute(
            """SELECT c.rowid, c.id, d.sz FROM chunks c JOIN chunks_fts_docsize d ON d.id = c.rowid
                WHERE c.rowid IN (SELECT value FROM json_each(?))
                AND c.doc_id IN (SELECT value FROM json_each(?))""",
            (json.dumps(list(rows)), json.dumps(doc_ids)),
        )
        return {row: (chunk_id, _varint(blob)) for row, chunk_id, blob in found}

    def _phrases(self, words: list[str]) -> list[tuple[str, ...]]:
        """Each word as the index's tokenizer reads it (stemmed, split at `_`); empty ones dropped."""
        self.db.execute("INSERT INTO temp.query_fts(query_fts) VALUES ('delete-all')")
        self.db.executemany("INSERT INTO temp.query_fts (rowid, text) VALUES (?, ?)", enumerate(words))
        tokens: dict[int, list[tuple[int, str]]] = {}
        for row, term, offset in self.db.execute("SELECT doc, term, offset FROM temp.query_terms"):
            tokens.setdefault(row, []).append((offset, term))
        return [tuple(term for _, term in sorted(tokens[row])) for row in sorted(tokens)]

    def _phrase_freqs(self, tokens: tuple[str, ...]) -> dict[int, int]:
        """How often the phrase occurs in each row of the whole index that holds it."""
        if len(tokens) == 1:  # nearly every phrase: SQLite counts, Python sees one row per chunk
            rows = self.db.execute("SELECT doc, count(*) FROM temp.chunk_terms WHERE term = ? GROUP BY doc", tokens)
            return dict(rows.fetchall())
        at = [self._offsets(token) for token in tokens]
        freqs: dict[int, int] = {}
        for row, start in at[0]:
            if all((row, start + i) in later for i, later in enumerate(at[1:], start=1)):
                freqs[row] = freqs.get(row, 0) + 1
        return freqs

    def _offsets(self, token: str) -> set[tuple[int, int]]:
        """Where `token` stands in the index: (row, offset) pairs."""
        return set(self.db.execute("SELECT doc, offset FROM temp.chunk_terms WHERE term = ?", (token,)).fetchall())

    def info(self) -> CacheInfo:
        kinds = self.db.execute("SELECT kind, count(*) FROM documents GROUP BY kind").fetchall()
        chunks = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        size = sum(p.stat().st_size for p in self.directory.glob(f"{DB_NAME}*") if p.is_file())
        return CacheInfo(self.path, size, {Kind(k): n for k, n in kinds}, chunks, set_aside(self.directory))


def set_aside(directory: Path) -> list[Path]:
    """Damaged cache files kept for inspection, oldest first."""
    return sorted(directory.glob(f"{DB_NAME}{_ASIDE}*"))


def clear(directory: Path) -> list[Path]:
    """Remove the cache (database, its journal files, damaged copies, spooled stdin); what was removed."""
    with _recovery_lock(directory):
        removed = [p for p in directory.glob(f"{DB_NAME}*") if p.is_file()]
        for p in removed:
            p.unlink()
        spool = directory / "stdin"
        if spool.is_dir():
            shutil.rmtree(spool)
            removed.append(spool)
    return removed


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        # Reads every page once (~2 ms for a 2 MB cache): damage found here is repaired, later it would crash.
        if (result := db.execute("PRAGMA quick_check(1)").fetchone()[0]) != "ok":
            raise sqlite3.DatabaseError(result)
        _migrate(db)
        for statement in _SEARCH_TABLES.split(";"):
            if statement.strip():
                db.execute(statement)
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection) -> None:
    """Build the tables, dropping those of an older layout: re-parsing beats misreading."""
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    with _Transaction(db):
        # Another process may have built them while this one waited for the write lock.
        if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        for table in _OLD_TABLES:
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def _indexed_texts(kind: Kind, texts: list[str]) -> list[str]:
    """What the full-text index reads for each chunk: code also gets the words inside its names."""
    if kind is not Kind.CODE:
        return texts
    splitter = Splitter(texts)
    return [f"{t}\n{splitter.index_words(t)}" for t in texts]


def _varint(blob: bytes) -> int:
    """An SQLite varint, as FTS5 stores a row's token count: 7 bits a byte, high bit = more."""
    value = 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            break
    return value


def _encode_locations(locations: Iterable[Location]) -> str:
    return json.dumps([[getattr(loc, f.name) for f in dataclasses.fields(loc)] for loc in locations])


def _decode_locations(kind: Kind, encoded: str) -> list[Location]:
    cls = _LOCATIONS[kind]
    if kind is Kind.CHAT:  # its message ids and speakers are tuples, which JSON gives back as lists
        return [cls(*(tuple(v) if isinstance(v, list) else v for v in fields)) for fields in json.loads(encoded)]
    return [cls(*fields) for fields in json.loads(encoded)]


def _damaged(error: sqlite3.DatabaseError) -> bool:
    """Damage, as opposed to a locked or unreadable file, which renaming would not fix."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:  # raised by quick_check above
        return type(error) is sqlite3.DatabaseError
    return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def _set_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}{_ASIDE}{stamp}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):  # the journal belongs to the damaged file, not to the new one
        journal = path.with_name(path.name + suffix)
        if journal.exists():
            journal.rename(aside.with_name(aside.name + suffix))
    return aside


@contextmanager
def _recovery_lock(directory: Path) -> Iterator[None]:
    """One process at a time renames or deletes cache files, so none moves a file another just rebuilt."""
    with open(directory / _LOCK_NAME, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


class _Transaction:
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
