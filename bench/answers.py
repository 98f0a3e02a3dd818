"""End-to-end answers with the default model: right, concise, honest about not finding.

    python bench/answers.py --set papers
    python bench/answers.py --set chat --every 4 --out /tmp/answers-chat.jsonl
    python bench/answers.py --set chat --lexical      # every chat question, without the model's reading
    python bench/answers.py --set papers-heldout      # the held-out questions of bench/heldout/
    python bench/answers.py --set chat-fresh          # the fresh held-out questions of bench/heldout2/
    python bench/answers.py --set code-dev            # the code questions developed on (bench/dev/)

Every question of a shared set (chat: answerable and unanswerable alike) is planned and
answered as `lecto ask` does it, with one model load. Scored by the corpus rules: *right* =
an accepted string in an answer of at most 80 words, status `answered`; for unanswerable
chat questions, *right* = `not_found`. The script uses only `Session.load/plan/answer` (and,
for the breakdown, `answer/ground.py`'s `candidates` and `offered`), so it also runs against an
earlier commit (bench/answer_time.py says how) for a before/after.

Each answerable question also records how far its evidence got, so a wrong answer says where
it was lost: the evidence is in the plan, among the candidates (units holding enough of the
question), among those offered (at most three, said by whom it asks about), in the quote
chosen (a cited span), the quote holds an accepted string, and the checker let it stand. The
summary counts each stage by category (chat: 1 multi-hop, 2 temporal, 3 open-domain, 4
single-hop, 5 adversarial) and, for the unanswerable, why an answer came back.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from accuracy import code
from citations import FRESH, HELDOUT, Item, chat_all, papers

from lecto.answer import ground
from lecto.backends import ModelOptions
from lecto.data import Answer, Mode, Plan, Status
from lecto.session import Session, Settings

SETS = {
    "papers": lambda: papers(100),
    "code": lambda: code(100),
    "chat": chat_all,
    "papers-heldout": lambda: papers(100, HELDOUT / "papers.qa.jsonl"),
    "code-heldout": lambda: code(100, HELDOUT / "code.qa.jsonl"),
    "papers-fresh": lambda: papers(100, FRESH / "papers.qa.jsonl"),
    "code-fresh": lambda: code(100, FRESH / "code.qa.jsonl"),
    "chat-fresh": lambda: chat_all(FRESH / "chat.qa.jsonl"),
    "code-dev": lambda: code(100, DEV / "code.qa.jsonl"),
}
# Questions written to develop on, so that the held-out sets stay check data (bench/dev/README.md).
DEV = Path(__file__).resolve().parent / "dev"
MAX_WORDS = 80
# How far an answerable question's evidence got, in the order the pipeline takes it.
STAGES = ("in_plan", "candidate", "offered", "chosen", "quoted", "answered")


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
        "category": item.category,
        "stages": stages(item, plan, answer, holds),
    }


def stages(item: Item, plan: Plan, answer: Answer, quoted: bool) -> dict[str, bool]:
    """Whether the evidence reached each stage; for an unanswerable question, whether anything was offered."""
    selected = plan.selected

    def has(text: str) -> bool:
        flat = " ".join(text.split())
        return any(re.search(e, flat, re.IGNORECASE) for e in item.evidence)

    def focus(c: ground.Candidate) -> str:
        return selected[c.n - 1].chunk.text[c.focus : c.end]  # the unit that answers, not the neighbour it read

    offered = ground.offered(item.question, selected)
    if item.unanswerable:
        return {"offered": bool(offered), "answered": answer.status is Status.ANSWERED}
    found = ground.candidates(item.question, selected, limit=len(selected) * 64)
    return {
        "in_plan": any(has(s.chunk.text) for s in selected),
        "candidate": any(has(focus(c)) for c in found if c.coverage >= ground.MIN_COVERAGE),
        "offered": any(has(focus(c)) for c in offered),
        "chosen": any(has(c.text) for c in answer.citations),
        "quoted": quoted,
        "answered": answer.status is Status.ANSWERED,
    }


def breakdown(rows: list[dict[str, object]]) -> dict[str, dict[str, str]]:
    """Per category: how many reached each stage; a wrong answer is lost at its first stage not reached."""
    return {
        str(c): _category([r for r in rows if r["category"] == c])
        for c in sorted({r["category"] for r in rows}, key=str)
    }


def _category(rows: list[dict[str, object]]) -> dict[str, str]:
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]

    def count(rs: list[dict[str, object]], stage: str) -> str:
        return f"{sum(bool(r['stages'][stage]) for r in rs)}/{len(rs)}"  # type: ignore[index]

    out = {"right": f"{sum(bool(r['right']) for r in answerable)}/{len(answerable)}"}
    out |= {stage: count(answerable, stage) for stage in STAGES}
    lost = Counter(
        next((s for s in STAGES if not r["stages"][s]), "more than 80 words")  # type: ignore[index]
        for r in answerable
        if not r["right"]
    )
    out |= {f"lost at {stage}": str(n) for stage, n in lost.most_common()}
    if unanswerable:
        out |= {
            "unanswerable, offered": count(unanswerable, "offered"),
            "unanswerable, answered": count(unanswerable, "answered"),
        }
    return out


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
    print(json.dumps({"set": args.set, "questions": len(rows), **summary(rows), "by_category": breakdown(rows)}))


if __name__ == "__main__":
    main()
