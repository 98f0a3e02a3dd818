"""Token log-probabilities from a GGUF through llama.cpp, for `--prune-ratio` and grounded answers.

llama.cpp keeps logits only for the last position unless the model is loaded with
`logits_all=True`, which costs window × vocabulary floats on every call; so the scorer is
its own instance of the same file, loaded only when pruning is asked for.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from lecto.backends import llama_deadline
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
            n_threads=threads,
            n_threads_batch=threads,
            logits_all=True,
            verbose=False,
        )

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

        self.llm.reset()
        self.llm.eval([self.llm.token_bos(), *ids])
        first = 0 if last is None else len(ids) - last
        logits = np.asarray(self.llm.scores[first : len(ids)], dtype=np.float64)
        top = logits.max(axis=1, keepdims=True)
        logz = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
        return (logits[np.arange(len(logits)), ids[first:]] - logz).tolist()


def scorer_for(backend: Backend) -> TokenScorer:
    """The backend itself where it scores tokens, a llama.cpp scorer beside it, or a clear refusal."""
    if isinstance(backend, TokenScorer):
        return backend
    if backend.backend == "llama.cpp":
        from lecto.backends.llama import default_threads

        return LlamaScorer(backend.path, backend.options.threads or default_threads())  # type: ignore[attr-defined]
    raise UsageError(f"--prune-ratio needs a backend that scores tokens; {backend.backend} does not")
