"""An existing cache migrates in place and keeps its documents; one that cannot migrate is set aside whole.

Each test writes a cache file in an older (or newer) layout with SQLite itself, as an older
lecto left it, and opens it with today's store.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from conftest import CHAT, EXAMPLES
from lecto.ingest import load_corpus
from lecto.store import DB_NAME, SCHEMA_VERSION, Store


def folder(tmp_path: Path) -> str:
    """A folder holding the handbook: files found in a folder have their hashes remembered."""
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copy(EXAMPLES / "garden-handbook.md", docs)
    return str(docs)


def layout_4_cache(cache: Path, source: str) -> list[str]:
    """A cache as lecto wrote it at layout 4: a parsed document, its file hash, a speed.json beside it.

    Layout 4 had every table of today but speed and log (file_digests came from ingest on the side).
    """
    store = Store(cache)
    corpus = load_corpus([source], store)
    store.close()
    db = sqlite3.connect(cache / DB_NAME)
    db.executescript("DROP TABLE speed; DROP TABLE log; PRAGMA user_version=4;")
    db.close()
    (cache / "speed.json").write_text('{"gguf:x:1|llama.cpp|host|x86_64": {"prefill_tps": 82.0, "decode_tps": 9.0}}')
    return [c.text for c in corpus.chunks]


def test_a_layout_4_cache_migrates_and_keeps_its_documents_and_file_hashes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    texts = layout_4_cache(cache, folder(tmp_path))

    store = Store(cache)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.notices == []
    assert store.info().documents and store.db.execute("SELECT count(*) FROM file_digests").fetchone()[0] == 1
    assert store.db.execute("SELECT count(*) FROM speed").fetchone()[0] == 0
    assert store.recent(5) == []
    assert not (cache / "speed.json").exists(), "a speed measured by an older lecto is dropped, not trusted"
    again = load_corpus([folder(tmp_path)], store)
    assert [c.text for c in again.chunks] == texts
    assert store.search(["plot", "fee"], [again.documents[0].id], 3)


def test_a_cache_from_a_newer_lecto_is_set_aside_untouched(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    db = sqlite3.connect(cache / DB_NAME)
    db.executescript("CREATE TABLE future (x); INSERT INTO future VALUES (1); PRAGMA user_version=99;")
    db.close()

    store = Store(cache)

    assert len(store.notices) == 1 and "newer than this lecto" in store.notices[0]
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    (aside,) = cache.glob(f"{DB_NAME}.damaged-*")
    kept = sqlite3.connect(aside)
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 99
    assert kept.execute("SELECT x FROM future").fetchall() == [(1,)]


def test_a_migration_that_fails_leaves_the_old_cache_whole_beside_a_new_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    layout_4_cache(cache, folder(tmp_path))
    db = sqlite3.connect(cache / DB_NAME)
    db.execute("CREATE TABLE log (something TEXT)")  # in the way of step 5's own log table
    db.commit()
    db.close()

    store = Store(cache)

    assert len(store.notices) == 1 and "cannot be migrated" in store.notices[0]
    assert store.info().documents == {}
    (aside,) = cache.glob(f"{DB_NAME}.damaged-*")
    kept = sqlite3.connect(aside)
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 4
    tables = {name for (name,) in kept.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert "speed" not in tables, "the failed step left nothing half-written"
    assert kept.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_a_layout_5_chat_cache_gains_each_message_s_place_and_reads_back_as_a_fresh_parse(tmp_path: Path) -> None:
    fresh = load_corpus([str(CHAT / "locomo-0.whatsapp.txt")], Store(tmp_path / "fresh")).chunks
    cache = tmp_path / "cache"
    store = Store(cache)
    load_corpus([str(CHAT / "locomo-0.whatsapp.txt")], store)
    store.close()
    db = sqlite3.connect(cache / DB_NAME)
    # Layout 5 stored a chat location as its message ids, times and speakers: no messages.
    ((doc_id, encoded),) = db.execute("SELECT id, locations FROM documents").fetchall()
    old = [loc[:4] for loc in json.loads(encoded)]
    db.execute("UPDATE documents SET locations = ? WHERE id = ?", (json.dumps(old), doc_id))
    db.execute("PRAGMA user_version=5")
    db.commit()
    db.close()

    store = Store(cache)

    assert store.notices == []
    migrated = load_corpus([str(CHAT / "locomo-0.whatsapp.txt")], store).chunks
    assert [c.span for c in migrated] == [c.span for c in fresh]
