"""Filling a token budget with whole chunks: best first, then shown in document order.

Order-preserving packing (best passages chosen, then read in the order the documents have
them) reads better to a model than score order and keeps neighbouring text together.
"""

from __future__ import annotations

from dataclasses import dataclass

from lecto.data import Chunk, Selected


@dataclass
class Packer:
    budget: int
    used: int = 0

    def __post_init__(self) -> None:
        self.chosen: dict[str, Chunk] = {}
        self._texts: set[str] = set()

    def add(self, chunk: Chunk) -> bool:
        """Take the chunk if it fits and says something not already taken; True if taken."""
        cost = chunk.tokens + chunk.header_tokens
        key = " ".join(chunk.text.split())
        if chunk.id in self.chosen or key in self._texts or self.used + cost > self.budget:
            return False
        self.chosen[chunk.id] = chunk
        self._texts.add(key)
        self.used += cost
        return True

    def in_document_order(self, chunks: list[Chunk]) -> list[Selected]:
        return [Selected(c, c.text, c.tokens) for c in chunks if c.id in self.chosen]


def first_tokens(chunks: list[Chunk], budget: int) -> list[Selected]:
    """The corpus from its start until the budget is full: the baseline every mode must beat."""
    packer = Packer(budget)
    for c in chunks:
        if c.tokens + c.header_tokens + packer.used > budget:
            break
        packer.add(c)
    return packer.in_document_order(chunks)
