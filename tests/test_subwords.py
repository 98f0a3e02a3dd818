"""The words inside code names reach the full-text index, and leave it cleanly."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path

from lecto.ingest import load_corpus
from lecto.store import Store
from lecto.subwords import Splitter

HTTP_CLIENT = Path(sysconfig.get_paths()["stdlib"]) / "http" / "client.py"


def test_names_split_by_case_underscores_and_the_documents_own_words() -> None:
    splitter = Splitter([HTTP_CLIENT.read_text()])
    words = splitter.index_words("_MAXHEADERS = 100\nclass JSONDecodeError(ValueError): pass").split()
    assert {"max", "headers", "json", "decode", "error"} <= set(words)
    # A word the document writes on its own is not cut into pieces it does not know.
    assert "ection" not in splitter.index_words("connection information").split()


def test_a_question_in_plain_words_finds_a_one_case_constant(tmp_path: Path) -> None:
    store = Store(tmp_path)
    corpus = load_corpus([str(HTTP_CLIENT)], store)
    hits = [cid for cid, _ in store.search(["max", "headers"], [corpus.documents[0].id], 5)]
    texts = {c.id: c.text for c in corpus.chunks}
    assert any("_MAXHEADERS = 100" in texts[cid] for cid in hits)


def test_a_superseded_code_document_leaves_the_index_consistent(tmp_path: Path) -> None:
    store = Store(tmp_path)
    doc = load_corpus([str(HTTP_CLIENT)], store).documents[0]
    newer = dataclasses.replace(doc, id=doc.id + "-newer")
    store.put_document(newer, supersedes=doc.id)
    db = sqlite3.connect(tmp_path / "lecto.db")
    # FTS5 raises if a row was deleted with other text than it indexed.
    db.execute("INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('integrity-check', 0)")
    indexed = db.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'headers'").fetchone()[0]
    stored = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert stored == len(doc.chunks)
    assert 0 < indexed <= stored


def test_the_words_the_index_reads_inside_names_stand_in_the_same_order_in_every_process() -> None:
    # The index reads adjacent words as a phrase ("import module"): their order must not follow string hashing.
    program = (
        "from lecto.subwords import Splitter\n"
        "text = 'def import_module(name, package=None):\\n    _bootstrap._gcd_import(name[level:], package, level)\\n'"
        " * 3 + 'resolve_name find_spec module_from_spec spec_from_loader invalidate_caches reload_module'\n"
        "print(Splitter([text]).index_words(text))\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(seen) == 1
