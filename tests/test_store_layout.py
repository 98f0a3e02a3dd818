"""The cache's compact layout: what comes back equals what went in, old layouts are rebuilt,
token counts and file hashes are reused instead of recomputed."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from conftest import CHAT, EXAMPLES, PAPERS
from lecto.answer.prompt import header_text
from lecto.backends import ModelOptions
from lecto.context.tokens import count_corpus
from lecto.data import Corpus
from lecto.ingest import digests, load_corpus
from lecto.session import Session, Settings
from lecto.store import DB_NAME, SCHEMA_VERSION, Store

GFS = PAPERS / "the-google-file-system.pdf"
# The first schema, as a cache written before this layout holds it.
_V1 = """
CREATE TABLE documents (id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL,
    warnings TEXT NOT NULL, meta TEXT NOT NULL, n_chunks INTEGER NOT NULL);
CREATE TABLE chunks (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
    ord INTEGER NOT NULL, text TEXT NOT NULL, location TEXT NOT NULL);
CREATE TABLE token_counts (chunk_id TEXT NOT NULL, tokenizer TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (chunk_id, tokenizer)) WITHOUT ROWID;
"""


class CountingCounter:
    """The real tokenizer, one text a call, with a tally of the texts it was asked to count."""

    def __init__(self, backend: object):
        self.backend = backend
        self.tokenizer_id: str = backend.tokenizer_id  # type: ignore[attr-defined]
        self.calls = 0

    def count_tokens(self, text: str) -> int:
        self.calls += 1
        return int(self.backend.count_tokens(text))  # type: ignore[attr-defined]


class BatchCounter(CountingCounter):
    """The real tokenizer, many texts a call, with the size of each batch it was given."""

    def __init__(self, backend: object):
        super().__init__(backend)
        self.batches: list[int] = []

    def count_many(self, texts: Sequence[str]) -> list[int]:
        self.batches.append(len(texts))
        return [int(self.backend.count_tokens(t)) for t in texts]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> object:
    return Session(Settings(cache_dir=tmp_path_factory.mktemp("cache"), model=ModelOptions(None))).backend


@pytest.fixture
def sources(tmp_path: Path) -> list[str]:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("import os\n\n\nclass Box:\n    def open(self):\n        return 1\n\n\nX = 2\n")
    return [str(GFS), str(CHAT / "locomo-0.whatsapp.txt"), str(EXAMPLES / "garden-handbook.md"), str(repo)]


def test_every_kind_of_location_comes_back_as_it_went_in(tmp_path: Path, sources: list[str]) -> None:
    first = load_corpus(sources, Store(tmp_path / "cache"))
    second = load_corpus(sources, Store(tmp_path / "cache"))

    assert {d.kind for d in second.documents} == {d.kind for d in first.documents} and len(first.documents) == 4
    assert [c.span for c in second.chunks] == [c.span for c in first.chunks]
    assert [(c.id, c.ord, c.text) for c in second.chunks] == [(c.id, c.ord, c.text) for c in first.chunks]


def test_a_cache_in_an_older_layout_is_emptied_and_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    con = sqlite3.connect(cache / DB_NAME)
    con.executescript(_V1)
    con.execute("INSERT INTO documents VALUES ('stale', 'text', 'old', '[]', '{}', 1)")
    con.execute("INSERT INTO chunks VALUES (1, 'stale:0', 'stale', 0, 'old text', '{}')")
    con.execute("PRAGMA user_version=1")
    con.commit()
    con.close()

    store = Store(cache)

    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    corpus = load_corpus([str(EXAMPLES / "garden-handbook.md")], store)
    assert any("40 euros" in c.text for c in corpus.chunks)
    assert store.search(["euros"], [corpus.documents[0].id], 5)


def test_token_counts_are_counted_once_per_document(tmp_path: Path, backend: object) -> None:
    counter = CountingCounter(backend)
    store = Store(tmp_path / "cache")
    corpus = load_corpus([str(GFS)], store)

    first = count_corpus(corpus, counter, store)
    # Each chunk's text, and each distinct header the prompt writes before a chunk (one a page).
    headers = {header_text(c.span) for c in corpus.chunks}
    assert counter.calls == len(corpus.chunks) + len(headers) < 2 * len(corpus.chunks)
    assert all(c.tokens > 0 and c.header_tokens > 0 for c in first)

    counter.calls = 0
    again = count_corpus(corpus, counter, store)  # the same documents: kept in memory
    reloaded = load_corpus([str(GFS)], Store(tmp_path / "cache"))
    from_store = count_corpus(reloaded, counter, Store(tmp_path / "cache"))  # new documents: read back
    assert counter.calls == 0
    assert [c.tokens for c in again] == [c.tokens for c in from_store] == [c.tokens for c in first]


def test_a_counter_of_many_texts_counts_a_corpus_in_one_call_for_texts_and_one_for_headers(
    tmp_path: Path, backend: object
) -> None:
    store = Store(tmp_path / "cache")
    corpus = load_corpus([str(GFS), str(EXAMPLES / "garden-handbook.md")], store)
    counter = BatchCounter(backend)

    counted = count_corpus(corpus, counter, store)

    assert counter.calls == 0
    assert counter.batches == [len(corpus.chunks), len({header_text(c.span) for c in corpus.chunks})]
    other = Store(tmp_path / "other")  # the same documents counted one text a call
    alone = count_corpus(
        load_corpus([str(GFS), str(EXAMPLES / "garden-handbook.md")], other), CountingCounter(backend), other
    )
    assert [(c.tokens, c.header_tokens) for c in counted] == [(c.tokens, c.header_tokens) for c in alone]


def test_counts_of_a_document_no_longer_cached_are_not_kept(tmp_path: Path, backend: object) -> None:
    note = tmp_path / "note.txt"
    note.write_text("The pond holds twelve koi.\n")
    store = Store(tmp_path / "cache")
    count_corpus(load_corpus([str(note)], store), CountingCounter(backend), store)
    orphan = Corpus(load_corpus([str(note)], store).documents)
    with store.transaction():
        store.db.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('delete-all')")  # contentless: no DELETE
        store.db.execute("DELETE FROM doc_tokens")
        store.db.execute("DELETE FROM chunks")
        store.db.execute("DELETE FROM documents")

    count_corpus(orphan, CountingCounter(backend), store)

    assert store.db.execute("SELECT count(*) FROM doc_tokens").fetchone()[0] == 0


def test_search_takes_more_documents_than_sqlite_takes_parameters(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    corpus = load_corpus([str(EXAMPLES / "garden-handbook.md")], store)
    ids = [f"text@1:{n:064x}" for n in range(40_000)] + [corpus.documents[0].id]

    hits = store.search(["plot", "fee"], ids, 5)

    assert hits and {cid for cid, _ in hits} <= {c.id for c in corpus.chunks}


def test_an_unchanged_tree_is_not_hashed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for n in range(5):
        (repo / f"m{n}.py").write_text(f"def f{n}():\n    return {n}\n")
    hashed: list[str] = []
    real = digests.file_digest

    def spy(path: Path, source: str) -> str:
        hashed.append(path.name)
        return real(path, source)

    monkeypatch.setattr(digests, "file_digest", spy)
    load_corpus([str(repo)], Store(tmp_path / "cache"))
    assert sorted(hashed) == [f"m{n}.py" for n in range(5)]

    hashed.clear()
    load_corpus([str(repo)], Store(tmp_path / "cache"))
    assert hashed == []
    (repo / "m3.py").write_text("def f3():\n    return 33\n")
    load_corpus([str(repo)], Store(tmp_path / "cache"))
    assert hashed == ["m3.py"]
