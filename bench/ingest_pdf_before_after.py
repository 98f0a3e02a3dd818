"""Cold PDF ingest, this tree against another commit, side by side in one run (issue 16's clean-up).

Each run reads the sources into a fresh cache in a fresh process, the two sides alternating so
that the load of a shared machine falls on both alike; the time is the child's own, from the
first import of lecto to the last page read.

git worktree add /tmp/lecto-before-pdf HEAD~N
python bench/ingest_pdf_before_after.py --before /tmp/lecto-before-pdf [--after WORKTREE] [--runs 3] SOURCE...
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from sides import package_folder

# CPU seconds too (the child's and its page-reading processes'): on a machine others share, wall
# time swings with their load, CPU time far less.
_CHILD = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from lecto.ingest import load_corpus
from lecto.store import Store
corpus = load_corpus(sys.argv[2:], Store(Path(sys.argv[1])))
cpu = sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
pages = sum(d.meta.get("pages", 0) for d in corpus.documents)
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": cpu, "pages": pages, "chunks": len(corpus.chunks)}))
"""


def ingest(sources: list[str], env: dict[str, str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as cache:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, cache, *sources],
            capture_output=True,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),  # not the checkout: its lecto/ would shadow the other side's
            check=True,
        )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a worktree of the commit to compare with")
    parser.add_argument("--after", type=Path, help="another worktree for the after side (default: this checkout)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("sources", nargs="+")
    args = parser.parse_args()
    sources = [str(Path(s).resolve()) for s in args.sources]
    after = {"PYTHONPATH": str(package_folder(args.after))} if args.after else {}
    sides = {"before": {**os.environ, "PYTHONPATH": str(package_folder(args.before))}, "after": os.environ | after}
    runs: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
    for run in range(args.runs):
        for side, env in sides.items():
            runs[side].append(ingest(sources, env))
            print(f"run {run + 1} {side}: {runs[side][-1]}", flush=True)
    print("| side | pages | chunks | median wall s | pages/s | median CPU s | wall runs (s) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for side, results in runs.items():
        seconds = [r["seconds"] for r in results]
        wall, cpu = statistics.median(seconds), statistics.median(r["cpu"] for r in results)
        pages, chunks = results[0]["pages"], results[0]["chunks"]
        shown = ", ".join(f"{s:.1f}" for s in seconds)
        print(f"| {side} | {pages:.0f} | {chunks:.0f} | {wall:.1f} | {pages / wall:.1f} | {cpu:.1f} | {shown} |")


if __name__ == "__main__":
    main()
