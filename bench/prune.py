"""Token pruning by self-information (`--prune-ratio`) against extractive compression.

    python bench/prune.py --limit 4 --input 1024 --ratio 4

For each paper question whose evidence the retrieve plan at `--input` tokens holds, both
methods cut that plan to about 1/ratio: extractive compression (compress mode's sentence
selection at a budget of input/ratio) and token pruning (the likeliest quote sentences kept,
the rest cut to 1/ratio by the bundled model's log-probs). Reported: evidence still in the
text, tokens kept, and milliseconds per 1K input tokens (pruning pays a scoring pre-fill).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from citations import papers

from lecto.backends import ModelOptions
from lecto.context.compress import CompressOptions, compress
from lecto.context.prune import PruneOptions, prune_plan
from lecto.context.rank import rank
from lecto.context.tokens import count_corpus
from lecto.data import Mode, Plan
from lecto.session import Session, Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=4)
    parser.add_argument("--input", type=int, default=1024)
    parser.add_argument("--ratio", type=float, default=4)
    parser.add_argument("--cache-dir", default="/tmp/lecto-bench")
    args = parser.parse_args()
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(spec=None)))
    results: dict[str, list[tuple[bool, int, float]]] = {"compress": [], "prune": []}
    for item in papers(100):
        if len(results["prune"]) == args.limit:
            break
        corpus = session.load([item.source], {})
        plan = session.plan(item.question, corpus, Mode.RETRIEVE, args.input, {})

        if not holds(plan, item.evidence[0]):
            continue
        chunks = count_corpus(corpus, session.backend, session.store)
        planned = {s.chunk.id for s in plan.selected}
        ranked = [r for r in rank(item.question, chunks, session.store, dense=False).hits if r.chunk.id in planned]
        start = time.perf_counter()
        options = CompressOptions(int(plan.sent_tokens / args.ratio))
        small = Plan(Mode.COMPRESS, "", 0, 0, compress(item.question, ranked, chunks, options, session.backend))
        results["compress"].append((holds(small, item.evidence[0]), small.sent_tokens, _per_1k(start, plan)))
        start = time.perf_counter()
        pruned = prune_plan(item.question, plan, PruneOptions(args.ratio), session.scorer, session.backend)
        results["prune"].append((holds(pruned, item.evidence[0]), pruned.sent_tokens, _per_1k(start, plan)))
        print(item.question, plan.sent_tokens, results["compress"][-1], results["prune"][-1], flush=True)
    print(f"| method | questions | evidence kept | tokens kept (of {args.input}) | ms per 1K input tokens |")
    print("| --- | --- | --- | --- | --- |")
    for name, rows in results.items():
        kept = sum(r[0] for r in rows)
        tokens = statistics.mean(r[1] for r in rows)
        ms = statistics.median(r[2] for r in rows)
        print(f"| {name} {args.ratio:g}× | {len(rows)} | {kept}/{len(rows)} | {tokens:.0f} | {ms:.0f} |")


def holds(plan: Plan, evidence: str) -> bool:
    return any(re.search(evidence, " ".join(s.text.split()), re.IGNORECASE) for s in plan.selected)


def _per_1k(start: float, plan: Plan) -> float:
    return 1000 * (time.perf_counter() - start) / (plan.sent_tokens / 1000)


if __name__ == "__main__":
    main()
