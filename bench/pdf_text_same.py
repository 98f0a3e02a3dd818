"""Page text read by lecto (`ingest/pdf_text.page_text`, as ingest reads it) against pypdf's own `extract_text()`.

page_text re-implements pypdf's text extraction for speed and must give the same text to the
character; tests/test_ingest_pdf_content.py checks a few pages of four PDFs, this checks every
page of the PDFs given (by default the shared filings and papers) and times both sides, one
process, CPU seconds. Exit status 1 when a page differs.

python bench/pdf_text_same.py [PDF...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from lecto.ingest.pdf_content import fast_contents
from lecto.ingest.pdf_pages import quiet_pypdf
from lecto.ingest.pdf_text import page_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def compare(pdf: Path) -> tuple[int, list[int], float, float]:
    """Pages, the 1-based numbers of those that differ, and each side's CPU seconds (pypdf's, lecto's)."""
    theirs, mine = PdfReader(pdf), PdfReader(pdf)
    differ, cpu_theirs, cpu_mine = [], 0.0, 0.0
    for n, (their_page, my_page) in enumerate(zip(theirs.pages, mine.pages, strict=True), 1):
        expected, cpu = _timed(pypdf_text, their_page)
        cpu_theirs += cpu
        got, cpu = _timed(lecto_text, my_page)
        cpu_mine += cpu
        if got != expected:
            differ.append(n)
    return len(theirs.pages), differ, cpu_theirs, cpu_mine


def pypdf_text(page: Any) -> str:
    return str(page.extract_text())


def lecto_text(page: Any) -> str:
    with fast_contents(page):  # as ingest/pdf_pages reads a page
        return page_text(page)


def _timed(read: Callable[[Any], str], page: Any) -> tuple[str, float]:
    """The text, or the name of the error the page raises (both sides must fail alike too), and the CPU seconds."""
    start = time.process_time()
    try:
        text = read(page)
    except Exception as e:  # noqa: BLE001 - a page pypdf cannot read is compared by its error
        text = f"<{type(e).__name__}>"
    return text, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    pdfs = args.pdfs or sorted((CORPUS / "filings").glob("*.pdf")) + sorted((CORPUS / "papers").glob("*.pdf"))
    quiet_pypdf()
    print(f"load average at the start: {os.getloadavg()}", flush=True)
    results = []
    for pdf in pdfs:
        count, differ, theirs, mine = row = compare(pdf)
        results.append(row)
        print(
            f"{pdf.name}: {count} pages, {count - len(differ)} identical", end=f" (differ: {differ})" if differ else ""
        )
        print(f", CPU s pypdf {theirs:.1f}, lecto {mine:.1f}", flush=True)
    pages = sum(r[0] for r in results)
    same = pages - sum(len(r[1]) for r in results)
    print(f"\n{len(pdfs)} PDFs, {pages} pages compared, {same} identical", end="")
    print(f"; CPU s pypdf {sum(r[2] for r in results):.1f}, lecto {sum(r[3] for r in results):.1f}")
    print(f"load average at the end: {os.getloadavg()}")
    sys.exit(0 if same == pages else 1)


if __name__ == "__main__":
    main()
