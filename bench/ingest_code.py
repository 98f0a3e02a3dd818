"""Repository ingest speed: files/s and MB/s over a source tree, cold cache vs second run.

The second run finds every file's hash by (path, size, mtime, inode) and every document in
the cache, so it measures the incremental path a user gets when re-asking about a repository.

    python bench/ingest_code.py [ROOT] [--runs 3]     # ROOT defaults to the CPython stdlib
"""

from __future__ import annotations

import argparse
import statistics
import sysconfig
import tempfile
import time
from pathlib import Path

from lecto.ingest import load_corpus
from lecto.store import Store


def timed(root: Path, cache: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    store = Store(cache)
    corpus = load_corpus([str(root)], store)
    elapsed = time.perf_counter() - start
    store.close()
    size = sum(Path(d.source).stat().st_size for d in corpus.documents)
    return elapsed, len(corpus.documents), size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            t, files, size = timed(Path(args.root), Path(tmp))
            cold.append(t)
            warm.append(timed(Path(args.root), Path(tmp))[0])
    c, w = statistics.median(cold), statistics.median(warm)
    print(f"{args.root}: {files} documents, {size / 1e6:.1f} MB")
    print(f"cold   median {c:.1f} s  ({files / c:.0f} files/s, {size / 1e6 / c:.2f} MB/s)  runs {cold}")
    print(f"cached median {w:.2f} s  ({files / w:.0f} files/s)  runs {warm}")


if __name__ == "__main__":
    main()
