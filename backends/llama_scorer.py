"""Token log-probabilities from a GGUF through llama.cpp, for `--prune-ratio` and grounded answers.

The scorer is its own instance of the same file, loaded only when scores are asked for. It has
llama.cpp compute the logits of the scored positions only, and keeps the text it last read: a
prefix that the next text shares (the "Passage: From <document>: " before each candidate of a
grounded answer) is not read again. A position's logits cost the vocabulary (49,152 rows for the
bundled model, a quarter of its weights) on top of the layers.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from lecto.backends import llama_deadline, token_prefix
from lecto.backends.llama_deadline import Deadline
from lecto.backends.registry import Backend, TokenScorer
from lecto.errors import UsageError

# Tokens scored per call: passages are a few hundred tokens; longer text is scored in windows.
SCORER_WINDOW = 1024


class LlamaScorer:
    def __init__(self, path: Path, threads: int, deadline: Deadline | None = None):
        # The backend's deadline, where it has one: its scoring gives up with the backend's other calls.
        self.llm: Any = llama_deadline.load(
            deadline or Deadline(),
            model_path=str(path),
            n_ctx=SCORER_WINDOW,
            n_batch=SCORER_WINDOW,  # a window is one call: its scored positions are one block of logits
            n_threads=threads,
            n_threads_batch=threads,
            verbose=False,
        )
        # The tokens llama.cpp holds keys and values for, from the window's start.
        self._held: list[int] = []

    def token_logprobs(self, text: str) -> list[tuple[str, float]]:
        """Each token of `text` with its log-probability given the text before it (after a BOS)."""
        ids = self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)
        out: list[tuple[str, float]] = []
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        step = SCORER_WINDOW - 1
        for start in range(0, len(ids), step):
            window = ids[start : start + step]
            for token, logprob in zip(window, self._score(window), strict=True):
                out.append((decoder.decode(self.llm.detokenize([token])), logprob))
        return out

    def continuation_logprob(self, prefix: str, continuation: str) -> float:
        """The mean log-probability of the continuation's tokens after the prefix, in one window."""
        head = self.llm.tokenize(prefix.encode("utf-8"), add_bos=False, special=False)
        tail = self.llm.tokenize(continuation.encode("utf-8"), add_bos=False, special=False)
        ids = (head[: SCORER_WINDOW - 1 - len(tail)] + tail) if tail else head
        scores = self._score(ids, last=len(tail))
        return sum(scores) / len(scores) if scores else 0.0

    def _score(self, ids: list[int], last: int | None = None) -> list[float]:
        """Each token's log-probability given those before it; with `last`, of the last `last` tokens only."""
        import numpy as np

        first = 0 if last is None else len(ids) - last
        if first >= len(ids):
            return []
        # Position k's logits predict ids[k]: the last token is read by no scored position.
        read = [self.llm.token_bos(), *ids[:-1]]
        kept = min(token_prefix.shared(self._held, read), first)
        self.llm._ctx.kv_cache_seq_rm(-1, kept, -1)
        self._held = read[:kept]
        if kept < first:
            self._read(read[kept:first], kept, logits=False)
        self._read(read[first:], first, logits=True)
        self._held = read
        rows = np.ctypeslib.as_array(self.llm._ctx.get_logits(), shape=(len(read) - first, self.llm.n_vocab()))
        logits = np.asarray(rows, dtype=np.float64)
        top = logits.max(axis=1, keepdims=True)
        logz = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
        return (logits[np.arange(len(logits)), ids[first:]] - logz).tolist()

    def _read(self, tokens: list[int], at: int, logits: bool) -> None:
        """Have llama.cpp read `tokens` from position `at`, with the logits of each one or of the last only."""
        self.llm._batch.set_batch(batch=tokens, n_past=at, logits_all=logits)
        self.llm._ctx.decode(self.llm._batch)


def scorer_for(backend: Backend) -> TokenScorer:
    """The backend itself where it scores tokens, a llama.cpp scorer beside it, or a clear refusal."""
    if isinstance(backend, TokenScorer):
        return backend
    if backend.backend == "llama.cpp":
        from lecto.backends.llama import default_threads

        return LlamaScorer(backend.path, backend.options.threads or default_threads())  # type: ignore[attr-defined]
    raise UsageError(f"--prune-ratio needs a backend that scores tokens; {backend.backend} does not")
