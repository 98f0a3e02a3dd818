"""Retrieve mode: BM25 from the store's FTS5 index, filled best-first, shown in document order.

Order-preserving packing (best passages chosen, then read in the order the document has
them) reads better to a model than score order, and keeps neighbouring text together.
"""

from __future__ import annotations

from lecto.data import Chunk, Selected
from lecto.store import Store
from lecto.terms import key_terms

# Candidates looked at per question; far more than any budget holds, so packing chooses.
CANDIDATES = 200


def select_retrieve(
    question: str, chunks: list[Chunk], budget: int, store: Store, header_tokens: int
) -> list[Selected]:
    by_id = {c.id: c for c in chunks}
    doc_ids = {c.doc_id for c in chunks}
    hits = [cid for cid, _ in store.search(key_terms(question), doc_ids, CANDIDATES) if cid in by_id]
    chosen: set[str] = set()
    used = 0
    for cid in hits:
        cost = by_id[cid].tokens + header_tokens
        if used + cost <= budget:
            chosen.add(cid)
            used += cost
    return [Selected(c, c.text, c.tokens) for c in chunks if c.id in chosen]
