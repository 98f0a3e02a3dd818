"""Time to a complete answer, this checkout against another commit, side by side in one run.

    git worktree add /tmp/lecto-before fb3b5ab
    python bench/answer_time.py --before /tmp/lecto-before --runs 3

Each question of the shared sets (papers, code, and every `--chat-every`-th chat question) is
asked with `lecto ask --json` in a fresh process, as a user's one-shot command: the other
commit's code, then this one's, alternating question by question so both see the same load.
Documents are parsed into each side's own cache before the first timed run (a user's second
question). The other commit runs from its worktree through a package folder of symlinks put
first on PYTHONPATH, with this virtual environment's dependencies. The table gives the median
wall time per side over every run of every question, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from accuracy import code
from citations import chat_all, papers
from sides import package_folder


def ask(source: str, question: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lecto", "ask", "--json", source, question],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a worktree of the commit to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chat-every", type=int, default=100)
    parser.add_argument("--limit", type=int, default=1000, help="the first N questions only")
    parser.add_argument(
        "--caches", nargs=2, type=Path, metavar=("BEFORE", "AFTER"), help="caches already holding the documents"
    )
    args = parser.parse_args()
    items = [*papers(100), *code(100), *chat_all()[:: args.chat_every]][: args.limit]
    base = {**os.environ, "NO_COLOR": "1"}
    caches = args.caches or (Path("/tmp/lecto-time-before"), Path("/tmp/lecto-time-after"))
    sides = {
        "before": {**base, "PYTHONPATH": str(package_folder(args.before)), "LECTO_CACHE_DIR": str(caches[0])},
        "after": {**base, "LECTO_CACHE_DIR": str(caches[1])},
    }
    for env in sides.values() if args.caches is None else ():
        for item in items:
            ask(item.source, item.question, env)  # parse and count once: the timed runs are second questions
    times: dict[str, list[float]] = {side: [] for side in sides}
    for run in range(args.runs):
        for item in items:
            for side, env in sides.items():
                times[side].append(ask(item.source, item.question, env))
        print(
            f"run {run + 1}: " + json.dumps({s: round(statistics.median(t), 2) for s, t in times.items()}), flush=True
        )
    before, after = (statistics.median(times[s]) for s in ("before", "after"))
    print(f"{len(items)} questions x {args.runs} runs")
    print("| side | median s | runs |")
    print("| --- | --- | --- |")
    for side, t in times.items():
        print(f"| {side} | {statistics.median(t):.2f} | {len(t)} |")
    print(f"after / before: {after / before:.2f}")


if __name__ == "__main__":
    main()
