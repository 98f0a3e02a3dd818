"""Chat ingest speed, this checkout against another commit, side by side in one run.

    git worktree add /tmp/lecto-before-chat HEAD
    python bench/ingest_chat_sides.py --before /tmp/lecto-before-chat --runs 3

Each run loads every shared chat export cold (a fresh cache: hash, parse, window, write to
SQLite) and cached (the same again), as bench/ingest_chat.py does, in a fresh process per side,
the sides alternating run by run so both see the same load. The other commit is imported from its
worktree (its own package folder of symlinks, ahead of this checkout's editable install). The
table gives the median over runs of each export's cold and cached milliseconds on both sides,
and of the ingester's parse alone (no hash, no SQLite), the part this code decides.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sides import package_folder

INNER_RUNS = 5  # loads per export in one process, its median taken: one load is a few milliseconds
PARSE_RUNS = 21


def child(tree: Path | None) -> None:
    if tree is not None:
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
        sys.path.insert(0, str(package_folder(tree)))
    from ingest_chat import CHAT, EXPORTS, measure

    import lecto.ingest

    print(lecto.ingest.__file__, file=sys.stderr)  # which side's code ran, for the record
    print(json.dumps({name: [*measure(CHAT / name, INNER_RUNS)[2:], _parse(CHAT / name)] for name in EXPORTS}))


def _parse(source: Path) -> float:
    """Seconds for the ingester's `parse` alone (no hash, no store), median of `PARSE_RUNS`."""
    from lecto.ingest.registry import HEAD_BYTES, detect, detect_folder

    reader = detect_folder(source) if source.is_dir() else detect(source, source.read_bytes()[:HEAD_BYTES])
    assert reader is not None
    times = []
    for _ in range(PARSE_RUNS):
        start = time.perf_counter()
        reader.parse(source, str(source))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, help="a worktree of the commit to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.tree)
        return
    sides = {"before": ["--tree", str(args.before)], "after": []}
    times: dict[str, list[dict[str, list[float]]]] = {side: [] for side in sides}
    for _ in range(args.runs):
        for side, extra in sides.items():
            command = [sys.executable, __file__, "--child", *extra]
            out = subprocess.run(command, capture_output=True, text=True, check=True)
            print(f"{side}: {out.stderr.strip()}", file=sys.stderr)
            times[side].append(json.loads(out.stdout))
    columns = [f"{what} ms {side}" for what in ("cold", "cached", "parse") for side in sides]
    print("| export | " + " | ".join(columns) + " |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in times["after"][0]:
        cells = [_median(times[side], name, i) * 1000 for i in (0, 1, 2) for side in sides]
        print(f"| {name} | " + " | ".join(f"{c:.1f}" for c in cells) + " |")
    total = [sum(_median(times[s], n, i) for n in times[s][0]) * 1000 for i in (0, 1, 2) for s in sides]
    print("| all five | " + " | ".join(f"{c:.1f}" for c in total) + " |")


def _median(runs: list[dict[str, list[float]]], name: str, column: int) -> float:
    return statistics.median(run[name][column] for run in runs)


if __name__ == "__main__":
    main()
