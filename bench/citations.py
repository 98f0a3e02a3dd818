"""Citation quality and honest "not found" on the shared dev sets, scored by the corpus rules.

    python bench/citations.py --set papers --mode retrieve --budget 1000 --limit 8
    python bench/citations.py --set chat --mode retrieve --budget 1000 --limit 6
    python bench/citations.py --set papers --planted --limit 15
    python bench/citations.py --set chat --limit 40 --out chat.jsonl      # record the answers
    python bench/citations.py --set chat --limit 40 --rescore chat.jsonl  # re-check them, no model

`--planted` checks the checker alone, without generating: the claim "<accepted answer>." is
tested against every planned passage, and a passage the checker accepts should hold the
evidence (precision); one that holds it should be accepted (recall).

Per question: answer accuracy (an accepted string in the answer; for unanswerable chat items,
status `not_found`), citation hit (the evidence inside a cited span), citation precision
(verified citations whose span holds the evidence, over all verified ones), and whether
the tool said `not_found`. One model load for the whole run, as `--questions` batches do.

Greedy decoding makes the answers repeatable, so `--out` records them and `--rescore` runs the
checker and the not-found decision of the current code over the recorded answers again:
changes to `answer/` are measured on the same answers without generating.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

from lecto.answer.notfound import decide
from lecto.answer.support import SUPPORT_THRESHOLD, Weights, support
from lecto.backends import ModelOptions
from lecto.data import Answer, Mode, Plan, Status
from lecto.paths import cache_dir
from lecto.session import Session, Settings

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Questions written apart from the development sets, over the same documents (bench/heldout/README.md).
HELDOUT = Path(__file__).resolve().parent / "heldout"
# Written after HELDOUT became development data, before lecto ran on them (bench/heldout2/README.md).
FRESH = Path(__file__).resolve().parent / "heldout2"
SCANNED = "a-hundred-impossibility-proofs-for-distributed-computing.pdf"  # no text layer: nothing to cite


@dataclass(frozen=True)
class Item:
    source: str
    question: str
    answers: list[str]
    evidence: list[str]  # regexes over whitespace-collapsed text
    unanswerable: bool = False
    # A chat question's LoCoMo category: 1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial.
    category: int | None = None


def papers(limit: int, questions: Path = CORPUS / "papers.qa.jsonl") -> list[Item]:
    rows = [json.loads(line) for line in questions.read_text().splitlines()]
    return [
        Item(str(CORPUS / "papers" / r["doc"]), r["question"], r["answers"], [r["evidence"]])
        for r in rows
        if r["doc"] != SCANNED
    ][:limit]


def chat(limit: int) -> list[Item]:
    """`limit` answerable single-hop items and `limit` unanswerable ones, alternating, taken in turn from each chat."""
    rows = [json.loads(line) for line in (CORPUS / "chat" / "chat.qa.jsonl").read_text().splitlines()]
    kinds = []
    for unanswerable in (False, True):
        pool = [r for r in rows if r.get("unanswerable", False) is unanswerable and r["category"] in (4, 5)]
        files = sorted({r["file"] for r in pool})
        per_file = [[r for r in pool if r["file"] == f] for f in files]
        kinds.append([_chat_item(r) for group in zip_longest(*per_file) for r in group if r is not None][:limit])
    return [item for pair in zip(*kinds, strict=True) for item in pair]


def chat_all(questions: Path = CORPUS / "chat" / "chat.qa.jsonl") -> list[Item]:
    """Every chat question, answerable or not, of every category, in the file's order."""
    rows = [json.loads(line) for line in questions.read_text().splitlines()]
    return [_chat_item(r) for r in rows]


def _chat_item(r: dict) -> Item:  # type: ignore[type-arg]
    evidence = [re.escape(" ".join(t.split())) for t in r["evidence_text"]]
    return Item(
        str(CORPUS / "chat" / r["file"]),
        r["question"],
        r.get("answers", []),
        evidence,
        r.get("unanswerable", False),
        r["category"],
    )


def score(item: Item, answer: Answer) -> dict[str, object]:
    def holds(text: str) -> bool:
        flat = " ".join(text.split())
        return any(re.search(e, flat, re.IGNORECASE) for e in item.evidence)

    verified = [c for c in answer.citations if c.verified]
    not_found = answer.status is Status.NOT_FOUND
    text = " ".join((answer.text or "").lower().split())
    accurate = not_found if item.unanswerable else any(" ".join(a.lower().split()) in text for a in item.answers)
    return {
        "source": item.source,
        "question": item.question,
        "unanswerable": item.unanswerable,
        "not_found": not_found,
        "accurate": accurate,
        "recall": any(holds(s.text) for s in answer.plan.selected),
        "hit": any(holds(c.text) for c in answer.citations),
        "verified": len(verified),
        "verified_holding": sum(holds(c.text) for c in verified),
        "by_model": sum(c.by_model for c in answer.citations),
        "answer": answer.text,
    }


def run(
    items: list[Item], mode: Mode, budget: int, cache: Path, recorded: dict[str, str] | None
) -> list[dict[str, object]]:
    """Each item answered by the model, or, with `recorded` answers, re-checked without it."""
    session = Session(Settings(cache_dir=cache, model=ModelOptions(spec=None)))
    rows = []
    for item in items:
        timings: dict[str, float] = {}
        corpus = session.load([item.source], timings)
        plan = session.plan(item.question, corpus, mode, budget, timings)
        if recorded is None:
            answer = session.answer(item.question, plan, lambda _: None, timings)
        else:
            answer = rechecked(item.question, recorded[item.question], plan)
        rows.append(score(item, answer))
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    return rows


def rechecked(question: str, text: str, plan: Plan) -> Answer:
    checked, status = decide(text, question, plan.selected)
    return Answer(question, text, status, checked.citations, plan, {}, {}, {}, checked.sentences, checked.stretches)


def planted(items: list[Item], mode: Mode, budget: int, cache: Path) -> dict[str, object]:
    session = Session(Settings(cache_dir=cache, model=ModelOptions(spec=None)))
    accepted_holding = accepted = holding = 0
    for item in items:
        plan = session.plan(item.question, session.load([item.source], {}), mode, budget, {})
        weights = Weights.build(item.question, [s.text for s in plan.selected])
        claim = f"{item.answers[0]}."
        for s in plan.selected:
            holds = any(re.search(e, " ".join(s.text.split()), re.IGNORECASE) for e in item.evidence)
            accepts = support(claim, f"{s.chunk.span.location.describe()}\n{s.text}", weights) >= SUPPORT_THRESHOLD
            accepted_holding += accepts and holds
            accepted += accepts
            holding += holds
    return {"checker_precision": f"{accepted_holding}/{accepted}", "checker_recall": f"{accepted_holding}/{holding}"}


def summary(rows: list[dict[str, object]]) -> dict[str, object]:
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]
    verified = sum(int(r["verified"]) for r in answerable)  # type: ignore[call-overload]

    def rate(rs: list[dict[str, object]], key: str) -> str:
        return f"{sum(bool(r[key]) for r in rs)}/{len(rs)}" if rs else "-"

    return {
        "answerable": len(answerable),
        "evidence_recall": rate(answerable, "recall"),
        "accuracy": rate(answerable, "accurate"),
        "citation_hit": rate(answerable, "hit"),
        "citation_precision": f"{sum(int(r['verified_holding']) for r in answerable)}/{verified}",  # type: ignore[call-overload]
        "model_markers": sum(int(r["by_model"]) for r in answerable),  # type: ignore[call-overload]
        "not_found_answerable": rate(answerable, "not_found"),
        "not_found_unanswerable": rate(unanswerable, "not_found"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=["papers", "chat"], required=True)
    parser.add_argument("--mode", type=Mode, default=Mode.RETRIEVE)
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=8, help="papers: questions; chat: of each kind")
    parser.add_argument("--planted", action="store_true", help="check the checker alone, without the model")
    parser.add_argument("--out", type=Path, help="write each question's row, answer included, as JSON lines")
    parser.add_argument("--rescore", type=Path, help="re-check the answers a run wrote with --out")
    args = parser.parse_args()
    items = papers(args.limit) if args.set == "papers" else chat(args.limit)
    start = time.perf_counter()
    result: dict[str, object] = {"set": args.set, "mode": args.mode.value, "budget": args.budget}
    # The user's cache, as lecto uses it: parsing and token counts are not what this measures.
    cache = cache_dir(None)
    if args.planted:
        result |= planted([i for i in items if not i.unanswerable], args.mode, args.budget, cache)
    else:
        recorded = None
        if args.rescore:
            rows = [json.loads(line) for line in args.rescore.read_text().splitlines()]
            recorded = {r["question"]: r["answer"] or "" for r in rows}
            # A run cut short re-checks what it answered (its stderr lines are the same rows).
            items = [i for i in items if i.question in recorded]
        rows = run(items, args.mode, args.budget, cache, recorded)
        if args.out:
            args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        result |= summary(rows)
    result["seconds"] = round(time.perf_counter() - start)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
