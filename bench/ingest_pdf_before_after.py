"""Cold ingest, this tree against another commit, side by side in one run: time, pages/s, peak memory, re-open.

Each source is read into a fresh cache in a fresh process, the two sides alternating so that
the load of a shared machine falls on both alike; the time is the child's own, from the first
import of lecto to the last page read. The child then re-opens the cache (a new Store, as a
second `lecto ask` does) and hashes the stored chunks (ids, text, locations), so the table says
whether both sides store the same documents. `--big PAGES` also reads one PDF made of the
sources' pages (written under /tmp at bench time) and times warm 4K auto plans over it, the
last of a question naming what no filing mentions.

git worktree add /tmp/lecto-before-pdf HEAD~N
python bench/ingest_pdf_before_after.py --before /tmp/lecto-before-pdf [--after WORKTREE] [--runs 3]
                                        [--big 2000] SOURCE...
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from ingest_pdf import concatenated
from sides import package_folder

QUESTIONS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "filings" / "filings.qa.jsonl"
# Questions planned over the big PDF, after one plan that loads the tokenizer and counts every chunk.
PLANS = 8
# Then one naming what no filing mentions: the planner reads every passage for the name (lecto/names.py).
NEVER_NAMED = "How much did the company pay Zanzibar Holdings for its licences in 2019?"

# CPU seconds too (the child's and its page-reading processes'): on a machine others share, wall
# time swings with their load, CPU time far less. Peak memory: the child's own (VmHWM: ru_maxrss
# survives exec, so it would report this bench's own peak after it wrote the big PDF) as the ingest
# leaves it (read after the re-open, it counted a second copy of the corpus), and its largest
# page-reading process's (they run side by side, so the sum bounds the whole).
_CHILD = """
import hashlib, json, os, resource, statistics, sys, time
from pathlib import Path
start = time.perf_counter()
from lecto.ingest import load_corpus
from lecto.store import Store
cache, questions, sources = Path(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3:]
corpus = load_corpus(sources, Store(cache))
seconds = time.perf_counter() - start
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
start = time.perf_counter()
stored = load_corpus(sources, Store(cache))
reopen = time.perf_counter() - start
docs = [[d.title, d.warnings, d.meta, [[c.id, c.text, repr(c.span.location)] for c in d.chunks]]
        for d in stored.documents]
out = {
    "seconds": seconds, "reopen": reopen, "cpu": sum(u.ru_utime + u.ru_stime for u in usage),
    "peak_mb": peak,
    "worker_peak_mb": usage[1].ru_maxrss / 1024,
    "pages": sum(d.meta.get("pages", 0) for d in corpus.documents), "chunks": len(corpus.chunks),
    "chunk_mb": sum(len(c.text.encode()) for c in corpus.chunks) / 2**20,
    "digest": hashlib.sha256(json.dumps(docs).encode()).hexdigest()[:16],
}
if questions:
    from lecto.backends import ModelOptions
    from lecto.context.planner import PlanOptions, plan
    from lecto.data import Mode
    from lecto.session import Session, Settings
    session = Session(Settings(cache_dir=cache, model=ModelOptions(None)))
    loaded = session.load(sources, {})
    times, cpus, never = [], [], []
    for q in questions:
        start, start_cpu = time.perf_counter(), time.process_time()
        planned = plan(q, loaded, PlanOptions(mode=Mode.AUTO, budget=4096), session.backend, session.store)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
        never.append(planned.absent)
    out |= {"first_plan": times[0], "warm_plan": statistics.median(times[1:-1]), "warm_plans": times[1:-1]}
    out |= {"warm_plan_cpu": statistics.median(cpus[1:-1]), "never_named_plan_cpu": cpus[-1]}
    out |= {"never_named_plan": times[-1], "never_named": never[-1]}
out["load"] = os.getloadavg()[0]
print(json.dumps(out))
"""


def ingest(sources: list[str], env: dict[str, str], questions: list[str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as cache:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, cache, json.dumps(questions), *sources],
            capture_output=True,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),  # not the checkout: its lecto/ would shadow the other side's
            check=True,
        )
    result: dict[str, object] = json.loads(done.stdout)
    return result


Runs = dict[str, dict[str, list[dict[str, float]]]]  # side -> source -> one result a run


def measure(sources: list[str], sides: dict[str, dict[str, str]], runs: int) -> Runs:
    """Every source alone, `runs` times, the sides alternating."""
    out: Runs = {side: {s: [] for s in sources} for side in sides}
    for run in range(runs):
        for source in sources:
            for side, env in sides.items():
                result = ingest([source], env, [])
                out[side][source].append(result)  # type: ignore[arg-type]
                print(f"run {run + 1} {side} {Path(source).name}: {result}", flush=True)
    return out


def _median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in results)


def per_source(runs: Runs) -> None:
    sides = list(runs)
    head = " | ".join(f"{side} s" for side in sides) + " | " + " | ".join(f"{side} pages/s" for side in sides)
    print(f"\n| source | pages | chunks | {head} | same chunks |")
    print("| --- " * (4 + 2 * len(sides)) + "|")
    for source in runs[sides[0]]:
        results = [runs[side][source] for side in sides]
        pages = results[0][0]["pages"]
        seconds = [_median(r, "seconds") for r in results]
        same = len({r[0]["digest"] for r in results}) == 1  # type: ignore[misc]
        cells = " | ".join(f"{s:.1f}" for s in seconds) + " | " + " | ".join(f"{pages / s:.1f}" for s in seconds)
        print(f"| {Path(source).name} | {pages:.0f} | {results[0][0]['chunks']:.0f} | {cells} | {same} |")


def totals(runs: Runs) -> None:
    print("\n| side | pages | chunks | s (sum of medians) | pages/s | CPU s | peak MB (child + worker) ", end="")
    print("| re-open s median / max |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for side, by_source in runs.items():
        pages = sum(r[0]["pages"] for r in by_source.values())
        chunks = sum(r[0]["chunks"] for r in by_source.values())
        wall = sum(_median(r, "seconds") for r in by_source.values())
        cpu = sum(_median(r, "cpu") for r in by_source.values())
        peak = max(x["peak_mb"] + x["worker_peak_mb"] for r in by_source.values() for x in r)
        reopens = [_median(r, "reopen") for r in by_source.values()]
        print(
            f"| {side} | {pages:.0f} | {chunks:.0f} | {wall:.1f} | {pages / wall:.1f} | {cpu:.1f} | {peak:.0f} "
            f"| {statistics.median(reopens):.2f} / {max(reopens):.2f} |"
        )


def big(sources: list[str], sides: dict[str, dict[str, str]], pages: list[int]) -> None:
    """Each side reads one PDF of `pages` pages made of the sources' own, then plans questions over it."""
    lines = [json.loads(line) for line in QUESTIONS.open()]
    questions = [q["question"] for q in lines[:: max(1, len(lines) // PLANS)]][: PLANS + 1] + [NEVER_NAMED]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in pages:
            pdf = str(concatenated([Path(s) for s in sources], n, Path(tmp) / f"{n}-pages.pdf"))
            for side, env in sides.items():
                result = ingest([pdf], env, questions)
                print(f"{n} pages {side}: {result}", flush=True)
                rows.append((n, side, result))
    print("\n| PDF | side | chunks | chunk text MB | s | pages/s | peak MB child / worker | re-open s ", end="")
    print("| first plan s | warm 4K plan s / CPU s (median) | never-named plan s / CPU s (absent) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for n, side, r in rows:
        print(
            f"| {n} pages | {side} | {r['chunks']} | {r['chunk_mb']:.1f} | {r['seconds']:.1f} | {n / r['seconds']:.1f} "  # type: ignore[operator]
            f"| {r['peak_mb']:.0f} / {r['worker_peak_mb']:.0f} | {r['reopen']:.2f} | {r['first_plan']:.2f} "
            f"| {r['warm_plan']:.2f} / {r['warm_plan_cpu']:.2f} "
            f"| {r['never_named_plan']:.2f} / {r['never_named_plan_cpu']:.2f} {r['never_named']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a worktree of the commit to compare with")
    parser.add_argument("--after", type=Path, help="another worktree for the after side (default: this checkout)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", default="", help="page counts of PDFs made of the sources' pages (2000 or 1000,2000)")
    parser.add_argument("sources", nargs="+")
    args = parser.parse_args()
    sources = [str(Path(s).resolve()) for s in args.sources]
    after = {"PYTHONPATH": str(package_folder(args.after))} if args.after else {}
    sides = {"before": {**os.environ, "PYTHONPATH": str(package_folder(args.before))}, "after": os.environ | after}
    print(f"load average at the start: {os.getloadavg()}", flush=True)
    if args.runs:
        runs = measure(sources, sides, args.runs)
        per_source(runs)
        totals(runs)
    if args.big:
        big(sources, sides, [int(n) for n in args.big.split(",")])
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
