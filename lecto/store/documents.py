"""Documents and their chunks: written whole in one transaction, read back with their spans."""

from __future__ import annotations

import json
import sqlite3

from lecto.data import Chunk, Document, Kind, Span
from lecto.store.locations import _decode_locations, _encode_locations, _indexed_texts


def get(db: sqlite3.Connection, doc_id: str, source: str) -> Document | None:
    """The cached document with spans naming `source`; None if absent or its chunks do not match its count."""
    row = db.execute(
        "SELECT kind, title, warnings, meta, n_chunks, locations FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    if row is None:
        return None
    kind = Kind(row[0])
    warnings = json.loads(row[2])
    if any(isinstance(w, str) for w in warnings):  # stored whole by an older lecto, naming a path of then: re-read
        return None
    rows = db.execute("SELECT id, ord, text FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
    locations = _decode_locations(kind, row[5])
    if not len(rows) == len(locations) == row[4]:
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
        warnings=[source + w["after"] if "after" in w else w["text"] for w in warnings],
        meta=json.loads(row[3]),
    )


def exists(db: sqlite3.Connection, doc_id: str) -> bool:
    return db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None


def superseded(db: sqlite3.Connection, pattern: str) -> list[str]:
    """The documents whose id matches the SQL LIKE `pattern`."""
    return [doc_id for (doc_id,) in db.execute("SELECT id FROM documents WHERE id LIKE ?", (pattern,)).fetchall()]


def put(db: sqlite3.Connection, doc: Document) -> None:
    """Insert the document, its chunks and their index entries (inside a transaction)."""
    db.execute(
        "INSERT INTO documents (id, kind, title, warnings, meta, n_chunks, locations) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            doc.id,
            doc.kind.value,
            doc.title,
            json.dumps([_relative(w, doc.source) for w in doc.warnings]),
            json.dumps(doc.meta),
            len(doc.chunks),
            _encode_locations(doc.kind, (c.span.location for c in doc.chunks)),
        ),
    )
    indexed = _indexed_texts(doc.kind, [c.text for c in doc.chunks])
    for c, text in zip(doc.chunks, indexed, strict=True):
        cur = db.execute(
            "INSERT INTO chunks (id, doc_id, ord, text) VALUES (?, ?, ?, ?)", (c.id, doc.id, c.ord, c.text)
        )
        db.execute("INSERT INTO chunks_fts (rowid, text) VALUES (?, ?)", (cur.lastrowid, text))


def remove(db: sqlite3.Connection, doc_id: str) -> None:
    """Delete a document, its chunks, their index entries, token counts and vectors (inside a transaction)."""
    rows = db.execute("SELECT rowid, id, text FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
    (kind,) = db.execute("SELECT kind FROM documents WHERE id = ?", (doc_id,)).fetchone()
    indexed = _indexed_texts(Kind(kind), [t for _, _, t in rows])
    # A contentless FTS5 index (it reads more than chunks.text: see _indexed_texts) forgets
    # a row only when told the text it indexed.
    db.executemany(
        "INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', ?, ?)",
        [(r, t) for (r, _, _), t in zip(rows, indexed, strict=True)],
    )
    db.execute("DELETE FROM doc_tokens WHERE doc_id = ?", (doc_id,))
    db.executemany("DELETE FROM embeddings WHERE chunk_id = ?", [(cid,) for _, cid, _ in rows])
    db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
    db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def counts(db: sqlite3.Connection) -> tuple[dict[Kind, int], int]:
    """How many documents of each kind, and how many chunks, the cache holds."""
    kinds = db.execute("SELECT kind, count(*) FROM documents GROUP BY kind").fetchall()
    chunks = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    return {Kind(k): n for k, n in kinds}, chunks


def clear(db: sqlite3.Connection) -> None:
    """Forget every document, its index, token counts and file hashes (inside a transaction); vectors stay."""
    db.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('delete-all')")  # contentless: no DELETE
    for table in ("doc_tokens", "chunks", "documents", "file_digests"):
        db.execute(f"DELETE FROM {table}")


def _relative(warning: str, source: str) -> dict[str, str]:
    """A warning naming its document as it was given (`../papers/x.pdf: …`), kept as what follows the name:
    read back, it names the document as the user gives it then, from wherever lecto runs."""
    return {"after": warning[len(source) :]} if warning.startswith(source) else {"text": warning}
