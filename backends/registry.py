"""The backend plug point: a small `Protocol` and a registry keyed by the `--model` spec.

A backend counts tokens with the model's own tokenizer, reports its window, and streams a
completion for chat messages. OpenAI-shaped dicts stay inside the HTTP backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, runtime_checkable

from lecto.errors import UsageError

Message = dict[str, str]


@dataclass(frozen=True)
class ModelOptions:
    """What the user said about the model: `spec` as given to `--model`, or None for the default."""

    spec: str | None
    ctx: int | None = None
    gpu_layers: int = 0
    threads: int | None = None
    prefix_dir: Path | None = None  # where llama.cpp keeps document prefixes between runs
    name: str | None = None  # the store's name for the model (`ollama:qwen2.5:7b`), when `spec` came from one


class Backend(Protocol):
    name: str  # the model's name, for the user
    backend: str  # which registered backend serves it
    tokenizer_id: str  # names the tokenizer, so cached token counts are never mixed up

    @property
    def context_window(self) -> int: ...

    def count_tokens(self, text: str) -> int: ...

    def stream(self, messages: list[Message], max_tokens: int) -> Iterator[str]: ...


@runtime_checkable
class TokenScorer(Protocol):
    """A backend that can also score text: each token with its log-probability given those before it.

    Optional: `isinstance(backend, TokenScorer)` says whether a backend can; the context step may
    use it to prune unsurprising tokens.
    """

    def token_logprobs(self, text: str) -> list[tuple[str, float]]: ...


@runtime_checkable
class Chooser(Protocol):
    """A backend that can say how likely a text is after another, without generating.

    Optional: grounded answers rank candidate sentences by how well each one predicts the
    question (the model reading, not writing), which a small model does far better than it
    answers in its own words.
    """

    @property
    def parameters(self) -> int: ...

    def continuation_logprobs(self, pairs: list[tuple[str, str]]) -> list[float]: ...


@runtime_checkable
class Stoppable(Protocol):
    """A backend that can give up a call midway (its weights' load, a pre-fill, one token) at a deadline.

    Optional: under `--max-wait` the session sets the question's deadline, and a call still
    running then raises `OutOfTime`; a backend that cannot is stopped between tokens and
    between candidates instead.
    """

    def stop_at(self, deadline: float | None) -> None:
        """Give up any call still running at `deadline` (monotonic clock); None: never."""
        ...


class OutOfTime(Exception):
    """A model call given up at the deadline its `Stoppable` backend was given."""


Factory = Callable[[ModelOptions], Backend]
GGUF_BACKEND = "llama.cpp"
_BACKENDS: dict[str, tuple[Callable[[str | None], bool], Factory]] = {}


def register_backend(name: str, claims: Callable[[str | None], bool]) -> Callable[[Factory], Factory]:
    """Register a factory for the `--model` specs that `claims` accepts."""

    def wrap(factory: Factory) -> Factory:
        _BACKENDS[name] = (claims, factory)
        return factory

    return wrap


def open_backend(options: ModelOptions, backend: str | None = None) -> Backend:
    from lecto.backends.models import resolve  # the stores' finders need the backends registered first

    if options.spec and (found := resolve(options.spec)):
        # A store's file may be a blob without the .gguf suffix; whatever its name, it is a GGUF.
        # A blob's file name says nothing, so the store's name stands in; a .gguf's stem is kept,
        # so a model named through its store is the same model as through its path.
        blob = found.path.suffix.lower() != ".gguf"
        options = replace(options, spec=str(found.path), name=found.name if blob else None)
        backend = backend or GGUF_BACKEND
    if backend is not None:
        if backend not in _BACKENDS:
            raise UsageError(f"unknown backend {backend!r} (known: {', '.join(sorted(_BACKENDS))})")
        return _BACKENDS[backend][1](options)
    for claims, factory in _BACKENDS.values():
        if claims(options.spec):
            return factory(options)
    raise UsageError(f"no backend understands --model {options.spec!r}")
