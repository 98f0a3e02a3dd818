"""BM25 over the full-text index, with statistics from the asked-about documents alone.

The statistics (row count, average length, how many rows hold each term) are those of the
searched chunks, so a corpus ranks the same whatever else the cache holds; with only this
corpus cached the scores are FTS5's `-bm25()`.
"""

from __future__ import annotations

import heapq
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence

from lecto import bm25
from lecto.store.transaction import Transaction

# How the full-text index cuts text into terms; queries are cut the same way.
TOKENIZE = "porter unicode61"
# Per connection, in the temp schema, so searching writes nothing to the cache file: the
# index's (row, offset) of every term, and a scratch index with the same tokenizer that turns
# query words into the index's terms.
_SEARCH_TABLES = f"""
CREATE VIRTUAL TABLE temp.chunk_terms USING fts5vocab(main, chunks_fts, instance);
CREATE VIRTUAL TABLE temp.query_fts USING fts5(text, content='', tokenize='{TOKENIZE}');
CREATE VIRTUAL TABLE temp.query_terms USING fts5vocab(temp, query_fts, instance);
"""
_WORD = re.compile(r"\w+", re.UNICODE)


def prepare(db: sqlite3.Connection) -> None:
    """Create this connection's search tables."""
    for statement in _SEARCH_TABLES.split(";"):
        if statement.strip():
            db.execute(statement)


class Search:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        # Each document's (rows, tokens) in the full-text index, for BM25's statistics. A
        # document id names fixed content, so an entry never goes stale.
        self._index_sizes: dict[str, tuple[int, int]] = {}

    def __call__(self, terms: Sequence[str], doc_ids: Iterable[str], limit: int) -> list[tuple[str, float]]:
        """BM25 over the chunks of `doc_ids` for any of `terms`: (chunk id, score), best first."""
        words = list(dict.fromkeys(_WORD.findall(" ".join(terms).lower())))
        if not words:
            return []
        phrases = self._phrases(words)
        # One snapshot: a document another process adds or removes meanwhile is either in
        # every count or in none.
        with Transaction(self.db, immediate=False):
            return self._bm25(phrases, list(dict.fromkeys(doc_ids)), limit)

    def _bm25(self, phrases: list[tuple[str, ...]], ids: list[str], limit: int) -> list[tuple[str, float]]:
        size = self._corpus_size(ids)
        if not size.rows:
            return []
        found = [self._phrase_freqs(tokens) for tokens in phrases]
        chunks = self._chunks(set().union(*found), ids)
        freqs = [{chunks[row][0]: n for row, n in f.items() if row in chunks} for f in found]
        scored = bm25.scores(freqs, dict(chunks.values()), size)
        # Ties go by chunk id, which names content: the same order whatever the rowids.
        return heapq.nsmallest(limit, scored.items(), key=lambda item: (-item[1], item[0]))

    def _corpus_size(self, doc_ids: list[str]) -> bm25.Size:
        """How many rows the documents have in the index and how many tokens those hold."""
        missing = [d for d in doc_ids if d not in self._index_sizes]
        # One bound JSON array rather than a parameter per document: a big repository has
        # more documents than SQLite allows parameters.
        rows = self.db.execute(
            """SELECT c.doc_id, d.sz FROM chunks c JOIN chunks_fts_docsize d ON d.id = c.rowid
                WHERE c.doc_id IN (SELECT value FROM json_each(?))""",
            (json.dumps(missing),),
        )
        for doc_id, blob in rows:
            n, tokens = self._index_sizes.get(doc_id, (0, 0))
            self._index_sizes[doc_id] = (n + 1, tokens + _varint(blob))
        sizes = [self._index_sizes[d] for d in doc_ids if d in self._index_sizes]
        return bm25.Size(sum(n for n, _ in sizes), sum(t for _, t in sizes))

    def _chunks(self, rows: set[int], doc_ids: list[str]) -> dict[int, tuple[str, int]]:
        """The chunk id and token count of each of `rows` that belongs to `doc_ids`, by rowid."""
        found = self.db.execute(
            """SELECT c.rowid, c.id, d.sz FROM chunks c JOIN chunks_fts_docsize d ON d.id = c.rowid
                WHERE c.rowid IN (SELECT value FROM json_each(?))
                AND c.doc_id IN (SELECT value FROM json_each(?))""",
            (json.dumps(list(rows)), json.dumps(doc_ids)),
        )
        return {row: (chunk_id, _varint(blob)) for row, chunk_id, blob in found}

    def _phrases(self, words: list[str]) -> list[tuple[str, ...]]:
        """Each word as the index's tokenizer reads it (stemmed, split at `_`); empty ones dropped."""
        self.db.execute("INSERT INTO temp.query_fts(query_fts) VALUES ('delete-all')")
        self.db.executemany("INSERT INTO temp.query_fts (rowid, text) VALUES (?, ?)", enumerate(words))
        tokens: dict[int, list[tuple[int, str]]] = {}
        for row, term, offset in self.db.execute("SELECT doc, term, offset FROM temp.query_terms"):
            tokens.setdefault(row, []).append((offset, term))
        return [tuple(term for _, term in sorted(tokens[row])) for row in sorted(tokens)]

    def _phrase_freqs(self, tokens: tuple[str, ...]) -> dict[int, int]:
        """How often the phrase occurs in each row of the whole index that holds it."""
        if len(tokens) == 1:  # nearly every phrase: SQLite counts, Python sees one row per chunk
            rows = self.db.execute("SELECT doc, count(*) FROM temp.chunk_terms WHERE term = ? GROUP BY doc", tokens)
            return dict(rows.fetchall())
        at = [self._offsets(token) for token in tokens]
        freqs: dict[int, int] = {}
        for row, start in at[0]:
            if all((row, start + i) in later for i, later in enumerate(at[1:], start=1)):
                freqs[row] = freqs.get(row, 0) + 1
        return freqs

    def _offsets(self, token: str) -> set[tuple[int, int]]:
        """Where `token` stands in the index: (row, offset) pairs."""
        return set(self.db.execute("SELECT doc, offset FROM temp.chunk_terms WHERE term = ?", (token,)).fetchall())


def _varint(blob: bytes) -> int:
    """An SQLite varint, as FTS5 stores a row's token count: 7 bits a byte, high bit = more."""
    value = 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            break
    return value
