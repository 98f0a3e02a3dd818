"""Chunk embeddings per embedding model, as raw float32 bytes, keyed by chunk id (which names content)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

# Under SQLite's default limit of bound parameters.
_BATCH = 500


def get(db: sqlite3.Connection, chunk_ids: Sequence[str], model: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for i in range(0, len(chunk_ids), _BATCH):
        part = chunk_ids[i : i + _BATCH]
        marks = ",".join("?" * len(part))
        out.update(
            db.execute(
                f"SELECT chunk_id, vec FROM embeddings WHERE model = ? AND chunk_id IN ({marks})", (model, *part)
            ).fetchall()
        )
    return out


def put(db: sqlite3.Connection, vectors: dict[str, bytes], model: str) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO embeddings (chunk_id, model, vec) VALUES (?, ?, ?)",
        [(cid, model, v) for cid, v in vectors.items()],
    )


def clear(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM embeddings")
