"""Dense-embedding cost on this machine: model load, then passages embedded per second.

python bench/embed.py [--runs 3] [PDF]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from lecto.backends import ModelOptions
from lecto.context.dense import embed
from lecto.session import Session, Settings

PAPER = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "papers" / "the-google-file-system.pdf"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf", nargs="?", default=str(PAPER))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        session = Session(Settings(cache_dir=Path(cache), model=ModelOptions(None)))
        texts = [c.text for c in session.load([args.pdf], {}).chunks]
    start = time.perf_counter()
    embed(["warm-up"])
    print(f"model load + first call: {time.perf_counter() - start:.1f} s")
    rates = []
    for _ in range(args.runs):
        start = time.perf_counter()
        embed(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    print(f"{len(texts)} passages: median {statistics.median(rates):.1f} passages/s over {args.runs} runs")


if __name__ == "__main__":
    main()
