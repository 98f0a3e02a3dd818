"""Compress mode: the best-ranked chunks pruned to their relevant units (context/compress.py)."""

from __future__ import annotations

from lecto.context.compress import CompressOptions, compress
from lecto.context.modes import Choice, OneCall, Request, Selection, asked, register_mode
from lecto.data import Mode


@register_mode(Mode.COMPRESS)
class Compress(OneCall):
    ranked = True
    quoted = True
    cycled = True

    def requested(self, total: int, cost: int, budget: int) -> Choice:
        return asked(Mode.COMPRESS, budget)

    def select(self, request: Request) -> Selection:
        options = CompressOptions(request.choice.budget, request.choice.spread)
        return Selection(compress(request.question, request.ranked, request.chunks, options, request.counter))
