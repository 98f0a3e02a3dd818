"""BM25 statistics come from the corpus being asked about, not from the whole cache: the
same question over the same paper ranks the same whatever else the user has ingested."""

from __future__ import annotations

import sqlite3
import sysconfig
from pathlib import Path

import pytest

from conftest import CHAT, PAPERS
from lecto.ingest import load_corpus
from lecto.store import Store
from lecto.terms import key_terms

BITCOIN = PAPERS / "bitcoin.pdf"
JSON_PACKAGE = Path(sysconfig.get_paths()["stdlib"]) / "json"
# "file" and "disk" are common words in code and chat: with the whole cache's statistics
# they lose weight, and this question's top passages over the paper swap places.
QUESTION = "What file does a node keep on disk?"


@pytest.fixture(scope="module")
def paper_alone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[str]]:
    store = Store(tmp_path_factory.mktemp("alone"))
    return store, [d.id for d in load_corpus([str(BITCOIN)], store).documents]


@pytest.fixture(scope="module")
def paper_among_others(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[str]]:
    store = Store(tmp_path_factory.mktemp("among"))
    # Ingested first, so the paper's chunks also get other rowids than in the lone cache.
    load_corpus([str(JSON_PACKAGE), str(CHAT / "locomo-0.whatsapp.txt")], store)
    return store, [d.id for d in load_corpus([str(BITCOIN)], store).documents]


def test_a_corpus_ranks_the_same_whatever_else_is_cached(
    paper_alone: tuple[Store, list[str]], paper_among_others: tuple[Store, list[str]]
) -> None:
    alone = paper_alone[0].search(key_terms(QUESTION), paper_alone[1], 20)
    among = paper_among_others[0].search(key_terms(QUESTION), paper_among_others[1], 20)
    assert len(alone) > 10
    assert among == alone


def test_scores_equal_fts5s_own_when_the_cache_holds_only_the_corpus(tmp_path: Path) -> None:
    store = Store(tmp_path)
    ids = [d.id for d in load_corpus([str(BITCOIN), str(JSON_PACKAGE)], store).documents]
    # Two words that stem alike (two phrases, as in FTS5) and a name the tokenizer splits
    # into a two-token phrase.
    terms = ["transactions", "transaction", "object_hook", "decoder", "nodes"]
    mine = store.search(terms, ids, 100)
    theirs = _fts5_bm25(tmp_path, " OR ".join(f'"{t}"' for t in terms), 100)
    assert len(mine) > 30
    assert [cid for cid, _ in mine] == [cid for cid, _ in theirs]
    assert [s for _, s in mine] == pytest.approx([s for _, s in theirs], rel=1e-12)


def test_the_limit_keeps_the_best(paper_alone: tuple[Store, list[str]]) -> None:
    store, ids = paper_alone
    assert store.search(key_terms(QUESTION), ids, 3) == store.search(key_terms(QUESTION), ids, 20)[:3]


@pytest.mark.parametrize("terms", [["zyxwvut"], ["_"], []])
def test_no_matching_term_finds_nothing(paper_alone: tuple[Store, list[str]], terms: list[str]) -> None:
    store, ids = paper_alone
    assert store.search(terms, ids, 10) == []


def test_another_documents_words_are_not_found_in_the_corpus(paper_among_others: tuple[Store, list[str]]) -> None:
    store, ids = paper_among_others
    assert store.search(["object_hook"], ids, 10) == []


def _fts5_bm25(cache: Path, match: str, limit: int) -> list[tuple[str, float]]:
    db = sqlite3.connect(cache / "lecto.db")
    rows = db.execute(
        """SELECT c.id, -bm25(chunks_fts) AS score FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid
            WHERE chunks_fts MATCH ? ORDER BY score DESC, c.id LIMIT ?""",
        (match, limit),
    ).fetchall()
    db.close()
    return rows
