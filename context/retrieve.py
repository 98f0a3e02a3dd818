"""Retrieve mode: the best-ranked chunks and their neighbours, within the budget.

Past a point more passages hurt a small model (hard negatives crowd out the evidence), so
packing stops where the BM25 score falls far below the best one, even with budget left.
"""

from __future__ import annotations

from dataclasses import dataclass

from lecto.context.pack import Packer
from lecto.context.rank import Ranked
from lecto.data import Chunk, Selected

# A passage scoring below this share of the best BM25 score is more likely noise than evidence.
STOP_SHARE = 0.0
# Neighbours of this many top hits are added: evidence often spills over a chunk boundary.
NEIGHBOUR_HITS = 3


@dataclass(frozen=True)
class RetrieveOptions:
    budget: int
    header_tokens: int


def select_retrieve(ranked: list[Ranked], chunks: list[Chunk], options: RetrieveOptions) -> list[Selected]:
    packer = Packer(options.budget, options.header_tokens)
    top = ranked[0].bm25 if ranked else 0.0
    for r in ranked:
        if top > 0 and r.bm25 < STOP_SHARE * top:
            break
        packer.add(r.chunk)
    _add_neighbours(packer, ranked[:NEIGHBOUR_HITS], chunks)
    return packer.in_document_order(chunks)


def _add_neighbours(packer: Packer, hits: list[Ranked], chunks: list[Chunk]) -> None:
    position = {c.id: i for i, c in enumerate(chunks)}
    for r in hits:
        i = position[r.chunk.id]
        for j in (i + 1, i - 1):
            if 0 <= j < len(chunks) and chunks[j].doc_id == r.chunk.doc_id:
                packer.add(chunks[j])
