"""Compression: evidence kept and tokens kept at 2×, 4×, 8×, and time per 1K input tokens.

The input is the retrieve plan at `--input` tokens; compress mode then prunes that same
set of chunks to input/R tokens. Evidence retention counts only questions whose evidence
was in the input, as the target says.

    python bench/compress.py [--corpora papers,code,chat] [--input 8192] [--stride N] [--start I]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from recall import chat, code, papers

from lecto.backends import ModelOptions
from lecto.context.compress import CompressOptions, compress
from lecto.context.planner import PlanOptions, plan
from lecto.context.rank import rank
from lecto.context.tokens import count_corpus
from lecto.data import Corpus, Mode
from lecto.session import Session, Settings

RATIOS = (2, 4, 8)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="papers,code,chat")
    ap.add_argument("--input", type=int, default=8192)
    ap.add_argument("--stride", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="first question of the stride (another sample)")
    ap.add_argument("--cache-dir", default="/tmp/lecto-bench")
    args = ap.parse_args()
    session = Session(Settings(cache_dir=Path(args.cache_dir), model=ModelOptions(None)))
    print(
        f"| corpus | questions with evidence in {args.input // 1024}K input | "
        + " | ".join(f"{r}×: kept / tokens" for r in RATIOS)
        + " | ms per 1K input tokens |"
    )
    print("| --- | --- |" + " --- |" * (len(RATIOS) + 1))
    for name in args.corpora.split(","):
        tasks = {"papers": papers, "code": code, "chat": chat}[name]()[args.start :: args.stride]
        _run(session, name, tasks, args.input)


def _run(session: Session, name: str, tasks, size: int) -> None:  # type: ignore[no-untyped-def]
    corpora: dict[tuple[str, ...], Corpus] = {}
    base = 0
    kept = {r: 0.0 for r in RATIOS}
    tokens = {r: 0 for r in RATIOS}
    seconds = 0.0
    input_tokens = 0
    for sources, question, score in tasks:
        corpus = corpora.setdefault(tuple(sources), session.load(sources, {}))
        source = plan(question, corpus, PlanOptions(Mode.RETRIEVE, size), session.backend, session.store).selected
        if score(source) < 1:
            continue
        base += 1
        chunks = count_corpus(corpus, session.backend, session.store)
        ids = {s.chunk.id for s in source}
        ranked = [r for r in rank(question, chunks, session.store).hits if r.chunk.id in ids]
        n_in = sum(s.tokens for s in source)
        for r in RATIOS:
            start = time.perf_counter()
            out = compress(question, ranked, chunks, CompressOptions(n_in // r), session.backend)
            seconds += time.perf_counter() - start
            input_tokens += n_in
            kept[r] += score(out)
            tokens[r] += sum(s.tokens for s in out)
    cells = " | ".join(f"{kept[r] / max(base, 1):.2f} / {tokens[r] / max(base, 1):.0f}" for r in RATIOS)
    print(f"| {name} | {base} | {cells} | {1000 * seconds / max(input_tokens, 1) * 1000:.1f} |")


if __name__ == "__main__":
    main()
