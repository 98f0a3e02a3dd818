"""Time to an answer per mode on a ~100K-token corpus, as a user's one-shot `lecto ask` sees it:
plan, pre-fill and generation separately (the answer's own `timings`), and the whole
process's wall time (Python start, model load and citation checking included).

    python bench/answer_latency.py [--questions 5] [--modes full,compress,retrieve,auto]

The corpus is bench/latency.py's five papers (88K tokens), already ingested and counted in
`--cache-dir` before the first timed run, as for a user's second question. Each question is
asked once per mode in a fresh process with the default model and `--max-wait` (no
`--budget`), so the figures include the budget the time limit chooses; the rows give medians
over the questions. A mode that refuses the corpus (full, which does not fit the window) is
reported with its error line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from latency import PAPERS

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
STEPS = ("plan_s", "prefill_s", "generate_s")


def ask(sources: list[str], question: str, mode: str, cache: str) -> tuple[float, dict]:  # type: ignore[type-arg]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "lecto", "ask", "--json", "--mode", mode, *sources, question],
        capture_output=True,
        text=True,
        env={**os.environ, "LECTO_CACHE_DIR": cache},
    )
    wall = time.perf_counter() - start
    if done.returncode not in (0, 3):  # 3: answered "not found", still a timed answer
        return wall, {"error": done.stderr.strip().splitlines()[-1]}
    return wall, json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=5)
    ap.add_argument("--modes", default="full,compress,retrieve,auto")
    ap.add_argument("--cache-dir", default="/tmp/lecto-bench")
    args = ap.parse_args()
    sources = [str(CORPUS / "papers" / f"{p}.pdf") for p in PAPERS]
    names = {f"{p}.pdf" for p in PAPERS}
    qa = [json.loads(line) for line in open(CORPUS / "papers.qa.jsonl")]
    questions = [q["question"] for q in qa if q["doc"] in names][: args.questions]
    ask(sources, questions[0], "retrieve", args.cache_dir)  # ingest, count and probe speed, untimed
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("| mode | plan | pre-fill | generation | process wall | prompt tokens | answered |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for mode in args.modes.split(","):
        rows = [ask(sources, q, mode, args.cache_dir) for q in questions]
        errors = [r["error"] for _, r in rows if "error" in r]
        if errors:
            print(f"| {mode} | refused: {errors[0]} | | | | | |")
            continue
        cells = [f"{statistics.median(r['timings'].get(s, 0.0) for _, r in rows):.2f} s" for s in STEPS]
        wall = statistics.median(w for w, _ in rows)
        prompt = statistics.median(r["tokens"]["prompt"] for _, r in rows)
        answered = sum(r["status"] == "answered" for _, r in rows)
        print(f"| {mode} | {' | '.join(cells)} | {wall:.1f} s | {prompt:.0f} | {answered}/{len(rows)} |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
