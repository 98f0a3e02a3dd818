"""Retrieve mode: the best-ranked chunks and their neighbours, within the budget.

Packing fills the budget. More passages are said to hurt a small model past a point (hard
negatives crowd out the evidence); with the bundled model the measurements disagree by corpus
and are too small to set a cut-off on (answers right at 1K / 2K / 4K: papers 4/8, 3/8, 5/8;
chat 4/20, 3/20, 1/20; docs/BENCHMARKS.md), so no score threshold drops passages that fit. On
a CPU, auto's --max-wait bounds the budget first.
"""

from __future__ import annotations

from lecto.context.modes import Choice, OneCall, Request, Selection, asked, register_mode
from lecto.context.pack import Packer
from lecto.context.rank import Ranked
from lecto.data import Chunk, Mode, Selected

# Neighbours of this many top hits are added: evidence often spills over a chunk boundary.
NEIGHBOUR_HITS = 3


@register_mode(Mode.RETRIEVE)
class Retrieve(OneCall):
    ranked = True
    quoted = True
    cycled = True

    def requested(self, total: int, cost: int, budget: int) -> Choice:
        return asked(Mode.RETRIEVE, budget)

    def select(self, request: Request) -> Selection:
        return Selection(best(request.ranked, request.chunks, request.choice.budget))


def best(ranked: list[Ranked], chunks: list[Chunk], budget: int) -> list[Selected]:
    """The best-ranked chunks that fit `budget`, with the top hits' neighbours, in document order."""
    packer = Packer(budget)
    for r in ranked:
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
