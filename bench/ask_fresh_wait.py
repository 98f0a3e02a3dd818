"""`lecto ask --max-wait S` on a fresh cache: how long the whole first answer takes, this checkout against another.

    git worktree add --detach /tmp/lecto-before <commit>
    flock /tmp/lecto-bench.lock python bench/ask_fresh_wait.py --before /tmp/lecto-before --runs 3

Each run is `lecto ask --json --max-wait S` in a fresh process on a new cache folder (so it
reads the PDF, loads the model and measures its speed inside the wait), the two sides
alternating run by run so both see the same load. Prints one row a run: wall time, the time
from reading to the answer's end, the plan's share (the probe falls there), whether it
stopped at the limit, and whether the answer quotes the chunk size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sides import package_folder

PAPER = Path("/work/shared/corpus/papers/the-google-file-system.pdf")
QUESTION = "What chunk size does GFS use?"
_CHILD = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, sys.argv.pop(1))
from lecto.__main__ import run; sys.argv[0] = 'lecto'; run()
"""


def one(folder: Path, wait: float) -> dict[str, object]:
    cache = tempfile.mkdtemp(prefix="lecto-fresh-")
    args = ["ask", "--json", "--max-wait", str(wait), str(PAPER), QUESTION]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LECTO_CACHE_DIR": cache},
        check=False,
    )
    wall = time.perf_counter() - start
    out = json.loads(done.stdout)
    return {
        "wall_s": round(wall, 1),
        # From the start of reading (where the wait starts since 2026-12-03) to the end of the answer.
        "answer_s": round(out["timings"]["total_s"], 1),
        "plan_s": round(out["timings"].get("plan_s", 0.0), 1),
        "stopped": bool(out["notes"]),
        "64 MB": "64 MB" in (out["answer"] or ""),
        "load": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a worktree of the commit to compare with")
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parent.parent, help="default: here")
    parser.add_argument("--wait", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sides = {"before": package_folder(args.before), "after": package_folder(args.after)}
    for n in range(args.runs):
        for side, folder in sides.items():
            print(n + 1, side, one(folder, args.wait), flush=True)


if __name__ == "__main__":
    main()
