"""Grounded answers, question by question: which candidates lecto offers, which the model prefers, which is right.

    python bench/choose.py --set papers --out /tmp/choose-papers.jsonl
    python bench/choose.py --set chat --out /tmp/choose-chat.jsonl        # every chat question, ~20 min
    python bench/choose.py --rescore /tmp/choose-papers.jsonl /tmp/choose-chat.jsonl

For every question of a shared set (all of them: papers, code, chat with its unanswerable
ones) the default plan is made as `lecto ask` makes it, and each candidate sentence is
recorded with lecto's score, the bundled model's log-probability of choosing it, and whether
the answer built from it holds an accepted string. `--rescore` then replays the choice rule
(answer/ground.py) over the recorded rows with other weights, without the model, so a
change to the rule is measured on every question at once.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from accuracy import code
from citations import Item, chat, papers

from lecto.answer import ground
from lecto.backends import ModelOptions
from lecto.backends.registry import Chooser
from lecto.data import Mode
from lecto.session import Session, Settings

SETS = {"papers": lambda: papers(100), "code": lambda: code(100), "chat": lambda: chat_all()}
# Candidates recorded: more than the model is shown, so a wider offer can be replayed.
RECORDED = 10


def chat_all() -> list[Item]:
    return chat(10_000)


def record(session: Session, item: Item, shown: int) -> dict[str, object]:
    timings: dict[str, float] = {}
    corpus = session.load([item.source], timings)
    plan = session.plan(item.question, corpus, Mode.AUTO, None, timings, None)
    found = ground.candidates(item.question, plan.selected, RECORDED)
    backend = session.backend
    start = time.perf_counter()
    logprobs = (
        backend.option_logprobs(
            ground.choice_messages(item.question, found[:shown]), [str(i + 1) for i in range(len(found[:shown]))]
        )
        if isinstance(backend, Chooser) and len(found) > 1
        else []
    )
    seconds = time.perf_counter() - start
    rows = []
    for i, c in enumerate(found):
        text = ground.answer_text(item.question, ground.Choice(c, found, []), plan.selected)
        flat = " ".join(text.lower().split())
        rows.append(
            {
                "coverage": round(c.coverage, 4),
                "score": round(c.score, 4),
                "logprob": round(logprobs[i], 4) if i < len(logprobs) else None,
                "right": any(" ".join(a.lower().split()) in flat for a in item.answers),
                "words": len(text.split()),
            }
        )
    return {
        "question": item.question,
        "source": Path(item.source).name,
        "unanswerable": item.unanswerable,
        "candidates": rows,
        "choose_s": round(seconds, 3),
    }


def replay(rows: list[dict], shown: int, weight: float, min_coverage: float) -> dict[str, object]:  # type: ignore[type-arg]
    right = nf_answerable = nf_unanswerable = answerable = unanswerable = 0
    for r in rows:
        cands = r["candidates"][:shown]
        pick = None
        if cands:
            lp = [c["logprob"] for c in cands]
            key = [
                c["score"] + (weight * max(x, -10.0) if x is not None else 0.0) for c, x in zip(cands, lp, strict=True)
            ]
            i = max(range(len(cands)), key=lambda j: (key[j], -j))
            pick = cands[i] if cands[i]["coverage"] >= min_coverage else None
        if r["unanswerable"]:
            unanswerable += 1
            nf_unanswerable += pick is None
        else:
            answerable += 1
            nf_answerable += pick is None
            right += bool(pick and pick["right"])
    return {
        "shown": shown,
        "weight": weight,
        "min_coverage": min_coverage,
        "accuracy": f"{right}/{answerable}",
        "not_found_answerable": f"{nf_answerable}/{answerable}",
        "not_found_unanswerable": f"{nf_unanswerable}/{unanswerable}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(SETS))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--shown", type=int, default=ground.CANDIDATES)
    parser.add_argument("--cache-dir", default="/tmp/lecto-bench")
    parser.add_argument("--rescore", type=Path, nargs="*")
    args = parser.parse_args()
    if args.rescore:
        rows = [json.loads(line) for p in args.rescore for line in p.read_text().splitlines()]
        for shown in (1, 3, 5):
            for weight in (0.0, 0.05, 0.15, 0.3, 1.0):
                for min_coverage in (0.0, 0.2, 0.3, 0.4, 0.5):
                    print(json.dumps(replay(rows, shown, weight, min_coverage)))
        return
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(spec=None)))
    with args.out.open("w") as out:
        for item in SETS[args.set]():
            row = record(session, item, args.shown)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            print(row["question"][:60], [c["right"] for c in row["candidates"]][:5], file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
