"""Plan latency per mode on a ~100K-token corpus (papers) and a cached ~1M-token one
(standard-library packages), and extractive compression of a 16K-token context.

Medians of `--runs` runs after one warm-up; ingest and token counting are cached first, as
they are for a user's second question. "first question" plans right after each fresh load
of the cached corpus (token counts read back from the store, as a new `lecto ask` does);
the other rows re-plan the same loaded corpus (the TUI, `--questions`). Each row gives wall
time and this process's CPU time: on a machine shared with other work (the load average is
printed before and after) the CPU time is the steadier of the two.

    python bench/latency.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sysconfig
import time
from pathlib import Path

from recall import CORPUS

from lecto.backends import ModelOptions
from lecto.context.compress import CompressOptions, compress
from lecto.context.planner import PlanOptions, plan
from lecto.context.rank import rank
from lecto.context.tokens import count_corpus
from lecto.data import Corpus, Mode
from lecto.session import Session, Settings

PAPERS = [
    "the-google-file-system",
    "bigtable-a-distributed-storage-system-for-structured-data",
    "dynamo-amazons-highly-available-key-value-store",
    "spanner-googles-globally-distributed-database",
    "the-chubby-lock-service-for-loosely-coupled-distributed-systems",
]
STDLIB = [
    "asyncio",
    "email",
    "multiprocessing",
    "unittest",
    "http",
    "json",
    "logging",
    "xml",
    "urllib",
    "concurrent",
    "importlib",
    "tomllib",
    "ctypes",
    "sqlite3",
    "idlelib",
    "lib2to3",
    "pydoc_data",
    "test/libregrtest",
]
QUESTION = "How does the primary replica decide the order of concurrent mutations?"


def median_ms(fn, runs: int, warm_up: bool = True) -> str:  # type: ignore[no-untyped-def]
    """Median wall and CPU milliseconds of `fn()`, as a table cell."""
    if warm_up:
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return f"{1000 * statistics.median(wall):.0f} ms | {1000 * statistics.median(cpu):.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache-dir", default="/tmp/lecto-bench")
    args = ap.parse_args()
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(None)))
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    papers = [str(CORPUS / "papers" / f"{p}.pdf") for p in PAPERS]
    packages = [str(stdlib / p) for p in STDLIB if (stdlib / p).exists()]
    small = session.load(papers, {})
    large = session.load(packages, {})
    for name, corpus, sources in (("papers", small, papers), ("stdlib", large, packages)):
        tokens = sum(c.tokens for c in count_corpus(corpus, session.backend, session.store))
        for mode in (Mode.RETRIEVE, Mode.COMPRESS, Mode.AUTO):
            cell = median_ms(
                lambda m=mode, c=corpus: plan(QUESTION, c, PlanOptions(m, 4096), session.backend, session.store),
                args.runs,
            )
            print(f"| {name} ({tokens // 1000}K tokens) | {mode.value} 4K | {cell} |")
        cell = _first_question_ms(session, sources, args.runs)
        print(f"| {name} ({tokens // 1000}K tokens) | auto 4K, first question | {cell} |")
    _compress_16k(session, small, args.runs)
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def _first_question_ms(session: Session, sources: list[str], runs: int) -> str:
    corpora = iter([session.load(sources, {}) for _ in range(runs)])
    return median_ms(
        lambda: plan(QUESTION, next(corpora), PlanOptions(Mode.AUTO, 4096), session.backend, session.store),
        runs,
        warm_up=False,
    )


def _compress_16k(session: Session, corpus: Corpus, runs: int) -> None:
    chunks = count_corpus(corpus, session.backend, session.store)
    ranked, total = [], 0
    for r in rank(QUESTION, chunks, session.store).hits:
        if total + r.chunk.tokens > 16384:
            break
        ranked.append(r)
        total += r.chunk.tokens
    ratio = 4
    options = CompressOptions(total // ratio)
    cell = median_ms(lambda: compress(QUESTION, ranked, chunks, options, session.backend), runs)
    print(f"| compress {total} tokens to {total // ratio} | {ratio}× | {cell} |")


if __name__ == "__main__":
    main()
