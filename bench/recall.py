"""Evidence recall of context plans: does the planned context hold the evidence?

Scored by the rules in the shared corpus README: the paper's evidence regex, the chat's
evidence messages, the code's `contains` line must appear in the selected text. A
question's recall is the share of its evidence items found; the table shows the mean.
Runs the library directly (one Session, corpora loaded once) so a thousand chat questions
take minutes.

    python bench/recall.py [--corpora papers,code,chat,filings] [--budgets 1024,2048,4096,8192]
                           [--stride N] [--dated] [--typed] [--out rows.jsonl] [--before WORKTREE]

`--out` writes one JSON line per question as it is scored, so a stopped run keeps its rows.
Filings are scored by page (the corpus README): a question is hit when the plan holds a
passage on one of its evidence pages. `bm25-pages` is the obvious baseline for them: whole
pages ranked by BM25 and packed best first, each cut at the budget. `--before WORKTREE` adds
the auto plans of another commit (a `git worktree`) to the same table, planned by this bench
in a child process that imports that commit's lecto. `papers-heldout`, `code-heldout` and
`filings-heldout` are the questions of bench/heldout/, written apart from the shared sets.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sides import package_folder

from lecto import bm25
from lecto.backends import ModelOptions
from lecto.context.answertype import expected
from lecto.context.dense import dense_rank
from lecto.context.lexical import stem
from lecto.context.pack import Packer, first_tokens
from lecto.context.planner import PlanOptions, plan
from lecto.context.timeq import time_window
from lecto.context.tokens import count_corpus
from lecto.data import Chunk, Corpus, Mode, Selected
from lecto.session import Session, Settings
from lecto.terms import WORD, key_terms

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
HELDOUT = Path(__file__).resolve().parent / "heldout"
METHODS = ("first-N", "bm25", "dense", "retrieve", "compress", "auto")
# The package folders of a checkout, as the editable install maps them under `lecto.`.


def _norm(text: str) -> str:
    return " ".join(text.split())


def papers(
    questions: Path = CORPUS / "papers.qa.jsonl",
) -> list[tuple[list[str], str, Callable[[list[Selected]], float]]]:
    out = []
    for line in open(questions):
        q = json.loads(line)
        rx = re.compile(q["evidence"])
        out.append(([str(CORPUS / "papers" / q["doc"])], q["question"], _regex_scorer(rx)))
    return out


def _regex_scorer(rx: re.Pattern[str]) -> Callable[[list[Selected]], float]:
    return lambda sel: float(
        any(rx.search(_norm(s.text)) for s in sel) or bool(rx.search(_norm(" ".join(s.text for s in sel))))
    )


def chat() -> list[tuple[list[str], str, Callable[[list[Selected]], float]]]:
    out = []
    for line in open(CORPUS / "chat" / "chat.qa.jsonl"):
        q = json.loads(line)
        if q.get("unanswerable") or not q["evidence_text"]:
            continue
        items = [_norm(t) for t in q["evidence_text"]]
        out.append(([str(CORPUS / "chat" / q["file"])], q["question"], _items_scorer(items)))
    return out


def _items_scorer(items: list[str]) -> Callable[[list[Selected]], float]:
    def score(sel: list[Selected]) -> float:
        text = _norm("\n".join(s.text for s in sel))
        return sum(t in text for t in items) / len(items)

    return score


def code(questions: Path = CORPUS / "code.qa.jsonl") -> list[tuple[list[str], str, Callable[[list[Selected]], float]]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    out = []
    for line in open(questions):
        q = json.loads(line)
        root = stdlib / q["root"].split(":", 1)[1]
        ev = [(e["file"], _norm(e["contains"])) for e in q["evidence"]]
        out.append(([str(root)], q["question"], _code_scorer(ev)))
    return out


def _code_scorer(ev: list[tuple[str, str]]) -> Callable[[list[Selected]], float]:
    def score(sel: list[Selected]) -> float:
        found = 0
        for file, line in ev:
            found += any(s.chunk.span.source.endswith(file) and line in _norm(s.text) for s in sel)
        return found / len(ev)

    return score


def filings(
    questions: Path = CORPUS / "filings" / "filings.qa.jsonl",
) -> list[tuple[list[str], str, Callable[[list[Selected]], float]]]:
    out = []
    for line in open(questions):
        q = json.loads(line)
        out.append(([str(CORPUS / "filings" / q["doc"])], q["question"], _page_scorer(set(q["pages"]))))
    return out


def _page_scorer(pages: set[int]) -> Callable[[list[Selected]], float]:
    return lambda sel: float(any(getattr(s.chunk.span.location, "page", None) in pages for s in sel))


def _bm25_pages(session: Session, question: str, corpus: Corpus, budget: int) -> list[Selected]:
    """Whole pages by BM25 over pages, best first, each page's chunks in order until the budget is full."""
    chunks = count_corpus(corpus, session.backend, session.store)
    pages: dict[tuple[str, int], list[Chunk]] = defaultdict(list)
    for c in chunks:
        pages[c.doc_id, getattr(c.span.location, "page", c.ord)].append(c)
    keys = list(pages)
    words = [Counter(stem(w) for c in pages[k] for w in WORD.findall(c.text.lower())) for k in keys]
    terms = list(dict.fromkeys(stem(t) for t in key_terms(question)))
    freqs = [{i: f[t] for i, f in enumerate(words) if t in f} for t in terms]
    lengths = {i: sum(f.values()) for i, f in enumerate(words)}
    scores = bm25.scores(freqs, lengths, bm25.Size(len(keys), sum(lengths.values()) or 1))
    packer = Packer(budget)
    for i in sorted(scores, key=lambda i: (-scores[i], i)):
        if not all(packer.add(c) for c in pages[keys[i]]):
            break
    return packer.in_document_order(chunks)


def _bm25_only(session: Session, question: str, corpus: Corpus, budget: int) -> list[Selected]:
    chunks = count_corpus(corpus, session.backend, session.store)
    by_id = {c.id: c for c in chunks}
    packer = Packer(budget)
    for cid, _ in session.store.search(key_terms(question), {c.doc_id for c in chunks}, 300):
        if cid in by_id:
            packer.add(by_id[cid])
    return packer.in_document_order(chunks)


def _dense_only(session: Session, question: str, corpus: Corpus, budget: int) -> list[Selected]:
    chunks = count_corpus(corpus, session.backend, session.store)
    by_id = {c.id: c for c in chunks}
    packer = Packer(budget)
    for cid, _ in dense_rank(question, chunks, session.store, 300, None).scores:
        packer.add(by_id[cid])
    return packer.in_document_order(chunks)


def select(session: Session, method: str, question: str, corpus: Corpus, budget: int) -> list[Selected]:
    if method == "first-N":
        return first_tokens(count_corpus(corpus, session.backend, session.store), budget)
    if method == "bm25-pages":
        return _bm25_pages(session, question, corpus, budget)
    if method == "bm25":
        return _bm25_only(session, question, corpus, budget)
    if method == "dense":
        return _dense_only(session, question, corpus, budget)
    options = PlanOptions(mode=Mode(method), budget=budget)
    return plan(question, corpus, options, session.backend, session.store).selected


CORPORA: dict[str, Callable[[], list[tuple[list[str], str, Callable[[list[Selected]], float]]]]] = {
    "papers": papers,
    "code": code,
    "chat": chat,
    "filings": filings,
    "papers-heldout": lambda: papers(HELDOUT / "papers.qa.jsonl"),
    "code-heldout": lambda: code(HELDOUT / "code.qa.jsonl"),
    "filings-heldout": lambda: filings(HELDOUT / "filings.qa.jsonl"),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="papers,code,chat")
    ap.add_argument("--budgets", default="1024,2048,4096,8192")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--limit", type=int, default=0, help="questions per corpus (0 = all)")
    ap.add_argument("--stride", type=int, default=1, help="every Nth question, a sample spread over all files")
    ap.add_argument("--cache-dir", default=os.environ.get("LECTO_CACHE_DIR", "/tmp/lecto-bench"))
    ap.add_argument("--dated", action="store_true", help="only questions that name dates (chat)")
    ap.add_argument("--typed", action="store_true", help="only questions asking for a duration or an amount")
    ap.add_argument("--out", type=Path, help="JSON lines: each question's recall per method and budget")
    ap.add_argument("--before", type=Path, help="a worktree of another commit: its auto plans as one more row")
    args = ap.parse_args()
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(None)))
    budgets = [int(b) for b in args.budgets.split(",")]
    methods = args.methods.split(",")
    out = args.out.open("a") if args.out else None
    for name in args.corpora.split(","):
        tasks = CORPORA[name]()[:: args.stride]
        if args.dated:
            tasks = [t for t in tasks if time_window(t[1]) is not None]
        if args.typed:
            tasks = [t for t in tasks if expected(t[1]) is not None]
        if args.limit:
            tasks = tasks[: args.limit]
        before = _before(args.before, name, budgets, args.cache_dir) if args.before else {}
        _run(session, name, tasks, budgets, methods, out, before)


def _before(worktree: Path, name: str, budgets: list[int], cache_dir: str) -> dict[str, dict[str, float]]:
    """Each question's auto recall as the commit checked out in `worktree` plans it, keyed by question.

    That commit reads its own cache (`cache_dir`-COMMIT): one lecto finding the other's newer
    cache layout would set the whole cache aside and start it afresh.
    """
    commit = subprocess.run(
        ["git", "-C", str(worktree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    label = f"auto@{commit}"
    with tempfile.TemporaryDirectory() as tmp:
        rows = Path(tmp) / "rows.jsonl"
        argv = [a for a in sys.argv[1:] if not a.startswith("--before") and a != str(worktree)]
        argv += ["--corpora", name, "--methods", "auto", "--out", str(rows), "--cache-dir", f"{cache_dir}-{commit}"]
        env = os.environ | {"PYTHONPATH": str(package_folder(worktree))}
        subprocess.run([sys.executable, __file__, *argv], env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        out = {}
        for line in rows.open():
            row = json.loads(line)
            out[row["question"]] = {f"{label}@{b}": row["recall"][f"auto@{b}"] for b in budgets}
    return out


def _run(  # type: ignore[no-untyped-def]
    session: Session,
    name: str,
    tasks,
    budgets: list[int],
    methods: list[str],
    out: TextIO | None,
    before: dict[str, dict[str, float]],
) -> None:
    corpora: dict[tuple[str, ...], Corpus] = {}
    sums: dict[str, float] = defaultdict(float)
    start = time.perf_counter()
    for sources, question, score in tasks:
        key = tuple(sources)
        if key not in corpora:
            corpora[key] = session.load(sources, {})
        row: dict[str, float] = dict(before.get(question, {}))
        for method in methods:
            for budget in budgets:
                row[f"{method}@{budget}"] = score(select(session, method, question, corpora[key], budget))
        for cell, value in row.items():
            sums[cell] += value
        if out:
            out.write(json.dumps({"corpus": name, "sources": sources, "question": question, "recall": row}) + "\n")
            out.flush()
    elapsed = time.perf_counter() - start
    print(f"\n{name}: {len(tasks)} questions, {elapsed:.0f} s")
    print("| method | " + " | ".join(f"{b // 1024}K" for b in budgets) + " |")
    print("| --- |" + " --- |" * len(budgets))
    for method in dict.fromkeys(cell.rsplit("@", 1)[0] for cell in sums):
        cells = " | ".join(f"{sums[f'{method}@{b}'] / len(tasks):.2f}" for b in budgets)
        print(f"| {method} | {cells} |")


if __name__ == "__main__":
    main()
