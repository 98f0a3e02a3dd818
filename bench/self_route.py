"""Self-Route escalation, measured before it is trusted: when the answer over the retrieved
context is "not found", widen the context and ask again.

    python bench/self_route.py --limit 3 --budget 1024 --wide 4096

Chat dev questions, answerable and unanswerable alternating (bench/citations.py's sample).
Per item: retrieve at `--budget`, answer; if the result is `not_found` (the model said so,
or nothing it said is supported), plan again at `--wide` tokens and answer once more.
Reported: accuracy on answerable items and correct "not found" on unanswerable ones, with
and without the escalation, how often it escalated, and the seconds it added. lecto does not
escalate: this run is why (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from citations import chat, score

from lecto.backends import ModelOptions
from lecto.data import Mode, Status
from lecto.session import Session, Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=3, help="items of each kind")
    parser.add_argument("--budget", type=int, default=1024)
    parser.add_argument("--wide", type=int, default=4096)
    parser.add_argument("--cache-dir", default="/tmp/lecto-bench")
    args = parser.parse_args()
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(spec=None)))
    rows = []
    for item in chat(args.limit):
        corpus = session.load([item.source], {})
        start = time.perf_counter()
        narrow_plan = session.plan(item.question, corpus, Mode.RETRIEVE, args.budget, {})
        first = session.answer(item.question, narrow_plan, lambda _: None, {})
        narrow = time.perf_counter() - start
        final, extra = first, 0.0
        if first.status is Status.NOT_FOUND:
            start = time.perf_counter()
            wide = session.plan(item.question, corpus, Mode.RETRIEVE, args.wide, {})
            final = session.answer(item.question, wide, lambda _: None, {})
            extra = time.perf_counter() - start
        row = {
            "unanswerable": item.unanswerable,
            "before": score(item, first)["accurate"],
            "after": score(item, final)["accurate"],
            "escalated": first.status is Status.NOT_FOUND,
            "seconds": round(narrow, 1),
            "extra_seconds": round(extra, 1),
        }
        rows.append(row)
        print(json.dumps({"question": item.question, **row}), file=sys.stderr, flush=True)
    for unanswerable in (False, True):
        rs = [r for r in rows if r["unanswerable"] is unanswerable]
        what = "unanswerable (right = not found)" if unanswerable else "answerable (right = accepted string)"
        print(
            f"| {what} | {len(rs)} | {sum(bool(r['before']) for r in rs)} | {sum(bool(r['after']) for r in rs)} | "
            f"{sum(bool(r['escalated']) for r in rs)} | {sum(float(r['extra_seconds']) for r in rs):.0f} |"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    main()
