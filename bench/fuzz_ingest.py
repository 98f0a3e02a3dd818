"""Mutation fuzzing of every ingester for a fixed time: how many inputs, and what escaped as a non-LectoError.

Each input is a seed file from the shared corpus (PDFs, chat exports, source files) with a few
random byte-level mutations (flips, truncation, inserted bytes, repeated slices), read through
`ingest_file` as `lecto ask` would. An outcome is "parsed", a typed `LectoError`, or a crash (any
other exception, or a parse that takes more than `HANG_S`), printed with its seed and mutation.

    python bench/fuzz_ingest.py --seconds 300 --seed 1
"""

from __future__ import annotations

import argparse
import collections
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from lecto.errors import LectoError
from lecto.ingest.sources import ingest_file
from lecto.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
# The smaller papers: a mutated 3 MB PDF costs seconds to parse, and structure, not size, is under test.
SEEDS = [
    *sorted(CORPUS.glob("papers/*.pdf"), key=lambda p: p.stat().st_size)[:4],
    *sorted(p for p in CORPUS.glob("chat/*") if p.is_file() and not p.name.endswith(".qa.jsonl")),
    *sorted((CORPUS / "chat" / "locomo-1.slack").rglob("*.json"))[:2],
    ROOT / "lecto" / "store" / "documents.py",
    ROOT / "ingest" / "chunking.py",
    ROOT / "README.md",
]
# Far beyond any seed's parse time: a parse still running after this is a hang.
HANG_S = 60


class Hang(Exception):
    pass


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    ops = []
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(("flip", "truncate", "insert", "repeat", "zero"))
        at = rng.randrange(max(len(data), 1))
        if op == "flip":
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
        elif op == "truncate":
            data = data[:at]
        elif op == "insert":
            data = data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
        elif op == "repeat":
            data = data[:at] + data[at : at + rng.randint(1, 4096)] * rng.randint(2, 50) + data[at:]
        else:
            data = data[:at] + b"\x00" * rng.randint(1, 256) + data[at + 256 :]
        ops.append(f"{op}@{at}")
    return data, " ".join(ops)


def run_one(seed: Path, data: bytes, work: Path) -> str:
    target = work / seed.name
    target.write_bytes(data)
    store = Store(work / "cache")
    signal.alarm(HANG_S)
    try:
        ingest_file(target, target.name, store)
        return "parsed"
    except LectoError as e:
        if "\n" in str(e):
            raise AssertionError(f"multi-line error message: {e!r}") from e
        return "typed error"
    finally:
        signal.alarm(0)
        store.close()
        shutil.rmtree(work / "cache")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = {p: p.read_bytes() for p in SEEDS}
    counts: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()

    def on_alarm(signum: int, frame: object) -> None:
        raise Hang(f"still parsing after {HANG_S} s")

    signal.signal(signal.SIGALRM, on_alarm)
    deadline = time.monotonic() + args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < deadline:
            seed = rng.choice(SEEDS)
            data, ops = mutate(seeds[seed], rng)
            try:
                counts[run_one(seed, data, Path(tmp))] += 1
            except Exception as e:  # noqa: BLE001 - a crash is what this script counts
                counts["crash"] += 1
                where = traceback.extract_tb(e.__traceback__)[-1]
                key = f"{type(e).__name__} at {Path(where.filename).name}:{where.lineno}"
                if crashes[key] == 0:
                    print(f"CRASH {key}: {str(e)[:200]!r} (seed {seed.name}, {ops})", file=sys.stderr)
                crashes[key] += 1
    print(f"inputs: {sum(counts.values())}  " + "  ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    for key, n in crashes.most_common():
        print(f"  {n:5d}  {key}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
