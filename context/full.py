"""Full mode: the whole corpus in document order, when it fits."""

from __future__ import annotations

from lecto.data import Chunk, Selected


def select_full(chunks: list[Chunk]) -> list[Selected]:
    return [Selected(c, c.text, c.tokens) for c in chunks]
