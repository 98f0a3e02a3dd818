"""Token counts of real plans over 8K, 32K and 128K-token corpora, for the GPU pre-fill benchmark.

The GPU run (bench/gpu_prefill.py) times a 7B model on sequences of these lengths; the
lengths come from lecto's own planner over the shared papers, so full, compress and
retrieve are compared on what they would really send. Counts are in the bundled model's
tokens, which stand in for the 7B model's (both are BPE tokenizers of similar granularity).

    python bench/backends_plans.py > bench/gpu_plans.json
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from lecto.backends import ModelOptions
from lecto.context.planner import PlanOptions, plan
from lecto.data import Corpus, Mode
from lecto.errors import LectoError
from lecto.session import Session, Settings

PAPERS = Path("/work/shared/corpus/papers")
QUESTION = "How does the system recover when a server holding a tablet or chunk fails?"
SIZES = (8_192, 32_768, 131_072)
# What a user picks to answer fast: a compressed view twice an 8K window, retrieval in one.
BUDGETS = {Mode.COMPRESS: 16_384, Mode.RETRIEVE: 8_192}


def truncated(corpus: Corpus, session: Session, tokens: int) -> Corpus:
    """The corpus's first documents, cut at a chunk boundary near `tokens`."""
    documents, total = [], 0
    for doc in corpus.documents:
        kept = []
        for chunk in doc.chunks:
            cost = session.backend.count_tokens(chunk.text)
            if total + cost > tokens:
                break
            kept.append(chunk)
            total += cost
        if kept:
            documents.append(dataclasses.replace(doc, chunks=kept))
        if total + 512 > tokens:
            break
    return Corpus(documents)


def readable(session: Session, path: Path) -> list:
    try:
        return session.load([str(path)], {}).documents
    except LectoError as e:
        print(f"skipped: {e}", file=sys.stderr)
        return []


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        session = Session(Settings(cache_dir=Path(cache), model=ModelOptions(spec=None)))
        corpus = Corpus([d for p in sorted(PAPERS.glob("*.pdf")) for d in readable(session, p)])
        rows = []
        for size in SIZES:
            part = truncated(corpus, session, size)
            full = plan(QUESTION, part, PlanOptions(Mode.FULL, budget=size * 2), session.backend, session.store)
            rows.append({"corpus": size, "mode": "full", "tokens": full.sent_tokens})
            for mode, budget in BUDGETS.items():
                chosen = plan(QUESTION, part, PlanOptions(mode, budget=budget), session.backend, session.store)
                rows.append({"corpus": size, "mode": mode.value, "tokens": chosen.sent_tokens})
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
