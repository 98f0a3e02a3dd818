"""What the cache folder holds, part by part, so `lecto cache info` adds up to the folder and each part clears alone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from lecto.store.files import PREFIX_DIR, STDIN_DIR, set_aside_copies


class Part(StrEnum):
    DOCUMENTS = "documents"  # parsed documents, their index, token counts, file hashes, spooled stdin
    PREFIX = "prefix"  # llama.cpp prompt states of documents read before
    VECTORS = "vectors"  # passage embeddings for dense ranking
    SPEED = "speed"  # the backends' measured speeds
    LOG = "log"  # past questions and answers
    SET_ASIDE = "set_aside"  # damaged or unmigratable cache files kept for inspection
    OTHER = "other"  # the database's free pages, schema and journal, the lock file


# The part each table of the database belongs to; FTS5's shadow tables go with their index's table.
_TABLES: dict[str, Part] = {
    "documents": Part.DOCUMENTS,
    "chunks": Part.DOCUMENTS,
    "doc_tokens": Part.DOCUMENTS,
    "file_digests": Part.DOCUMENTS,
    "embeddings": Part.VECTORS,
    "speed": Part.SPEED,
    "log": Part.LOG,
}


def sizes(db: sqlite3.Connection, directory: Path) -> dict[Part, int]:
    """Bytes on disk per part; they sum to every file under `directory`."""
    out = dict.fromkeys(Part, 0)
    for folder, part in ((PREFIX_DIR, Part.PREFIX), (STDIN_DIR, Part.DOCUMENTS)):
        out[part] += _bytes((directory / folder).rglob("*"))
    out[Part.SET_ASIDE] = _bytes(set_aside_copies(directory))
    for table, n in _table_bytes(db).items():
        part = _TABLES.get(table.split("_fts")[0])
        if part is not None:
            out[part] += n
    named = sum(out.values())
    out[Part.OTHER] = max(0, _bytes(directory.rglob("*")) - named)
    return out


def _table_bytes(db: sqlite3.Connection) -> dict[str, int]:
    """Pages per table, its indexes included, from SQLite's own page census."""
    rows = db.execute(
        "SELECT s.tbl_name, sum(d.pgsize) FROM dbstat d JOIN sqlite_schema s ON s.name = d.name GROUP BY s.tbl_name"
    )
    return dict(rows.fetchall())


def _bytes(paths: Iterable[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())
