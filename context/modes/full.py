"""Full mode: the whole corpus in document order, when it fits."""

from __future__ import annotations

from lecto.context.modes import Choice, OneCall, Request, Selection, asked, register_mode
from lecto.data import Chunk, Mode, Selected
from lecto.errors import BudgetError


@register_mode(Mode.FULL)
class Full(OneCall):
    ranked = False
    quoted = True
    cycled = True

    def requested(self, total: int, cost: int, budget: int) -> Choice:
        if cost > budget:
            raise BudgetError(
                f"--mode full: the documents take {total} tokens but the budget is {budget}",
                hint="use --mode auto or retrieve, or a model with a larger window",
            )
        return asked(Mode.FULL, budget)

    def select(self, request: Request) -> Selection:
        return Selection(whole(request.chunks))


def whole(chunks: list[Chunk]) -> list[Selected]:
    return [Selected(c, c.text, c.tokens) for c in chunks]
