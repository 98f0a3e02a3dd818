"""OCR speed: seconds per scanned page with `--ocr`, cold (fresh cache) vs cached, per OCR engine.

python bench/ingest_ocr.py [--runs 3] [--pages 5]

Reads the first PAGES pages of the shared scanned paper. The engine is picked the way lecto
picks it, from PATH: once as installed (ocrmypdf), once with only tesseract and ghostscript.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from lecto.ingest import load_corpus
from lecto.ingest.ocr import find_engine
from lecto.ingest.registry import IngestOptions
from lecto.store import Store

SCANNED = (
    Path(__file__).resolve().parents[2]
    / "shared/corpus/papers/a-hundred-impossibility-proofs-for-distributed-computing.pdf"
)


def first_pages(count: int, out: Path) -> Path:
    writer = PdfWriter()
    for page in PdfReader(SCANNED).pages[:count]:
        writer.add_page(page)
    writer.write(out)
    return out


def measure(pdf: Path, runs: int) -> tuple[float, float]:
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            for bucket in (cold, warm):
                start = time.perf_counter()
                load_corpus([str(pdf)], Store(Path(tmp)), IngestOptions(ocr=True))
                bucket.append(time.perf_counter() - start)
    return statistics.median(cold), statistics.median(warm)


def tesseract_only(folder: Path) -> str:
    for tool in ("tesseract", "gs"):
        (folder / tool).symlink_to(shutil.which(tool) or tool)
    return str(folder)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = first_pages(args.pages, Path(tmp) / "scanned.pdf")
        for path in (os.environ["PATH"], tesseract_only(Path(tmp))):
            os.environ["PATH"] = path
            engine = find_engine().value
            cold, warm = measure(pdf, args.runs)
            per_page = cold / args.pages
            print(f"{engine}: {args.pages} pages, cold {cold:.1f} s ({per_page:.2f} s/page), cached {warm:.3f} s")


if __name__ == "__main__":
    main()
