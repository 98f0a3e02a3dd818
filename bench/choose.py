"""Grounded answers, question by question: which candidates lecto offers, which the model prefers, which is right.

    python bench/choose.py --set papers --out /tmp/choose-papers.jsonl
    python bench/choose.py --set chat --out /tmp/choose-chat.jsonl        # every chat question, ~20 min
    python bench/choose.py --rescore /tmp/choose-papers.jsonl /tmp/choose-chat.jsonl

For every question of a shared set (all of them: papers, code, chat with its unanswerable
ones) the default plan is made as `lecto ask` makes it, and each candidate sentence is
recorded with lecto's score, the bundled model's mean log-probability of the question after it, and whether
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
from citations import Item, chat_all, papers

from lecto.answer import ground
from lecto.answer.notfound import speakers_named
from lecto.backends import ModelOptions
from lecto.data import Mode
from lecto.session import Session, Settings

SETS = {"papers": lambda: papers(100), "code": lambda: code(100), "chat": chat_all}
# Candidates recorded: as many as the model may be shown in a replay.
RECORDED = 5
# Candidates of people other than the one asked about, recorded beside them.
OTHERS = 3
# Coverage down to which candidates are recorded, so a replay can try a lower MIN_COVERAGE.
RECORD_COVERAGE = 0.1


def record(session: Session, item: Item, shown: int) -> dict[str, object]:
    """The question's candidates, the asked-about person's and the others' alike, each with its model score."""
    timings: dict[str, float] = {}
    corpus = session.load([item.source], timings)
    plan = session.plan(item.question, corpus, Mode.AUTO, None, timings, None)
    eligible = [c for c in ground.candidates(item.question, plan.selected, 10_000) if c.coverage >= RECORD_COVERAGE]
    people = speakers_named(item.question, plan.selected)
    own = [c for c in eligible if not people or c.speaker is None or c.speaker in people]
    others = [c for c in eligible if c not in own]
    scored = own[:shown] + others[:shown]
    start = time.perf_counter()
    found = ground.model_scores(item.question, scored, session.backend) if scored else []
    scores = dict(zip(map(id, scored), found, strict=False))
    seconds = time.perf_counter() - start
    rows = []
    for c in sorted(own[:RECORDED] + others[:OTHERS], key=eligible.index):
        text = "".join(ground.answer_text(item.question, ground.Choice(c, own, []), plan.selected))
        flat = " ".join(text.lower().split())
        rows.append(
            {
                "coverage": round(c.coverage, 4),
                "score": round(c.score, 4),
                "logprob": round(scores[id(c)], 4) if id(c) in scores else None,
                "own": c in own,
                "speaker": c.speaker,
                "right": any(" ".join(a.lower().split()) in flat for a in item.answers),
                "words": len(text.split()),
                "text": text,
            }
        )
    return {
        "question": item.question,
        "source": Path(item.source).name,
        "unanswerable": item.unanswerable,
        "people": sorted(people),
        "answers": item.answers,
        "candidates": rows,
        "choose_s": round(seconds, 3),
    }


def _other_score(r: dict) -> float:  # type: ignore[type-arg]
    return next((c["score"] for c in r["candidates"] if not c["own"]), 0.0)


def replay(rows: list[dict], shown: int, weight: float, min_coverage: float, margin: float) -> dict[str, object]:  # type: ignore[type-arg]
    """answer/ground.py's rule (`offered`, then `choose`) over recorded candidates, with other constants."""
    right = nf_answerable = nf_unanswerable = answerable = unanswerable = 0
    for r in rows:
        cands = [c for c in r["candidates"] if c["own"] and c["coverage"] >= min_coverage][:shown]
        pick = None
        if cands and _other_score(r) <= margin * cands[0]["score"]:
            key = [c["score"] + weight * (c["logprob"] or 0.0) for c in cands]
            pick = cands[max(range(len(cands)), key=lambda j: (key[j], -j))]
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
        "margin": margin,
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
    parser.add_argument("--every", type=int, default=1, help="every n-th question only (a quick look, not a result)")
    parser.add_argument("--start", type=int, default=0, help="skip the first questions; --out is appended to")
    parser.add_argument("--rescore", type=Path, nargs="*")
    parser.add_argument("--threads", type=int, help="llama.cpp threads (1 keeps a crowded machine from stalling it)")
    args = parser.parse_args()
    if args.rescore:
        rows = [json.loads(line) for p in args.rescore for line in p.read_text().splitlines()]
        for shown in (1, 3, 5):
            for weight in (0.0, 0.1, 0.3, 1.0):
                for min_coverage in (0.15, 0.2, 0.3, 0.4):
                    for margin in (1.0, 1.25, 1.5, 2.0, 100.0):
                        print(json.dumps(replay(rows, shown, weight, min_coverage, margin)))
        return
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(spec=None, threads=args.threads)))
    with args.out.open("a" if args.start else "w") as out:
        for item in SETS[args.set]()[args.start :: args.every]:
            row = record(session, item, args.shown)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            out.flush()
            print(row["question"][:60], [c["right"] for c in row["candidates"]][:5], file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
