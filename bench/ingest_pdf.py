"""PDF ingest speed: pages/s on the shared papers and on one ~1,000-page PDF made of them, cold vs cached.

python bench/ingest_pdf.py [--runs 3] [--pages 1000]   (--pages 0: the papers only)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from lecto.ingest import load_corpus
from lecto.store import Store

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "papers"


def readable_papers() -> list[Path]:
    return [p for p in sorted(PAPERS.glob("*.pdf")) if not p.name.startswith("a-hundred")]  # that one is scanned


def concatenated(papers: list[Path], pages: int, out: Path) -> Path:
    writer = PdfWriter()
    while len(writer.pages) < pages:
        for paper in papers:
            for page in PdfReader(paper).pages:
                if len(writer.pages) < pages:
                    writer.add_page(page)
    writer.write(out)
    return out


def measure(sources: list[Path], runs: int) -> tuple[float, float, int]:
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            for bucket in (cold, warm):
                start = time.perf_counter()
                corpus = load_corpus([str(s) for s in sources], Store(Path(tmp)))
                bucket.append(time.perf_counter() - start)
    pages = sum(d.meta["pages"] for d in corpus.documents)
    return statistics.median(cold), statistics.median(warm), pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", type=int, default=1000)
    args = ap.parse_args()
    papers = readable_papers()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("15 papers", papers)]
        if args.pages:
            runs.append((f"{args.pages}-page PDF", [concatenated(papers, args.pages, Path(tmp) / "big.pdf")]))
        for name, sources in runs:
            cold, warm, pages = measure(sources, args.runs)
            print(f"{name}: {pages} pages, cold {cold:.1f} s ({pages / cold:.1f} pages/s), cached {warm:.2f} s")


if __name__ == "__main__":
    main()
