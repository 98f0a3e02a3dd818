"""End-to-end answers with the default model: right, concise, honest about not finding.

    python bench/answers.py --set papers
    python bench/answers.py --set chat --every 4 --out /tmp/answers-chat.jsonl
    python bench/answers.py --set chat --lexical      # every chat question, without the model's reading

Every question of a shared set (chat: answerable and unanswerable alike) is planned and
answered as `lecto ask` does it, with one model load. Scored by the corpus rules: *right* =
an accepted string in an answer of at most 80 words, status `answered`; for unanswerable
chat questions, *right* = `not_found`. The script uses only `Session.load/plan/answer`, so
it also runs against an earlier commit (bench/answer_time.py says how) for a before/after.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from accuracy import code
from citations import Item, chat_all, papers

from lecto.backends import ModelOptions
from lecto.data import Mode, Status
from lecto.session import Session, Settings

SETS = {"papers": lambda: papers(100), "code": lambda: code(100), "chat": chat_all}
MAX_WORDS = 80


def row(session: Session, item: Item) -> dict[str, object]:
    timings: dict[str, float] = {}
    corpus = session.load([item.source], timings)
    start = time.perf_counter()
    plan = session.plan(item.question, corpus, Mode.AUTO, None, timings)
    answer = session.answer(item.question, plan, lambda _: None, timings)
    seconds = time.perf_counter() - start
    text = answer.text or ""
    flat = " ".join(text.lower().split())
    found = answer.status is Status.ANSWERED
    holds = any(" ".join(a.lower().split()) in flat for a in item.answers)
    right = not found if item.unanswerable else found and holds and len(text.split()) <= MAX_WORDS
    return {
        "question": item.question,
        "unanswerable": item.unanswerable,
        "right": right,
        "not_found": not found,
        "words": len(text.split()),
        "seconds": round(seconds, 2),
        "answer": text,
    }


def summary(rows: list[dict[str, object]]) -> dict[str, object]:
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]

    def share(rs: list[dict[str, object]], key: str) -> str:
        return f"{sum(bool(r[key]) for r in rs)}/{len(rs)}" if rs else "-"

    return {
        "accuracy": share(answerable, "right"),
        "not_found_answerable": share(answerable, "not_found"),
        "not_found_unanswerable": share(unanswerable, "not_found"),
        "median_s": round(statistics.median(float(r["seconds"]) for r in rows), 2),  # type: ignore[arg-type]
        "median_words": statistics.median(int(r["words"]) for r in answerable if not r["not_found"]) if rows else 0,  # type: ignore[call-overload]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(SETS), required=True)
    parser.add_argument("--every", type=int, default=1, help="every n-th question (chat is 999 questions)")
    parser.add_argument("--cache-dir", default="/tmp/lecto-bench")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--lexical",
        action="store_true",
        help="leave the model's reading out (lecto's ranking alone): all 999 chat in minutes",
    )
    args = parser.parse_args()
    if args.lexical:
        from lecto.answer import ground

        ground.model_scores = lambda *_: []  # type: ignore[assignment]
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(spec=None)))
    rows = []
    for item in SETS[args.set]()[:: args.every]:
        rows.append(row(session, item))
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(json.dumps({"set": args.set, "questions": len(rows), **summary(rows)}))


if __name__ == "__main__":
    main()
