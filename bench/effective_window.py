"""How much of its window the default model reads well: answer accuracy in full mode as the
context grows around the evidence.

    python bench/effective_window.py --limit 5 --lengths 512,1024,2048,4096,6144

For each answerable paper question, the context is the passage holding the evidence followed
by the passages after it in document order, cut at each length; the model answers in full
mode and the accepted string must be in the answer (`../shared/corpus` rules). The evidence
comes first, so it lies ever further from the question as the context grows (the hard case),
and each longer prompt starts with the shorter one's passages, so llama.cpp reuses their
pre-fill and a run costs about one pre-fill of the longest context per question.
context/window.py's effective share comes from this table.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from citations import Item, papers, score

from lecto.backends import ModelOptions
from lecto.context.tokens import count_corpus
from lecto.data import Chunk, Mode, Plan, Selected
from lecto.session import Session, Settings


def context(chunks: list[Chunk], item: Item, tokens: int) -> list[Selected] | None:
    """The evidence passage and those after it, up to `tokens`; None if the paper has too few after it."""
    start = next((i for i, c in enumerate(chunks) if _holds(item, c.text)), None)
    if start is None:
        return None
    out, used = [], 0
    for c in chunks[start:]:
        if used + c.tokens + c.header_tokens > tokens:
            return out
        out.append(Selected(c, c.text, c.tokens))
        used += c.tokens + c.header_tokens
    return None


def _holds(item: Item, text: str) -> bool:
    return any(re.search(e, " ".join(text.split()), re.IGNORECASE) for e in item.evidence)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", default="512,1024,2048,4096,6144")
    parser.add_argument("--limit", type=int, default=5, help="questions whose paper is long enough")
    parser.add_argument("--skip", type=int, default=0, help="eligible questions to pass over (resume a run)")
    parser.add_argument("--cache-dir", default="/tmp/lecto-bench")
    args = parser.parse_args()
    lengths = [int(n) for n in args.lengths.split(",")]
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(spec=None)))
    right = {n: 0 for n in lengths}
    asked = 0
    start = time.perf_counter()
    for item in papers(100):
        chunks = count_corpus(session.load([item.source], {}), session.backend, session.store)
        plans = [context(chunks, item, n) for n in lengths]
        if any(p is None for p in plans) or asked == args.limit:
            continue
        if args.skip:
            args.skip -= 1
            continue
        asked += 1
        for n, selected in zip(lengths, plans, strict=True):
            plan = Plan(Mode.FULL, f"{n} tokens from the evidence on", n, 0, selected)  # type: ignore[arg-type]
            row = score(item, session.answer(item.question, plan, lambda _: None, {}))
            right[n] += bool(row["accurate"])
            print(json.dumps({"tokens": n, **row}, ensure_ascii=False), file=sys.stderr, flush=True)
    print(f"{asked} questions, {time.perf_counter() - start:.0f} s")
    print("| context tokens | " + " | ".join(str(n) for n in lengths) + " |")
    print("| --- |" + " --- |" * len(lengths))
    print("| accurate | " + " | ".join(f"{right[n]}/{asked}" for n in lengths) + " |")


if __name__ == "__main__":
    main()
