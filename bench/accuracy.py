"""Answer accuracy per mode with the default model: does the answer hold an accepted string?

    python bench/accuracy.py --set papers --limit 6
    python bench/accuracy.py --set chat --limit 6
    python bench/accuracy.py --set code --limit 7
    python bench/accuracy.py --set papers --limit 15 --modes retrieve --budget 1024,2048,4096

Answerable dev questions only (`../shared/corpus`), scored by the corpus rules: *accuracy* =
an accepted answer string in the answer (case-insensitive, whitespace-normalised); *recall* =
the evidence in the planned context. Every mode gets the same per-call `--budget`; full mode
runs only where the whole document fits it; map-reduce gets `--map-budget` per group (its
number of groups follows from it, see context/modes/mapreduce.py); several budgets (`--budget
1024,2048,4096`) show where more passages stop helping the model. Greedy decoding gives the same
answer to the same prompt, so a mode whose plan equals one already answered (auto picks one
of the others) reuses that answer instead of paying for it twice.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import sysconfig
import time
from pathlib import Path

from citations import CORPUS, Item, chat, papers, score

from lecto.backends import ModelOptions
from lecto.data import Answer, Mode
from lecto.errors import BudgetError
from lecto.session import Session, Settings

# Map-reduce serves global questions, which the dev sets do not have; ask for it with --modes.
MODES = [Mode.FULL, Mode.COMPRESS, Mode.RETRIEVE, Mode.AUTO]


def answer(session: Session, item: Item, mode: Mode, budget: int, seen: dict[tuple, Answer]) -> Answer | None:  # type: ignore[type-arg]
    timings: dict[str, float] = {}
    corpus = session.load([item.source], timings)
    try:
        plan = session.plan(item.question, corpus, mode, budget, timings)
    except BudgetError:
        return None  # full mode: the document does not fit
    key = (plan.mode, tuple(plan.groups), tuple(s.text for s in plan.selected))
    if key not in seen:
        start = time.perf_counter()
        seen[key] = session.answer(item.question, plan, lambda _: None, timings)
        seen[key].timings["wall_s"] = time.perf_counter() - start
    return seen[key]


def code(limit: int, questions: Path = CORPUS / "code.qa.jsonl") -> list[Item]:
    """Code questions over their standard-library package; evidence is the line the corpus names."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    rows = [json.loads(line) for line in questions.read_text().splitlines()]
    return [
        Item(
            str(stdlib / r["root"].split(":", 1)[1]),
            r["question"],
            r["answers"],
            [re.escape(" ".join(e["contains"].split())) for e in r["evidence"]],
        )
        for r in rows
    ][:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=["papers", "chat", "code"], required=True)
    parser.add_argument("--modes", default=",".join(m.value for m in MODES))
    parser.add_argument("--budget", default="1024", help="tokens per call; a comma list runs each")
    parser.add_argument("--map-budget", type=int, default=512)
    parser.add_argument("--limit", type=int, default=6, help="answerable questions")
    parser.add_argument("--cache-dir", default="/tmp/lecto-bench")
    parser.add_argument("--max-minutes", type=float, default=15, help="start no new question after this")
    args = parser.parse_args()
    modes = [Mode(m) for m in args.modes.split(",")]
    budgets = [int(b) for b in args.budget.split(",")]
    items = {
        "papers": lambda: papers(args.limit),
        "chat": lambda: [i for i in chat(args.limit) if not i.unanswerable],
        "code": lambda: code(args.limit),
    }[args.set]()
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(spec=None)))
    rows: dict[tuple[Mode, int], list[dict[str, object]]] = {(m, b): [] for b in budgets for m in modes}
    start = time.perf_counter()
    for item in items:
        if time.perf_counter() - start > 60 * args.max_minutes:
            break
        seen: dict[tuple, Answer] = {}  # type: ignore[type-arg]
        for (mode, budget), mode_rows in rows.items():
            got = answer(session, item, mode, args.map_budget if mode is Mode.MAPREDUCE else budget, seen)
            row = {"mode": mode.value, "budget": budget, "fits": got is not None}
            if got is not None:
                row |= score(item, got) | {"planned": got.plan.mode.value, "seconds": round(got.timings["wall_s"], 1)}
            mode_rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
    asked = len(rows[modes[0], budgets[0]])
    print(f"{asked} of {len(items)} {args.set} questions, {time.perf_counter() - start:.0f} s")
    print("| mode | budget | answered over | evidence in plan | accuracy | not found | median s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (mode, budget), rs in rows.items():
        print(_row(mode, budget, [r for r in rs if r["fits"]]))


def _row(mode: Mode, budget: int, rs: list[dict[str, object]]) -> str:
    if not rs:
        return f"| {mode.value} | {budget} | 0 (nothing fits) | – | – | – | – |"
    times = sorted(float(r["seconds"]) for r in rs)  # type: ignore[arg-type]
    count = len(rs)
    hits = {k: sum(bool(r[k]) for r in rs) for k in ("recall", "accurate", "not_found")}
    return (
        f"| {mode.value} | {budget} | {count} | {hits['recall']}/{count} | {hits['accurate']}/{count} | "
        f"{hits['not_found']}/{count} | {times[len(times) // 2]:.0f} |"
    )


if __name__ == "__main__":
    main()
