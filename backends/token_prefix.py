"""The tokens two token lists start with alike: what a backend holding the first has already read of the second."""

from __future__ import annotations

from collections.abc import Sequence


def shared(a: Sequence[int], b: Sequence[int]) -> int:
    """How many tokens `a` and `b` start with alike."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
