"""Time to a complete answer, this checkout against another commit, side by side in one run.

    git worktree add /tmp/lecto-before fb3b5ab
    python bench/answer_time.py --before /tmp/lecto-before --runs 3

Each question of the shared sets (papers, code, and every `--chat-every`-th chat question) is
asked with `lecto ask --json` in a fresh process, as a user's one-shot command: the other
commit's code, then this one's, alternating question by question so both see the same load.
Documents are parsed into each side's own cache (`--caches`) before the first timed run, so
every timed answer is a user's second question: `lecto ask --dry-run` of every question (parse,
count and rank, no model output, no time limit), then one full untimed ask a side for its
one-off costs (fb3b5ab measures the model's speed on its first answer). Warming by answering
every question cost fb3b5ab a free-form answer each, over an hour for papers, code and chat at
load 4-6. So the first timed run is the first time each question is answered; a side that
keeps prompt states on disk (fb3b5ab) answers runs 2 on from them. `--record` keeps each timed
ask's wall time and the JSON's timings (ingest_s, plan_s, ...), to tell which step moved.
The other commit runs from its worktree through
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
from dataclasses import asdict, dataclass
from pathlib import Path

from accuracy import code
from citations import chat_all, papers
from sides import package_folder

SETS = ("papers", "code", "chat")


def ask(source: str, question: str, env: dict[str, str], *flags: str, timeout: float | None = 600) -> Asked:
    start = time.perf_counter()
    done = subprocess.run(
        # -P: the working directory is not put first on sys.path, where a checkout's own lecto/ would
        # shadow the side's package folder on PYTHONPATH.
        [sys.executable, "-P", "-m", "lecto", "ask", "--json", *flags, source, question],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    wall = time.perf_counter() - start
    try:
        timings = json.loads(done.stdout).get("timings", {})
    except json.JSONDecodeError:
        timings = {}
    return Asked(wall, done.returncode, timings)


@dataclass(frozen=True)
class Asked:
    wall_s: float
    returncode: int
    timings: dict[str, float]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a worktree of the commit to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS), help="the sets to time")
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
    parser.add_argument("--record", type=Path, help="a JSON line per timed ask: side, set, run, wall, timings")
    args = parser.parse_args()
    every = {"papers": papers(100), "code": code(100), "chat": chat_all()[:: args.chat_every]}
    sets = {name: every[name] for name in SETS if name in args.sets}
    items = [(name, item) for name, set_items in sets.items() for item in set_items][: args.limit]
    base = {**os.environ, "NO_COLOR": "1"}
    sides = {
        "before": {**base, "PYTHONPATH": str(package_folder(args.before)), "LECTO_CACHE_DIR": str(args.caches[0])},
        "after": {**base, "LECTO_CACHE_DIR": str(args.caches[1])},
    }
    for side, env in sides.items():
        start = time.perf_counter()
        for _, item in items:
            ask(item.source, item.question, env, "--dry-run", timeout=None)  # the timed runs are second questions
        ask(items[0][1].source, items[0][1].question, env)
        print(f"{side} warmed in {time.perf_counter() - start:.0f} s", flush=True)
    times: dict[tuple[str, str], list[float]] = {(side, name): [] for side in sides for name in sets}
    record = args.record.open("w") if args.record else None
    for run in range(args.runs):
        for name, item in items:
            for side, env in sides.items():
                answer = ask(item.source, item.question, env)
                times[side, name].append(answer.wall_s)
                if record:
                    line = {"side": side, "set": name, "run": run + 1, "question": item.question, **asdict(answer)}
                    record.write(json.dumps(line) + "\n")
                    record.flush()
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
