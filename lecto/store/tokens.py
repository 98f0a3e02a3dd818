"""Each document's chunk token counts per tokenizer, so a corpus is counted once per model.

`doc_tokens.counts` is one unsigned 32-bit count per chunk, in order, in this machine's byte
order (a cache never leaves its machine).
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Iterable

_COUNT_TYPE = "I"


def get(db: sqlite3.Connection, doc_ids: Iterable[str], tokenizer: str) -> dict[str, list[int]]:
    rows = db.execute(
        "SELECT doc_id, counts FROM doc_tokens WHERE tokenizer = ? AND doc_id IN (SELECT value FROM json_each(?))",
        (tokenizer, json.dumps(list(doc_ids))),
    )
    return {doc_id: array(_COUNT_TYPE, blob).tolist() for doc_id, blob in rows}


def put(db: sqlite3.Connection, counts: dict[str, list[int]], tokenizer: str) -> None:
    """Save the counts (inside a transaction); a document no longer cached is skipped."""
    db.executemany(
        "INSERT OR REPLACE INTO doc_tokens (doc_id, tokenizer, counts) SELECT id, ?, ? FROM documents WHERE id = ?",
        [(tokenizer, array(_COUNT_TYPE, ns).tobytes(), doc_id) for doc_id, ns in counts.items()],
    )
