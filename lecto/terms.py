"""Key terms of a text: the words, names and numbers that carry its meaning.

Retrieval queries with them and citation checking compares them, so both agree on what
counts as a content word.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z][\w'-]*|\d+(?:[.,:/]\d+)*")
NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
# A citation mark: a paper's reference ("[17]", "[2, 5]", "[4–6]") or lecto's own marker after a claim.
MARK = r"\[[\d,\s–-]+\]"
STOPWORDS = frozenset(
    """a about above after again all also an and any are as at be because been being both but by can
    could did do does done each for from had has have having he her here hers him his how i if in into
    is it its itself just may me might more most much must my no nor not now of off on once only or
    other our out over own same she should so some such than that the their them then there these they
    this those through to too under until up upon us use used uses using very was we were what when
    where which while who whom why will with would you your source sources document documents""".split()
)


def key_terms(text: str) -> list[str]:
    """Distinct lower-cased content words and numbers, in order of first appearance."""
    return list(dict.fromkeys(w.lower() for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1))
