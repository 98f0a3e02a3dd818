"""The cache folder's files: opening the database, setting a damaged one aside, removing them.

A cache file that SQLite finds damaged, or whose layout cannot migrate, is renamed aside and
replaced by an empty one, with a notice for the user; nothing is ever half-rewritten.
"""

from __future__ import annotations

import fcntl
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lecto.store import search
from lecto.store.migrations import migrate

DB_NAME = "lecto.db"
# Where llama.cpp keeps document prefix states (backends/prefix_cache.py), one folder per model.
PREFIX_DIR = "prefix"
# Where documents read from standard input are spooled, so they can be cached like files.
STDIN_DIR = "stdin"
# Long enough for another process to finish writing a big document, short enough to notice a stuck one.
BUSY_TIMEOUT_MS = 60_000
# SQLite's primary result codes for "this file is damaged" and "this is not a database".
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
LOCK_NAME = "recover.lock"
_ASIDE = ".damaged-"


def connect(path: Path) -> sqlite3.Connection:
    """The cache database in today's layout; raises what SQLite or the migration found wrong."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        # Reads every page once (~2 ms for a 2 MB cache): damage found here is repaired, later it would crash.
        if (result := db.execute("PRAGMA quick_check(1)").fetchone()[0]) != "ok":
            raise sqlite3.DatabaseError(result)
        migrate(db)
        search.prepare(db)
    except BaseException:
        db.close()
        raise
    return db


def damaged(error: sqlite3.DatabaseError) -> bool:
    """Damage, as opposed to a locked or unreadable file, which renaming would not fix."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:  # raised by quick_check above
        return type(error) is sqlite3.DatabaseError
    return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def set_aside(path: Path) -> Path:
    """Rename the cache file (and its journal) out of the way; the new name, for the user."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}{_ASIDE}{stamp}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):  # the journal belongs to the set-aside file, not to the new one
        journal = path.with_name(path.name + suffix)
        if journal.exists():
            journal.rename(aside.with_name(aside.name + suffix))
    return aside


def set_aside_copies(directory: Path) -> list[Path]:
    """Damaged or unmigratable cache files kept for inspection, oldest first."""
    return sorted(directory.glob(f"{DB_NAME}{_ASIDE}*"))


@contextmanager
def recovery_lock(directory: Path) -> Iterator[None]:
    """One process at a time renames or deletes cache files, so none moves a file another just rebuilt."""
    with open(directory / LOCK_NAME, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def clear(directory: Path) -> list[Path]:
    """Remove the whole cache (database, journals, set-aside copies, spooled stdin, prefix states); what went."""
    with recovery_lock(directory):
        removed = [p for p in directory.glob(f"{DB_NAME}*") if p.is_file()]
        for p in removed:
            p.unlink()
        for name in (STDIN_DIR, PREFIX_DIR):
            removed += remove_tree(directory / name)
    return removed


def remove_tree(folder: Path) -> list[Path]:
    """Delete a folder of the cache; [folder] if it was there."""
    if not folder.is_dir():
        return []
    shutil.rmtree(folder)
    return [folder]
