"""Word-level relevance of text to a question: light stems and inverse document frequency.

Compression and packing score sentences with it. Stems are crude on purpose (suffix
stripping, no dictionary): they must agree with themselves, run in microseconds per
sentence, and match "replicas" to "replica" the way the FTS5 porter index does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

from lecto.subwords import Splitter, identifiers, with_abbreviations
from lecto.terms import STOPWORDS, WORD, key_terms

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s")
# Stems shorter than this match too many unrelated words ("us" from "uses").
_MIN_STEM = 3


# A corpus has tens of thousands of distinct words; each is stemmed once per process.
@lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    # "John's" and "parents'" are John and parents: a possessive left on kept "john'", which no word but the
    # possessive matched, so a question naming "John's" area weighed a term none of his messages hold.
    w = word.lower().removesuffix("'s").rstrip("'")
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= _MIN_STEM:
            w = w[: -len(suffix)]
            break
    # A final "e" goes too, or "failure" and "failures" (stripped of "es") would be two words.
    return w[:-1] if w.endswith("e") and len(w) > _MIN_STEM else w


def stems(text: str) -> set[str]:
    """The content-word stems of a text (numbers kept whole)."""
    return {stem(w) for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1}


def question_stems(question: str, code: bool = False) -> list[str]:
    """The stems of the question's key terms; for `code`, also of the abbreviations code writes for them."""
    terms = key_terms(question)
    return list(dict.fromkeys(stem(t) for t in (with_abbreviations(terms) if code else terms)))


class QuestionWords:
    """The question's stems a unit holds; code's include the words inside its names
    (`_MAXHEADERS`: max, headers), split as the full-text index splits them."""

    def __init__(self, wanted: Iterable[str], splitter: Splitter | None) -> None:
        self._wanted = set(wanted)
        self._splitter = splitter
        self._inside = re.compile("|".join(map(re.escape, sorted(self._wanted))) or "(?!)")

    def of(self, text: str, names: bool) -> set[str]:
        """The question's stems in `text`; with `names`, also those inside its identifiers."""
        found = stems(text) & self._wanted
        return found | self.in_names(text) if names else found

    def in_names(self, text: str) -> set[str]:
        """The question's stems inside the identifiers of `text`."""
        if self._splitter is None or not self._inside.search(text.lower()):
            return set()
        # A stem is a prefix of a piece of the name, so a name without a wanted stem in it
        # holds none of the question's words, and splitting it (the costly part) is skipped.
        inside = {n for n in identifiers(text) if self._inside.search(n.lower())}
        return stems(" ".join(self._splitter.words_in(inside))) & self._wanted


def idf(terms: Iterable[str], texts: Sequence[AbstractSet[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of each term over the given stem sets."""
    n = len(texts)
    out: dict[str, float] = {}
    for t in terms:
        df = sum(1 for s in texts if t in s)
        out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return out


def overlap(weights: dict[str, float], text_stems: set[str]) -> float:
    return sum(w for t, w in weights.items() if t in text_stems)


NUMBER_QUESTION = re.compile(
    r"^\s*(how\s+(many|much|long|large|big|old|often|fast)|what\s+(size|year|number|percentage)|when)\b",
    re.IGNORECASE,
)
