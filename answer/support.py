"""How well a passage supports one claim of an answer — demanding enough to catch a small model.

A claim is supported only when every number it states, and every name the question did not
already give, is in the passage, the passage is on the claim's topic, and most of what the
claim adds beyond the question is there too. Words the question already holds
prove nothing (the model echoes them), and words that occur in most planned passages count
little, so "the Harbour Street Community Garden is a free and open garden" is not backed by
a passage that merely names the garden.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from lecto.terms import NUMBER, WORD, key_terms

# Share of the claim's weighted new terms a passage must hold to support it.
SUPPORT_THRESHOLD = 0.6
# Share of all the claim's terms, echoes of the question included, a passage must hold to be on its topic.
TOPIC_THRESHOLD = 0.4
# A fuzzy match at least this close counts a term as present (plurals, hyphenation, -ing forms).
TERM_SIMILARITY = 88
# Shorter terms match only exactly: fuzzy matching short words confuses "plot" with "pilot".
FUZZY_MIN_CHARS = 5
# A number is the claim's most checkable part; it outweighs the words around it.
NUMBER_WEIGHT = 2.0
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
# Counts small models write out in words; "one" is left out, it is more often a pronoun than a count.
_NUMBER_WORDS = {
    w: str(n) for n, w in enumerate("two three four five six seven eight nine ten eleven twelve".split(), start=2)
} | {
    w: str(n)
    for n, w in zip(range(20, 100, 10), "twenty thirty forty fifty sixty seventy eighty ninety".split(), strict=True)
}
_NUMBER_WORD = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\b")


@dataclass(frozen=True)
class Weights:
    """What a term is worth as evidence, learned from the question and the planned passages."""

    question_terms: frozenset[str]
    idf: dict[str, float]
    unseen: float

    @classmethod
    def build(cls, question: str, passages: list[str]) -> Weights:
        df: Counter[str] = Counter()
        for text in passages:
            df.update(set(key_terms(text)))
        n = len(passages)
        idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        # A term no passage holds weighs as one that a single passage holds: rare, so telling.
        return cls(frozenset(key_terms(question)), idf, math.log((n + 1) / 1.5))

    def asked(self, text: str) -> float:
        """Share of the question's terms that the text holds."""
        if not self.question_terms:
            return 0.0
        lowered = text.lower()
        return sum(_has_word(t, lowered) for t in self.question_terms) / len(self.question_terms)

    def of(self, term: str) -> float:
        weight = max(self.idf.get(term, self.unseen), 0.1)
        return weight * NUMBER_WEIGHT if term[0].isdigit() else weight


def numbers(text: str) -> set[str]:
    """The numbers a text states, in digits or in words ("five plots" states 5)."""
    found = set(NUMBER.findall(_THOUSANDS.sub("", text)))
    return found | {_NUMBER_WORDS[w] for w in _NUMBER_WORD.findall(text.lower())}


def names(claim: str) -> set[str]:
    """Capitalised words past the first, and acronyms anywhere: what must match exactly."""
    words = WORD.findall(claim)
    found = {w for w in words[1:] if w[0].isupper()}
    found |= {w for w in words[:1] if w.isupper() and len(w) > 1}
    return {w.lower() for w in found if w.lower() not in _COMMON_CAPITALS}


# How answers talk about themselves ("the answer is", "the text mentions") or introduce a name ("a hash
# function called SHA-256"): no claim about the documents.
ANSWER_WORDS = frozenset(
    "answer answers question text mentioned mentions mention according states stated says said provided "
    "information context passage based given called named known".split()
)
# Endings that keep a word's meaning: plurals, past tense, possessive.
_INFLECTION = r"(?:s|es|ed|d|'s)?"
# Capitalised for grammar, not because they name anything.
_COMMON_CAPITALS = frozenset({"i", "i'm", "i've", "i'd", "i'll"})


def support(claim: str, passage: str, weights: Weights) -> float:
    """0 unless every number, and each name the question lacks, is in the passage; else how much of the claim it has."""
    lowered = passage.lower()
    if not numbers(claim) <= numbers(passage):
        return 0.0
    if not all(_has_word(n, lowered) for n in names(claim) - weights.question_terms):
        return 0.0
    terms, new, held = _terms(claim, passage, weights)
    # A few of the claim's words found in a passage about something else are no support.
    if not new or _share(terms, held, weights) < TOPIC_THRESHOLD:
        return 0.0
    # A number counts only with some word of what it counts: "10 euros" is not backed by "10 am".
    words = [t for t in new if not t[0].isdigit()]
    if words and len(words) < len(new) and not any(t in held for t in words):
        return 0.0
    # A name is not a claim: what the claim says of it must hold up on its own, or a passage
    # that merely names the garden backs "the Harbour Street Community Garden is a free garden".
    said = [t for t in words if t not in names(claim)]
    if said and len(said) < len(words) and _share(said, held, weights) < SUPPORT_THRESHOLD:
        return 0.0
    return _share(new, held, weights)


def overlap(claim: str, passage: str, weights: Weights) -> float:
    """Weighted share of the claim's new terms (those the question lacks) in the passage."""
    _, new, held = _terms(claim, passage, weights)
    return _share(new, held, weights) if new else 0.0


def says_something(claim: str, weights: Weights) -> bool:
    """Whether the sentence adds anything to the question; a restatement is no claim to check."""
    return bool(new_terms(claim, weights))


def new_terms(claim: str, weights: Weights) -> list[str]:
    """The claim's terms that neither the question nor talk about the answer itself account for."""
    return [t for t in key_terms(claim) if t not in ANSWER_WORDS and t not in weights.question_terms]


def _terms(claim: str, passage: str, weights: Weights) -> tuple[list[str], list[str], set[str]]:
    terms = [t for t in key_terms(claim) if t not in ANSWER_WORDS]
    new = [t for t in terms if t not in weights.question_terms]
    lowered = passage.lower()
    words = set(key_terms(passage))
    return terms, new, {t for t in terms if _present(t, words, lowered)}


def _share(terms: list[str], held: set[str], weights: Weights) -> float:
    return sum(weights.of(t) for t in terms if t in held) / sum(weights.of(t) for t in terms)


def _present(term: str, words: set[str], lowered: str) -> bool:
    if term in words or (not term.isdigit() and _has_word(term, lowered)):
        return True
    return len(term) >= FUZZY_MIN_CHARS and any(
        fuzz.ratio(term, w) >= TERM_SIMILARITY for w in words if abs(len(w) - len(term)) <= 3
    )


def _has_word(term: str, lowered: str) -> bool:
    """The term as a word or with an inflection ("plot" finds "plots"; "free" does not find "freely")."""
    return re.search(rf"\b{re.escape(term)}{_INFLECTION}\b", lowered) is not None
