"""Cache integrity: damage is set aside and rebuilt with a warning, an ingester upgrade replaces
old entries, a hand-broken document is re-parsed, and `lecto cache info|clear` manage it all."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from conftest import PAPERS
from lecto.ingest import load_corpus
from lecto.ingest.text import TextIngester
from lecto.store import DB_NAME, Store

NOTE = "The greenhouse holds forty-two orchids.\n\nThe pond has seven koi.\n"


@pytest.fixture
def note(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text(NOTE)
    return path


def _ingest(cache: Path, *sources: Path) -> Store:
    store = Store(cache)
    load_corpus([str(s) for s in sources], store)
    return store


def _garbage(db: Path) -> None:
    db.write_bytes(os.urandom(8192))


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def _zeroed_middle(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[4096:12288] = bytes(8192)
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_garbage, _truncated, _zeroed_middle])
def test_damaged_cache_is_set_aside_and_rebuilt_with_a_warning(damage, cache_dir: Path, note: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    pdf = PAPERS / "paxos-made-simple.pdf"
    _ingest(cache_dir, pdf, note).close()
    damage(cache_dir / DB_NAME)

    result = lecto("ask", str(pdf), str(note), "How many orchids are in the greenhouse?", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "cache was damaged" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(list(cache_dir.glob(f"{DB_NAME}.damaged-*"))) == 1
    store = Store(cache_dir)
    assert store.notices == []
    assert sorted(store.info().documents.values()) == [1, 1]


def test_not_a_sqlite_file_named_like_the_cache(cache_dir: Path, note: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    cache_dir.mkdir()
    (cache_dir / DB_NAME).write_text("this is not a database\n" * 100)
    result = lecto("ask", str(note), "How many koi?", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("cache was damaged") == 1


def test_ingester_upgrade_reparses_and_drops_the_old_entry(tmp_path: Path, note: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    old = _ingest(cache, note)
    old_ids = [r[0] for r in old.db.execute("SELECT id FROM documents")]
    old.close()

    monkeypatch.setattr(TextIngester, "version", TextIngester.version + 1)
    store = Store(cache)
    corpus = load_corpus([str(note)], store)

    ids = [r[0] for r in store.db.execute("SELECT id FROM documents")]
    assert len(ids) == 1 and ids != old_ids
    assert ids[0].startswith(f"text@{TextIngester.version}:")
    assert all(c.id.startswith(f"text@{TextIngester.version}:") for c in corpus.chunks)
    chunks = store.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert store.db.execute("SELECT count(*) FROM chunks_fts").fetchone()[0] == chunks == len(corpus.chunks)
    assert store.search(["orchids"], ids, 5), "the index must find the new entry"


def test_document_missing_chunks_is_reparsed(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("".join(f"Bed {n} of the garden grows {n * 3} tulips this spring.\n\n" for n in range(100)))
    cache = tmp_path / "cache"
    first = load_corpus([str(notes)], Store(cache))
    assert len(first.chunks) > 2
    con = sqlite3.connect(cache / DB_NAME)
    con.execute("DELETE FROM chunks WHERE ord = 1")
    con.commit()
    con.close()

    again = load_corpus([str(notes)], Store(cache))

    assert [c.text for c in again.chunks] == [c.text for c in first.chunks]


def test_cache_info_and_clear(cache_dir: Path, note: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    assert lecto("ask", str(PAPERS / "paxos-made-simple.pdf"), str(note), "koi?", "--dry-run").returncode == 0

    info = lecto("cache", "info")
    assert info.returncode == 0, info.stderr
    assert f"cache: {cache_dir}" in info.stdout
    assert "1 pdf" in info.stdout and "1 text" in info.stdout

    (cache_dir / "prefix" / "model").mkdir(parents=True)
    (cache_dir / "prefix" / "model" / "a.state").write_bytes(b"state")
    cleared = lecto("cache", "clear")
    assert cleared.returncode == 0, cleared.stderr
    assert not (cache_dir / DB_NAME).exists()
    assert not (cache_dir / "prefix").exists()
    after = lecto("cache", "info")
    assert after.returncode == 0
    assert "(none; 0 passages)" in after.stdout


def test_cache_clear_on_a_missing_cache_is_quiet(tmp_path: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    result = lecto("cache", "clear", "--cache-dir", str(tmp_path / "never-made"))
    assert result.returncode == 0
    assert "removed 0 files" in result.stdout
    assert not (tmp_path / "never-made").exists()
