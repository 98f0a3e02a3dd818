"""Okapi BM25 exactly as SQLite's FTS5 computes it (`bm25()` in ext/fts5/fts5_aux.c), but
over statistics the caller chooses: the store passes those of one corpus, so a corpus ranks
the same whatever else the cache holds.

Each phrase of an OR query scores on its own (two words that stem alike are two phrases,
as in FTS5), and the operations run in FTS5's order, so for the same statistics the scores
are the same doubles.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# FTS5's constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# FTS5's floor for the IDF of a phrase in over half the rows, where the formula goes negative.
MIN_IDF = 1e-6


def idf(rows: int, hits: int) -> float:
    """The IDF of a phrase found in `hits` of `rows` rows."""
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else MIN_IDF


@dataclass(frozen=True)
class Size:
    """What the statistics cover: rows, and the tokens in all of them."""

    rows: int
    tokens: int


def scores(freqs: Sequence[Mapping[str, int]], lengths: Mapping[str, int], size: Size) -> dict[str, float]:
    """Each row's score for an OR of phrases.

    `freqs` holds, per phrase in query order, how often it occurs in each row it occurs in
    (among the rows `size` counts); `lengths` holds those rows' token counts.
    """
    avgdl = size.tokens / size.rows
    norms = {row: K1 * (1 - B + B * n / avgdl) for row, n in lengths.items()}
    out: dict[str, float] = {}
    for found in freqs:
        weight = idf(size.rows, len(found))
        for row, tf in found.items():
            out[row] = out.get(row, 0.0) + weight * ((tf * (K1 + 1.0)) / (tf + norms[row]))
    return out
