"""Many `lecto` processes on one cache, some killed at random, then the store checked.

Each wave starts N `lecto ask --dry-run` processes over the same sources (in shuffled order),
sends SIGINT or SIGKILL to a random share of them at a random moment, waits for the rest, and
checks the cache: integrity, each document once, chunks numbered 0..n-1, the index complete.
The last wave runs unkilled and must read every source.

    python bench/stress_cache.py --processes 6 --waves 5 --kill 0.5
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SOURCES = [
    *sorted(p for p in CORPUS.glob("papers/*.pdf") if not p.name.startswith("a-hundred")),  # no text layer
    *sorted(p for p in CORPUS.glob("chat/locomo-*") if p.is_file()),
]


def start(cache: Path, rng: random.Random) -> subprocess.Popen[str]:
    sources = rng.sample(SOURCES, len(SOURCES))
    return subprocess.Popen(
        [sys.executable, "-m", "lecto", "ask", *map(str, sources), "What is Paxos?", "--dry-run"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LECTO_CACHE_DIR": str(cache)},
    )


def wave(cache: Path, processes: int, kill: float, rng: random.Random) -> tuple[int, list[str]]:
    """Run one wave; how many were killed, and the stderr of every unkilled run that failed."""
    procs = [start(cache, rng) for _ in range(processes)]
    doomed = [p for p in procs if rng.random() < kill]
    time.sleep(rng.uniform(0.5, 6.0))
    for p in doomed:
        p.send_signal(rng.choice([signal.SIGINT, signal.SIGKILL]))
    failures = []
    for p in procs:
        _, err = p.communicate(timeout=900)
        if p not in doomed and (
            p.returncode != 0 or any(not ln.startswith("lecto: warning:") for ln in err.splitlines())
        ):
            failures.append(err)
    return len(doomed), failures


def check(cache: Path) -> tuple[int, int]:
    con = sqlite3.connect(cache / "lecto.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = con.execute("SELECT id, n_chunks FROM documents").fetchall()
    for doc_id, n in docs:
        ords = [r[0] for r in con.execute("SELECT ord FROM chunks WHERE doc_id = ? ORDER BY ord", (doc_id,))]
        assert ords == list(range(n)), f"{doc_id}: chunks {ords[:5]}… of {n}"
    chunks = con.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert chunks == sum(n for _, n in docs)
    assert con.execute("SELECT count(*) FROM chunks_fts").fetchone()[0] == chunks
    con.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('integrity-check')")
    con.close()
    return len(docs), chunks


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=6)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--kill", type=float, default=0.5, help="share of each wave's processes to kill")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    killed, failures, seconds = 0, [], []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        for n in range(args.waves):
            begin = time.perf_counter()
            k, f = wave(cache, args.processes, args.kill if n < args.waves - 1 else 0.0, rng)
            seconds.append(time.perf_counter() - begin)
            killed, failures = killed + k, failures + f
            docs, chunks = check(cache)
            print(
                f"wave {n + 1}: {args.processes} runs, {k} killed, {len(f)} failed; {docs} documents, {chunks} chunks"
            )
    print(
        f"runs: {args.processes * args.waves}, killed: {killed}, failed: {len(failures)}, "
        f"median wave: {statistics.median(seconds):.1f} s; final store: {docs}/{len(SOURCES)} documents"
    )
    for err in failures[:3]:
        print(err, file=sys.stderr)
    return 1 if failures or docs != len(SOURCES) else 0


if __name__ == "__main__":
    sys.exit(main())
