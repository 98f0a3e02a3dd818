"""Greedy decoding for the torch backend: a step the GPU can replay, text streamed piece by piece.

A decode step of a 7B model reads 14 GB of weights in 3.3 ms on an H200, but launching its
~470 kernels one by one from Python takes 17-25 ms. So the step (forward, repeat penalty,
greedy choice, advancing its own position) is captured once as a CUDA graph and replayed
(4.6 ms at a 2K prompt); only the chosen token comes back to the host. Capture is done once
enough tokens are still to come to pay it back, and kept for the rest of the process.
"""

from __future__ import annotations

from typing import Any

import torch

from lecto.backends.torch_kv import DecodeStep, KVBuffers

# The same mild penalty as the llama.cpp backend, over the same look-back, so answers match.
REPEAT_PENALTY = 1.1
REPEAT_LAST = 64
# Tokens left to write (this step's included) before capturing a graph pays back. On an H200
# with a 7B model capture costs 42-52 ms beyond the eager step it follows (4.5 ms before the
# Triton kernels), and each replay saves 12-21 ms (16.9-25.4 ms eager, 4.6 replayed at a 2K
# prompt; bench/gpu_backend.py, docs/BENCHMARKS.md): it paid back after 2.0 and 4.3 tokens.
BREAK_EVEN_TOKENS = 5


class Stepper:
    """One decode view's device state: the last token, its position, the recent tokens."""

    def __init__(self, model: Any, kv: KVBuffers, view: int):
        device = kv.keys[0].device
        self.model, self.kv = model, kv
        self.at = DecodeStep.over(view, device, kv.keys[0].dtype)
        self.token = torch.zeros((1, 1), dtype=torch.long, device=device)
        self.recent = torch.zeros(REPEAT_LAST, dtype=torch.long, device=device)
        self.graph: Any = None

    def start(self, logits: torch.Tensor, ids: list[int]) -> None:
        """Choose the first answer token from the pre-fill's last logits."""
        recent = ids[-REPEAT_LAST:]
        self.recent.copy_(torch.tensor([recent[0]] * (REPEAT_LAST - len(recent)) + recent))
        self.at.position.fill_(len(ids) - 1)
        self._choose(logits)

    def step(self, tokens_left: int) -> None:
        """Feed the last token and choose the next, replaying the graph once one is worth having."""
        if self.graph is not None:
            self.graph.replay()
            return
        self._forward()
        if self.kv.keys[0].is_cuda and tokens_left >= BREAK_EVEN_TOKENS:
            self.graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(self.graph):
                self._forward()

    def _forward(self) -> None:
        self.kv.step = self.at
        try:
            self.at.mask()
            out = self.model(
                self.token, position_ids=self.at.position[None], kv=self.kv, use_cache=False, logits_to_keep=1
            )
            self._choose(out.logits[0, -1])
        finally:
            self.kv.step = None

    def _choose(self, logits: torch.Tensor) -> None:
        """Greedy choice after dividing down (or multiplying up) the scores of recent tokens."""
        scores = logits.float()
        seen = scores.gather(0, self.recent)
        scores = scores.scatter(0, self.recent, torch.where(seen < 0, seen * REPEAT_PENALTY, seen / REPEAT_PENALTY))
        chosen = scores.argmax().view(1)
        self.recent.copy_(torch.cat([self.recent[1:], chosen]))
        self.token.copy_(chosen.view(1, 1))
        self.at.position.add_(1)


class Detokenizer:
    """Text of a growing token list, decoding only its last few tokens each time.

    Decoding the whole answer per token costs time that grows with the answer. Tokens are
    decoded from the previous piece's start, so a word's leading space and a character split
    across tokens come out exactly as decoding the whole list would give them.
    """

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer
        self.tokens: list[int] = []
        self.prefix = 0  # where the context decoded with each new token starts
        self.read = 0  # tokens whose text has been given out

    def push(self, token: int) -> str:
        self.tokens.append(token)
        shown = self._text(self.tokens[self.prefix : self.read])
        text = self._text(self.tokens[self.prefix :])
        if len(text) <= len(shown) or text.endswith("\ufffd"):  # wait for the rest of a split character
            return ""
        self.prefix, self.read = self.read, len(self.tokens)
        return text[len(shown) :]

    def _text(self, tokens: list[int]) -> str:
        return str(self.tokenizer.decode(tokens, skip_special_tokens=True))
