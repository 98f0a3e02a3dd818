"""First question vs follow-up over the same documents, in one process, per backend.

The documents come before the question in the prompt, so a follow-up pre-fills only the
question: llama-cpp-python keeps the evaluated tokens and skips the common prefix; the
torch backend keeps its key/value cache.

    python bench/backends_prefix.py [--backend llama.cpp|torch] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from lecto.answer.prompt import SYSTEM
from lecto.backends import ModelOptions, open_backend

DOC = Path("/work/shared/corpus/chat/locomo-0.whatsapp.txt")
DOC_CHARS = 6000  # about 1,500 tokens: a few seconds of pre-fill on two cores
QUESTIONS = ("What did Caroline go to?", "What is Melanie painting?")
ANSWER_TOKENS = 32


def timed(backend, question: str, docs: str) -> float:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": f"{docs}\n\nQuestion: {question}"}]
    start = time.perf_counter()
    for _ in backend.stream(messages, ANSWER_TOKENS):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="llama.cpp")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    docs = "Sources:\n\n[1] " + DOC.read_text()[:DOC_CHARS]
    firsts, follows = [], []
    for _ in range(args.runs):
        backend = open_backend(ModelOptions(spec=None, ctx=4096), args.backend)
        timed(backend, "warm-up", "")  # weights load outside the timing
        firsts.append(timed(backend, QUESTIONS[0], docs))
        follows.append(timed(backend, QUESTIONS[1], docs))
    tokens = backend.count_tokens(docs)
    print(f"{args.backend}: {tokens} document tokens, {ANSWER_TOKENS} answer tokens, {args.runs} runs")
    print(f"first question {statistics.median(firsts):.2f} s, follow-up {statistics.median(follows):.2f} s (medians)")


if __name__ == "__main__":
    main()
