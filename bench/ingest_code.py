"""Repository ingest speed: files/s and MB/s over a source tree, cold cache vs second run.

The second run finds every file's hash by (path, size, mtime, inode) and every document in
the cache, so it measures the incremental path a user gets when re-asking about a repository.
Wall and CPU time are both reported, with the load average before and after: on a machine
shared with other work the CPU time is the steadier measure.

    python bench/ingest_code.py [ROOT] [--runs 3]     # ROOT defaults to the CPython stdlib
"""

from __future__ import annotations

import argparse
import os
import statistics
import sysconfig
import tempfile
import time
from pathlib import Path

from lecto.ingest import load_corpus
from lecto.store import Store


def timed(root: Path, cache: Path) -> tuple[float, float, int, int]:
    start, start_cpu = time.perf_counter(), time.process_time()
    store = Store(cache)
    corpus = load_corpus([str(root)], store)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    store.close()
    size = sum(Path(d.source).stat().st_size for d in corpus.documents)
    return elapsed, cpu, len(corpus.documents), size


def _runs(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.2f}" for t in times) + "]"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    cold: list[tuple[float, float]] = []
    warm: list[tuple[float, float]] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            t, cpu, files, size = timed(Path(args.root), Path(tmp))
            cold.append((t, cpu))
            t, cpu, _, _ = timed(Path(args.root), Path(tmp))
            warm.append((t, cpu))
    c, w = statistics.median(t for t, _ in cold), statistics.median(t for t, _ in warm)
    c_cpu, w_cpu = statistics.median(cpu for _, cpu in cold), statistics.median(cpu for _, cpu in warm)
    print(f"{args.root}: {files} documents, {size / 1e6:.1f} MB")
    print(f"cold   median {c:.1f} s, CPU {c_cpu:.1f} s ({files / c:.0f} files/s, {size / 1e6 / c:.2f} MB/s)")
    print(f"       runs {_runs([t for t, _ in cold])}, CPU {_runs([cpu for _, cpu in cold])}")
    print(f"cached median {w:.2f} s, CPU {w_cpu:.2f} s ({files / w:.0f} files/s)")
    print(f"       runs {_runs([t for t, _ in warm])}, CPU {_runs([cpu for _, cpu in warm])}")
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
