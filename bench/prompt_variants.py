"""Prompt wordings for the bundled 135M model, compared on the garden handbook and four paper questions.

    python bench/prompt_variants.py

Prints, per variant (system prompt, source header, block style): answers holding an accepted
string, and answers with at least one [n] marker. Kept to record why answer/prompt.py reads
as it does; the variants are not options of lecto.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path, PurePath

from lecto.answer import prompt
from lecto.backends import ModelOptions
from lecto.backends.registry import Message
from lecto.data import Mode, Plan, Span
from lecto.session import Session, Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
HANDBOOK = str(ROOT / "examples" / "garden-handbook.md")
GARDEN = [
    ("How much is the yearly plot fee?", ["40"]),
    ("How many plots does the garden have?", ["48"]),
    ("When did the garden open?", ["2009"]),
    ("How big is each plot?", ["3 metres", "3 m"]),
    ("How much water do the rain tanks hold?", ["5,000", "5000"]),
    ("When is the compost turned?", ["Sunday"]),
    ("How many hours of shared work must each member give per year?", ["six", "6"]),
    ("What reduced fee do students pay?", ["25"]),
    ("Within how many days must a plot offer be accepted?", ["14"]),
    ("Are dogs allowed in the garden?", ["lead", "welcome", "yes"]),
]
SYSTEMS = {
    "base": prompt.SYSTEM,
    "example": (
        "Answer the question using only the numbered sources. End each sentence with the number of its source "
        "in square brackets, for example: The fee is 10 euros [2]. Keep the answer to one or two sentences. "
        "If the sources do not contain the answer, reply exactly: NOT FOUND."
    ),
    "short": (
        "Answer from the sources below in one short sentence, and cite the source number like [1]. "
        "If the answer is not in the sources, say NOT FOUND."
    ),
}
VARIANTS = [
    ("base", "name", "bracket"),
    ("example", "name", "bracket"),
    ("short", "name", "bracket"),
    ("example", "location", "labelled"),
    ("example", "name", "labelled"),
]


def header(span: Span, kind: str) -> str:
    where = span.location.describe()
    return f"{PurePath(span.source).name}, {where}" if kind == "name" else where


def messages(plan: Plan, question: str, variant: tuple[str, str, str]) -> list[Message]:
    system, head, style = variant
    blocks = []
    for n, s in enumerate(plan.selected, start=1):
        h = header(s.chunk.span, head)
        top = f"[{n}] {h}" if style == "bracket" else f"Source [{n}] ({h}):"
        blocks.append(f"{top}\n{prompt.defuse(s.text)}")
    user = "Sources:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"
    return [{"role": "system", "content": SYSTEMS[system]}, {"role": "user", "content": user}]


def main() -> None:
    session = Session(Settings(cache_dir=Path(tempfile.mkdtemp()), model=ModelOptions(spec=None)))
    rows = [json.loads(line) for line in (CORPUS / "papers.qa.jsonl").read_text().splitlines()][:4]
    items = [(HANDBOOK, q, answers, None) for q, answers in GARDEN]
    items += [(str(CORPUS / "papers" / r["doc"]), r["question"], r["answers"], 800) for r in rows]
    plans = [(session.plan(q, session.load([src], {}), Mode.AUTO, budget, {}), q, a) for src, q, a, budget in items]
    for variant in VARIANTS:
        right = cited = 0
        start = time.perf_counter()
        for plan, question, answers in plans:
            out = "".join(session.backend.stream(messages(plan, question, variant), 96))
            right += any(a.lower() in out.lower() for a in answers)
            cited += re.search(r"\[\d+\]", out) is not None
        seconds = time.perf_counter() - start
        print(f"{variant}: right {right}/{len(plans)}, with markers {cited}, {seconds:.0f}s", flush=True)


if __name__ == "__main__":
    main()
