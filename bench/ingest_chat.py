"""Chat ingest speed on the shared chat logs: messages per second, cold and cached.

    python bench/ingest_chat.py --runs 5

Cold: a fresh cache, so the export is hashed, parsed, windowed and written to SQLite.
Cached: the same source again on a warm cache, so only the hash and the store lookup run.
Prints one row per export with the median of `--runs` runs each.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from lecto.ingest import load_corpus
from lecto.store import Store

CHAT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "chat"
EXPORTS = [
    "locomo-0.whatsapp.txt",
    "locomo-1.slack",
    "locomo-2.discord.json",
    "locomo-3.telegram.json",
    "locomo-4.jsonl",
]


def timed_load(source: Path, cache: Path) -> tuple[float, int, int]:
    """Seconds to load `source` through a store in `cache`, its messages and its windows."""
    store = Store(cache)
    start = time.perf_counter()
    doc = load_corpus([str(source)], store).documents[0]
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, doc.meta["messages"], len(doc.chunks)


def measure(source: Path, runs: int) -> tuple[int, int, float, float]:
    cold, cached = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, messages, windows = timed_load(source, Path(tmp))
            cold.append(seconds)
            cached.append(timed_load(source, Path(tmp))[0])
    return messages, windows, statistics.median(cold), statistics.median(cached)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| export | messages | windows | cold ms | cold msg/s | cached ms | cached msg/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals = [0, 0, 0.0, 0.0]
    for name in EXPORTS:
        messages, windows, cold, cached = measure(CHAT / name, args.runs)
        totals = [totals[0] + messages, totals[1] + windows, totals[2] + cold, totals[3] + cached]
        print(f"| {name} | {messages} | {windows} | {_row(messages, cold, cached)} |")
    print(f"| all five | {totals[0]} | {totals[1]} | {_row(int(totals[0]), totals[2], totals[3])} |")


def _row(messages: int, cold: float, cached: float) -> str:
    return f"{cold * 1000:.0f} | {messages / cold:,.0f} | {cached * 1000:.1f} | {messages / cached:,.0f}"


if __name__ == "__main__":
    main()
