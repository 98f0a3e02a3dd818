"""A zipped chat export against its text alone: what reading a `.zip` directly costs.

    python bench/ingest_chat_zip.py --runs 7

The shared WhatsApp log is zipped as Android shares it (`WhatsApp Chat with Melanie.txt`
beside `--photos` incompressible photos of 50 kB), then both are loaded cold, into a fresh
cache each time, as bench/ingest_chat.py does. Prints each one's size and median cold time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import zipfile
from pathlib import Path

from ingest_chat import CHAT, timed_load

PHOTO_BYTES = 50_000


def zipped(into: Path, photos: int) -> Path:
    export = into / "locomo-0.zip"
    with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(CHAT / "locomo-0.whatsapp.txt", "WhatsApp Chat with Melanie.txt")
        for n in range(photos):
            z.writestr(f"IMG-2023{n:04d}-WA{n:04d}.jpg", os.urandom(PHOTO_BYTES))
    return export


def cold_ms(source: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            times.append(timed_load(source, Path(cache))[0])
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--photos", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for source in (CHAT / "locomo-0.whatsapp.txt", zipped(Path(tmp), args.photos)):
            print(f"{source.name}: {source.stat().st_size / 1e6:.1f} MB, cold {cold_ms(source, args.runs):.1f} ms")


if __name__ == "__main__":
    main()
