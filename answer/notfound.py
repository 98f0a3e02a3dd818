"""Whether the planned passages answer the question, decided from evidence, not the model's say-so.

The answer is `not_found` when the model says the sources lack it, and also when no planned
passage supports any of its claims: a small model guesses rather than admit it does not know,
and an answer nothing in the documents backs is not an answer from the documents.
"""

from __future__ import annotations

import re

from lecto.answer.citations import Checked, check
from lecto.data import Selected, Status

_NOT_FOUND = re.compile(r"\bnot\s+found\b|do(?:es)?\s+not\s+contain|no\s+information", re.IGNORECASE)


def decide(text: str, question: str, selected: list[Selected]) -> tuple[Checked, Status]:
    """The checked answer and whether it counts as an answer from the documents."""
    said_not_found = not text or _NOT_FOUND.search(text) is not None
    checked = check("" if said_not_found else text, question, selected)
    return checked, Status.ANSWERED if checked.supported else Status.NOT_FOUND
