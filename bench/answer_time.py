"""Time to a complete answer, this checkout against another commit, side by side in one run.

    git worktree add /tmp/lecto-before fb3b5ab
    python bench/answer_time.py --before /tmp/lecto-before --runs 3

Each question of the shared sets (papers, code, and every `--chat-every`-th chat question) is
asked with `lecto ask --json` in a fresh process, as a user's one-shot command: the other
commit's code, then this one's, alternating question by question so both see the same load.
Documents are parsed into each side's own cache (`--caches`) before the first timed run, so
every timed answer is a user's second question. The other commit runs from its worktree through
a package folder of symlinks put first on PYTHONPATH, with this virtual environment's
dependencies. The table gives the median
wall time per side over every run of every question of each set and of all, and the ratio.
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
        # -P: the working directory is not put first on sys.path, where a checkout's own lecto/ would
        # shadow the side's package folder on PYTHONPATH.
        [sys.executable, "-P", "-m", "lecto", "ask", "--json", source, question],
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
        "--caches",
        nargs=2,
        type=Path,
        default=(Path("/tmp/lecto-time-before"), Path("/tmp/lecto-time-after")),
        metavar=("BEFORE", "AFTER"),
        help="each side's cache; the documents are parsed into it before the timed runs",
    )
    args = parser.parse_args()
    sets = {"papers": papers(100), "code": code(100), "chat": chat_all()[:: args.chat_every]}
    items = [(name, item) for name, set_items in sets.items() for item in set_items][: args.limit]
    base = {**os.environ, "NO_COLOR": "1"}
    sides = {
        "before": {**base, "PYTHONPATH": str(package_folder(args.before)), "LECTO_CACHE_DIR": str(args.caches[0])},
        "after": {**base, "LECTO_CACHE_DIR": str(args.caches[1])},
    }
    for env in sides.values():
        for _, item in items:
            ask(item.source, item.question, env)  # parse and count once: the timed runs are second questions
    times: dict[tuple[str, str], list[float]] = {(side, name): [] for side in sides for name in sets}
    for run in range(args.runs):
        for name, item in items:
            for side, env in sides.items():
                times[side, name].append(ask(item.source, item.question, env))
        print(f"run {run + 1}: " + json.dumps({s: round(median(times, s), 2) for s in sides}), flush=True)
    print(f"{len(items)} questions x {args.runs} runs")
    print("| set | questions | before median s | after median s | after / before |")
    print("| --- | --- | --- | --- | --- |")
    for name in [*sets, None]:
        asked = sum(1 for n, _ in items if name in (None, n))
        if asked:
            before, after = median(times, "before", name), median(times, "after", name)
            print(f"| {name or 'all'} | {asked} | {before:.2f} | {after:.2f} | {after / before:.2f} |")


def median(times: dict[tuple[str, str], list[float]], side: str, name: str | None = None) -> float:
    """The median over every run of every question of one set (all sets for None) on one side."""
    return statistics.median(t for (s, n), ts in times.items() if s == side and name in (None, n) for t in ts)


if __name__ == "__main__":
    main()
