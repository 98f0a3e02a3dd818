"""Which chunks answer a question best: BM25 from the store's FTS5 index and dense
embeddings (when the `embed` extra is installed), fused by reciprocal rank with the dates a
chat question names.

Reciprocal rank fusion (each list contributes 1 / (K + rank)) needs no calibration between
lists on unrelated scales: BM25 scores and cosine similarities are simply not comparable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lecto.context.answertype import expected, holds
from lecto.context.dense import DenseRanking, dense_rank
from lecto.context.finance_terms import expansions
from lecto.context.structure import asked_statements, heading_chunks, row_chunks, statement_chunks
from lecto.context.timeq import chat_days, time_window
from lecto.data import Chunk
from lecto.ingest.walk import is_changelog
from lecto.kinds import kind_of
from lecto.store import Store
from lecto.subwords import with_abbreviations
from lecto.terms import key_terms

# Candidates looked at per question; far more than any budget holds, so packing chooses.
CANDIDATES = 300
# The usual RRF constant (Cormack et al. 2009): damps the difference between ranks 1 and 2.
RRF_K = 60
# A chat message inside the dates the question names counts like one extra first-place vote.
TIME_BOOST = 1.0 / (RRF_K + 1)
# The chunks of a statement the question names ("using the cash flow statement") or needs
# ("working capital": the balance sheet) vote like a second BM25 list, best BM25 score first:
# the statement's rows seldom hold the question's words. Filings at 2K / 4K, needed ones at 0.5:
# 0.73 / 0.89, at 1: 0.78 / 0.92, at 1.5 or 2 (or the named at 2) no more (docs/BENCHMARKS.md).
STATEMENT_WEIGHT = 1.0
# The chunks under a heading that shares the question's rarest words vote at this share of a
# BM25 rank. Filings at 1K / 2K / 4K: 0 gives 0.70 / 0.81 / 0.92, 0.25 gives 0.68 / 0.84 / 0.95;
# from 0.5 it crowds prose evidence out (4K 0.86), so it stays a tie-breaker (docs/BENCHMARKS.md).
HEADING_WEIGHT = 0.25
# The table chunks with a row the question names ("effective tax rate") vote at this share of a BM25
# rank, most pairs of the question's words first, then by BM25. Filings at 1K / 2K / 4K / 8K: 0 gives
# 0.70 / 0.89 / 0.97 / 0.97, 0.25 0.73 / 0.89 / 0.97 / 0.97, 0.5 and 0.75 0.81 / 0.92 / 0.97 / 0.97,
# 1.0 0.81 / 0.89 / 0.95 / 0.97 (docs/BENCHMARKS.md).
ROW_WEIGHT = 0.5
# A dense rank, and a BM25 hit holding the kind of answer the question asks for ("how long" and a
# duration, voting again in BM25 order), each count their kind's share of a BM25 rank; beside
# code, prose files (READMEs, docs) count their kind's share of their score (lecto/kinds/, why
# each value). Changelogs come after all else: a changelog names every function it ever touched,
# and filled 10 of the 25 spans compress kept for a question about node-gyp's code, whatever its
# weight (compress scores lines by words).
# ...unless the question is about what changed, when the changelog is the answer.
ABOUT_CHANGES = re.compile(
    r"\b(chang\w*|releas\w*|history|deprecat\w*|breaking|upgrad\w*|migrat\w*|(new|added|removed) in)\b|\bv?\d+\.\d+\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Ranked:
    chunk: Chunk
    score: float  # fused score; only its order means anything
    bm25: float  # the raw BM25 score (0 when only another list found it), for margins


@dataclass(frozen=True)
class Ranking:
    hits: list[Ranked]
    retrievers: str  # which lists were fused, for --explain: "bm25 + dense (all-MiniLM-L6-v2)"


def rank(
    question: str, chunks: list[Chunk], store: Store, dense: bool = True, dense_seconds: float | None = None
) -> Ranking:
    """Chunks relevant to `question`, best first; chunks no list found are left out.

    `dense=False` skips the embeddings (and loading their model) where BM25's scores are all
    a caller needs, such as judging whether retrieval is confident; `dense_seconds` caps what
    the embeddings may cost.
    """
    by_id = {c.id: c for c in chunks}
    code = any(kind_of(c.span.kind).identifiers for c in chunks)
    # Code is searched with the abbreviations it writes, other documents with a filing's names for a reader's words.
    terms = with_abbreviations(key_terms(question)) if code else key_terms(question) + expansions(question)
    bm25 = [(cid, s) for cid, s in store.search(terms, by_id_docs(chunks), CANDIDATES) if cid in by_id]
    skipped = DenseRanking([], "dense not needed")
    dense_ranking = dense_rank(question, chunks, store, CANDIDATES, dense_seconds) if dense else skipped
    raw = dict(bm25)
    fused: dict[str, float] = {}
    for r, (cid, _) in enumerate(bm25, start=1):
        fused[cid] = fused.get(cid, 0.0) + 1 / (RRF_K + r)
    for r, (cid, _) in enumerate(dense_ranking.scores, start=1):
        fused[cid] = fused.get(cid, 0.0) + kind_of(by_id[cid].span.kind).weights.dense / (RRF_K + r)
    _vote_answer_type(question, bm25, by_id, fused)
    _vote_statements(question, chunks, raw, fused)
    last = _weigh_docs(question, by_id, fused) if code else set()
    window = time_window(question, chat_days(chunks))
    inside = [c for c in chunks if window.contains(c)] if window is not None else []
    # A window holding most of the corpus ("after 2022") does not narrow; boosting it would
    # only sink the few passages outside it.
    if len(inside) * 2 <= len(chunks):
        for c in inside:
            fused[c.id] = fused.get(c.id, 0.0) + TIME_BOOST
    order = sorted(fused, key=lambda cid: (cid in last, -fused[cid], by_id[cid].doc_id, by_id[cid].ord))
    hits = [Ranked(by_id[cid], fused[cid], raw.get(cid, 0.0)) for cid in order]
    note = dense_ranking.note
    return Ranking(hits, f"bm25 + {note}" if dense_ranking.scores else f"bm25 only; {note}")


def _weigh_docs(question: str, by_id: dict[str, Chunk], fused: dict[str, float]) -> set[str]:
    """Beside code, prose files' chunks weighed down; the changelogs' ids, to rank after all else."""
    if ABOUT_CHANGES.search(question):
        return set()
    weights = {cid: kind_of(by_id[cid].span.kind).weights.beside_code for cid in fused}
    prose = [cid for cid, w in weights.items() if w < 1]
    for cid in prose:
        fused[cid] *= weights[cid]
    return {cid for cid in prose if is_changelog(by_id[cid].span.source)}


def _vote_answer_type(
    question: str, bm25: list[tuple[str, float]], by_id: dict[str, Chunk], fused: dict[str, float]
) -> None:
    kind = expected(question)
    if kind is None:
        return
    typed = [cid for cid, _ in bm25 if _answer_weight(by_id[cid]) and holds(kind, by_id[cid].text)]
    # When most passages hold such an answer (numbers in a results section) it singles out nothing.
    if len(typed) * 2 > len(by_id):
        return
    for r, cid in enumerate(typed, start=1):
        fused[cid] += _answer_weight(by_id[cid]) / (RRF_K + r)


def _answer_weight(chunk: Chunk) -> float:
    return kind_of(chunk.span.kind).weights.answer


def _vote_statements(question: str, chunks: list[Chunk], raw: dict[str, float], fused: dict[str, float]) -> None:
    tables = sorted(statement_chunks(asked_statements(question), chunks), key=lambda c: -raw.get(c.id, 0.0))
    for r, c in enumerate(tables, start=1):
        fused[c.id] = fused.get(c.id, 0.0) + STATEMENT_WEIGHT / (RRF_K + r)
    for r, c in enumerate(heading_chunks(question, chunks), start=1):
        fused[c.id] = fused.get(c.id, 0.0) + HEADING_WEIGHT / (RRF_K + r)
    rows = sorted(row_chunks(question, chunks), key=lambda row: (-row[1], -raw.get(row[0].id, 0.0)))
    for r, (c, _) in enumerate(rows, start=1):
        fused[c.id] = fused.get(c.id, 0.0) + ROW_WEIGHT / (RRF_K + r)


def by_id_docs(chunks: list[Chunk]) -> list[str]:
    return list(dict.fromkeys(c.doc_id for c in chunks))
