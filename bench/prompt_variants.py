"""Prompt styles for the bundled 135M model: lecto's, LongCite-style sentence ids, evidence first.

    python bench/prompt_variants.py --papers 8 --chat 8 [--styles current,longcite,evidence]

The same retrieve plans (budget 1000) go to the model in three styles:

- `current`: `answer/prompt.py` as lecto sends it (`[n] file, location` headers, cite `[n]`).
- `longcite`: every source sentence (chat: every message) prefixed `<C{i}>`, numbered across
  the sources; the model is asked to end each sentence with the ids it used as `[s-e]`
  (LongCite, Zhang et al. 2024). Ids map back to the sentence's passage and text.
- `evidence`: first quote the lines that answer, each with its source number, then `Answer:`.

Per style, over the answerable items (scored by the corpus rules): answers holding an
accepted string, answers where the model itself cited something valid, model hit (the
evidence inside what the model cited: the passage for `[n]`, the sentences for `<C{i}>`),
model precision (cited units holding the evidence, over all valid cited units), and lecto hit
and precision after `answer/citations.py` checks the answer (ids turned into passage
markers). The styles are not options of lecto; this records why `answer/prompt.py` reads
as it does.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from citations import Item, chat, papers  # bench/citations.py, beside this script

from lecto.answer import prompt
from lecto.answer.citations import check
from lecto.backends import ModelOptions
from lecto.backends.registry import Message
from lecto.data import Kind, Mode, Plan
from lecto.paths import cache_dir
from lecto.session import Session, Settings

# Room for a quoted line and a one-sentence answer; the product allows 256, which only adds rambling.
ANSWER_TOKENS = 160
BUDGET = 1000
_SENTENCE = re.compile(r"\S.*?(?:[.!?](?=\s)|\Z)", re.DOTALL)
_RANGE = re.compile(r"\[\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?\]")
_CID = re.compile(r"<C(\d+)>")
_PASSAGE = re.compile(r"\[(\d+)\]")

LONGCITE_SYSTEM = (
    "You answer questions using only the sources the user gives you. Every sentence of the sources "
    "starts with an id like <C3>. After each sentence of your answer, write the ids of the source "
    "sentences it comes from as a range in square brackets, like [3-4] or [7-7]. Keep the answer short. "
    "If the sources do not contain the answer, reply exactly: NOT FOUND."
)
EVIDENCE_SYSTEM = (
    "You answer questions using only the numbered sources the user gives you. First copy the one line "
    'of the sources that answers the question, as: [2] "the copied line". Then write Answer: followed '
    "by a short answer. If the sources do not contain the answer, reply exactly: NOT FOUND."
)


@dataclass(frozen=True)
class Unit:
    """One id'd sentence of the LongCite context: its passage number and text."""

    n: int
    text: str


@dataclass(frozen=True)
class Reply:
    answer: str  # the part lecto checks and scores for accuracy
    cited: list[tuple[int, str]]  # (passage number, text the model pointed at)


def units(plan: Plan) -> list[Unit]:
    out = []
    for n, s in enumerate(plan.selected, start=1):
        parts = s.text.split("\n") if s.chunk.span.kind is Kind.CHAT else _SENTENCE.findall(s.text)
        out += [Unit(n, p.strip()) for p in parts if p.strip()]
    return out


def longcite_messages(plan: Plan, question: str) -> list[Message]:
    blocks, i = [], 0
    for n, s in enumerate(plan.selected, start=1):
        lines = []
        for u in (u for u in units(plan) if u.n == n):
            lines.append(f"<C{i}>{prompt.defuse(u.text)}")
            i += 1
        blocks.append(f"{prompt.header(s.chunk.span)}\n" + " ".join(lines))
    user = "Sources:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"
    return [{"role": "system", "content": LONGCITE_SYSTEM}, {"role": "user", "content": user}]


def evidence_messages(plan: Plan, question: str) -> list[Message]:
    [system, user] = prompt.messages(plan, question)
    return [{"role": "system", "content": EVIDENCE_SYSTEM}, user]


def read_current(out: str, plan: Plan) -> Reply:
    valid = [int(m) for m in _PASSAGE.findall(out) if 1 <= int(m) <= len(plan.selected)]
    return Reply(out, [(n, plan.selected[n - 1].text) for n in valid])


def read_longcite(out: str, plan: Plan) -> Reply:
    """Ids back to passages: `[s-e]` becomes the passage markers of those sentences, for lecto's check.

    A range is one cited unit: the text of its sentences together."""
    ids = units(plan)
    cited: list[tuple[int, str]] = []

    def to_passages(m: re.Match[str]) -> str:
        start, end = int(m.group(1)), int(m.group(2) or m.group(1))
        picked = [ids[i] for i in range(start, min(end, start + 20) + 1) if 0 <= i < len(ids)]
        if picked:
            cited.append((picked[0].n, " ".join(u.text for u in picked)))
        return "".join(f"[{n}]" for n in dict.fromkeys(u.n for u in picked))

    answer = _RANGE.sub(to_passages, _CID.sub("", out))
    return Reply(answer, cited)


def read_evidence(out: str, plan: Plan) -> Reply:
    """The quoted lines are the model's citations; what follows `Answer:` is the answer, cited by them."""
    head, _, tail = out.partition("Answer:")
    valid = [int(n) for n in _PASSAGE.findall(head) if 1 <= int(n) <= len(plan.selected)]
    cited = [(n, plan.selected[n - 1].text) for n in valid]
    markers = "".join(f"[{n}]" for n in dict.fromkeys(valid))
    answer = (tail.strip() or head.strip()) + markers
    return Reply(answer, cited)


STYLES: dict[str, tuple[Callable[[Plan, str], list[Message]], Callable[[str, Plan], Reply]]] = {
    "current": (prompt.messages, read_current),
    "longcite": (longcite_messages, read_longcite),
    "evidence": (evidence_messages, read_evidence),
}


def holds(item: Item, text: str) -> bool:
    flat = " ".join(text.split())
    return any(re.search(e, flat, re.IGNORECASE) for e in item.evidence)


def score(item: Item, plan: Plan, reply: Reply) -> dict[str, int]:
    checked = check(reply.answer, item.question, plan.selected)
    verified = [c for c in checked.citations if c.verified]
    text = " ".join(reply.answer.lower().split())
    return {
        "right": any(" ".join(a.lower().split()) in text for a in item.answers),
        "model_cited": bool(reply.cited),
        "model_hit": any(holds(item, t) for _, t in reply.cited),
        "model_units": len(reply.cited),
        "model_units_holding": sum(holds(item, t) for _, t in reply.cited),
        "lecto_hit": any(holds(item, c.text) for c in checked.citations),
        "lecto_verified": len(verified),
        "lecto_verified_holding": sum(holds(item, c.text) for c in verified),
    }


def summary(rows: list[dict[str, int]]) -> dict[str, str]:
    def total(key: str) -> int:
        return sum(int(r[key]) for r in rows)

    n = len(rows)
    return {
        "right": f"{total('right')}/{n}",
        "model_cited": f"{total('model_cited')}/{n}",
        "model_hit": f"{total('model_hit')}/{n}",
        "model_precision": f"{total('model_units_holding')}/{total('model_units')}",
        "lecto_hit": f"{total('lecto_hit')}/{n}",
        "lecto_precision": f"{total('lecto_verified_holding')}/{total('lecto_verified')}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=8)
    parser.add_argument("--chat", type=int, default=8, help="answerable chat questions")
    parser.add_argument("--styles", default=",".join(STYLES), help="comma-separated, of: " + ", ".join(STYLES))
    args = parser.parse_args()
    items = papers(args.papers) + [i for i in chat(args.chat) if not i.unanswerable]
    session = Session(Settings(cache_dir=cache_dir(None), model=ModelOptions(spec=None)))
    plans = [session.plan(i.question, session.load([i.source], {}), Mode.RETRIEVE, BUDGET, {}) for i in items]
    for name in args.styles.split(","):
        build, read = STYLES[name]
        start = time.perf_counter()
        rows = []
        for item, plan in zip(items, plans, strict=True):
            out = "".join(session.backend.stream(build(plan, item.question), ANSWER_TOKENS))
            rows.append(score(item, plan, read(out, plan)))
            print(json.dumps({"style": name, "q": item.question, "out": out, **rows[-1]}), file=sys.stderr, flush=True)
        result = {"style": name, "items": len(rows), **summary(rows), "seconds": round(time.perf_counter() - start)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
