"""Plan latency per mode on a ~100K-token corpus (papers) and a cached ~1M-token one
(standard-library packages), and extractive compression of a 16K-token context.

Medians of `--runs` runs after one warm-up; ingest and token counting are cached first, as
they are for a user's second question.

    python bench/latency.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sysconfig
import time
from pathlib import Path

from recall import CORPUS

from lecto.backends import ModelOptions
from lecto.context import PlanOptions, plan
from lecto.context.compress import CompressOptions, compress
from lecto.context.planner import SOURCE_HEADER_TOKENS
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


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache-dir", default="/tmp/lecto-bench")
    args = ap.parse_args()
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(None)))
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    small = session.load([str(CORPUS / "papers" / f"{p}.pdf") for p in PAPERS], {})
    large = session.load([str(stdlib / p) for p in STDLIB if (stdlib / p).exists()], {})
    for name, corpus in (("papers", small), ("stdlib", large)):
        tokens = sum(c.tokens for c in count_corpus(corpus, session.backend, session.store))
        for mode in (Mode.RETRIEVE, Mode.COMPRESS, Mode.AUTO):
            ms = median_ms(
                lambda m=mode, c=corpus: plan(QUESTION, c, PlanOptions(m, 4096), session.backend, session.store),
                args.runs,
            )
            print(f"| {name} ({tokens // 1000}K tokens) | {mode.value} 4K | {ms:.0f} ms |")
    _compress_16k(session, small, args.runs)


def _compress_16k(session: Session, corpus: Corpus, runs: int) -> None:
    chunks = count_corpus(corpus, session.backend, session.store)
    ranked, total = [], 0
    for r in rank(QUESTION, chunks, session.store):
        if total + r.chunk.tokens > 16384:
            break
        ranked.append(r)
        total += r.chunk.tokens
    ratio = 4
    options = CompressOptions(total // ratio, SOURCE_HEADER_TOKENS)
    ms = median_ms(lambda: compress(QUESTION, ranked, chunks, options, session.backend), runs)
    print(f"| compress {total} tokens to {total // ratio} | {ratio}× | {ms:.0f} ms |")


if __name__ == "__main__":
    main()
