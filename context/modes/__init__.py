"""Context modes: each a way to fill the model's window, one module each, looked up by `Mode`.

A mode module registers one class with `@register_mode(Mode.X)`: what `--mode x` plans, how it
selects the passages, and its answer step (most modes read the plan in one call; map-reduce
takes notes first). The planner, the answer step, `--mode` and the TUI's mode cycle all ask this
registry, so a new mode is one module here and one member of `Mode`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from lecto.answer import prompt
from lecto.data import Chunk, Mode, Plan, Selected

if TYPE_CHECKING:
    from lecto.backends.registry import Backend, Message
    from lecto.context.rank import Ranked
    from lecto.context.tokens import Counter


@dataclass(frozen=True)
class Choice:
    """What a plan will be: its mode, the tokens its passages may take, and why, for the user."""

    mode: Mode
    budget: int
    reason: str
    spread: bool = False  # cover the whole corpus in document order instead of the best passages
    group_budget: int = 0  # MAPREDUCE: tokens one map call reads; `budget` is what all of them read


@dataclass(frozen=True)
class Request:
    """What a mode selects from: the question, every chunk counted, the ranking where it asked for one."""

    question: str
    chunks: list[Chunk]
    ranked: list[Ranked]
    choice: Choice
    counter: Counter


@dataclass(frozen=True)
class Selection:
    selected: list[Selected]
    groups: list[int] = field(default_factory=list)  # passages per model call, where a mode reads in several
    note: str = ""  # what the selection made, for the plan's reason (known only once it is made)


class ContextMode(Protocol):
    ranked: bool  # picks passages by relevance to the question, so the planner ranks them first
    quoted: bool  # a grounded answer may quote its passages; False where the mode answers its own way
    cycled: bool  # offered in the TUI's mode cycle

    def requested(self, total: int, cost: int, budget: int) -> Choice:
        """The plan `--mode NAME` asks for, over documents of `total` tokens (`cost` with their headers)."""
        ...

    def select(self, request: Request) -> Selection: ...

    def messages(self, question: str, plan: Plan, backend: Backend, timings: dict[str, float]) -> list[Message]:
        """The prompt of the answering call, after any calls of the mode's own."""
        ...


_MODES: dict[Mode, ContextMode] = {}


def register_mode(mode: Mode) -> Callable[[type], type]:
    def wrap(cls: type) -> type:
        _MODES[mode] = cls()
        return cls

    return wrap


def mode_of(mode: Mode) -> ContextMode:
    return _MODES[mode]


def cycle() -> tuple[Mode, ...]:
    """The modes the TUI steps through, auto first, in `Mode`'s order."""
    return (Mode.AUTO, *(m for m in Mode if m in _MODES and _MODES[m].cycled))


class OneCall:
    """A mode whose answer is one call over the plan's passages, numbered as the plan numbers them."""

    def messages(self, question: str, plan: Plan, backend: Backend, timings: dict[str, float]) -> list[Message]:
        return prompt.messages(plan, question)


def asked(mode: Mode, budget: int) -> Choice:
    return Choice(mode, budget, f"--mode {mode.value} was asked for")


from lecto.context.modes import compress, full, mapreduce, retrieve  # noqa: E402, F401  (registration on import)
