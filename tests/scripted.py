"""A scripted backend for tests of lecto's own logic: chosen tokens, chosen failures, chosen pace.

Tests of the checker, the rendering and the TUI's flow are about what lecto does with an
answer, not about what a model writes; a script states the answer, so each such test expects
one outcome on every CPU. Tests of the model path run the real bundled model instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from lecto.backends.registry import Message, ModelOptions, register_backend
from lecto.errors import ModelError


@dataclass
class Scripted:
    """Streams `pieces` in order; raises `ModelError` before piece `fail_at`; sleeps `delay` seconds a piece."""

    pieces: list[str]
    fail_at: int | None = None
    delay: float = 0.0
    name: str = "scripted"
    backend: str = "scripted"
    tokenizer_id: str = "words"
    context_window: int = 4096
    prompts: list[list[Message]] = field(default_factory=list)
    max_tokens: list[int] = field(default_factory=list)  # what each call asked for, as `prompts` records its messages

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def stream(self, messages: list[Message], max_tokens: int) -> Iterator[str]:
        self.prompts.append(messages)
        self.max_tokens.append(max_tokens)
        for i, piece in enumerate(self.pieces):
            if i == self.fail_at:
                raise ModelError("the scripted backend failed mid-stream", source=self.name)
            time.sleep(self.delay)
            yield piece


def words(text: str) -> list[str]:
    """The text as a stream of words, each with the space after it, as a model streams tokens."""
    parts = text.split(" ")
    return [p + " " for p in parts[:-1]] + [parts[-1]]


SCRIPTS: dict[str, Scripted] = {}


def _claims(spec: str | None) -> bool:
    return bool(spec) and str(spec).startswith("scripted:")


@register_backend("scripted", _claims)
def _open(options: ModelOptions) -> Scripted:
    return SCRIPTS[str(options.spec).removeprefix("scripted:")]


def model_spec(name: str, script: Scripted) -> str:
    """The `--model` spec that opens `script` in this process."""
    SCRIPTS[name] = script
    return f"scripted:{name}"
