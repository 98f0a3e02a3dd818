"""How well a passage supports one claim of an answer — demanding enough to catch a small model.

A claim is supported only when every number it states, and every name the question did not
already give, is in the passage, the passage is on the claim's topic, and most of what the
claim adds beyond the question is there too. Words the question already holds
prove nothing (the model echoes them), and words that occur in most planned passages count
little, so "the Harbour Street Community Garden is a free and open garden" is not backed by
a passage that merely names the garden.

Support is judged against a few consecutive sentences of the passage, never the passage as a
whole: "4 days" is not backed by a passage saying "3 metres by 4 metres" in one sentence and
"within 14 days" in another. A number must stand with what it counts ("4 days" needs a 4 a few
words before "days"), and one shared word is never support: a claim that holds only one of its
terms, or only numbers, stands on the question's own words being in the same sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz import fuzz

from lecto.context.lexical import stem, stems
from lecto.terms import NUMBER, STOPWORDS, WORD, key_terms

# Share of the claim's weighted new terms a passage must hold to support it.
SUPPORT_THRESHOLD = 0.6
# Share above which a claim whose numbers and names all hold is partly supported: shown so, not discarded.
PARTIAL_THRESHOLD = 0.25
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
# A number of the claim and the word after it: "4 days", "64 MB", "40 euros".
_QUANTITY = re.compile(r"(?<![\w.])(\d+(?:[.,:/]\d+)*)\s*(?:-\s*)?([A-Za-z%][\w%]*)")
_NUMBER_AT = re.compile(r"(?<![\w.])(\d+(?:[.,:/]\d+)*)(?![\d])")
# Characters after a number of the passage where what it counts may stand ("14 calendar days").
UNIT_REACH = 24
# Consecutive sentences a claim may draw on: an answer often joins a sentence to the next one.
RUN_SENTENCES = 3
# Weighted share of the question's terms that the sentences must hold when the claim alone proves little.
QUESTION_SHARE = 0.5
# A sentence of a source passage: up to a stop before a capital, or a blank line (citations quote these too).
SOURCE_SENTENCE = re.compile(r"\S.*?(?:[.!?](?=\s+[A-Z0-9\"'(\[])|(?=\n\s*\n)|\Z)", re.DOTALL)


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
            df.update({_unpossessed(t) for t in key_terms(text)})
        n = len(passages)
        idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        # A term no passage holds weighs as one that a single passage holds: rare, so telling.
        return cls(frozenset(_unpossessed(t) for t in key_terms(question)), idf, math.log((n + 1) / 1.5))

    def asked(self, text: str) -> float:
        """Share of the question's terms that the text holds."""
        if not self.question_terms:
            return 0.0
        lowered = text.lower()
        return sum(_has_word(t, lowered) for t in self.question_terms) / len(self.question_terms)

    def covered(self, lowered: str) -> float:
        """Weighted share of the question's terms that the (lower-cased) text holds."""
        if not self.question_terms:
            return 1.0
        total = sum(self.of(t) for t in self.question_terms)
        return sum(self.of(t) for t in self.question_terms if _has_word(t, lowered)) / total

    def touches(self, lowered: str) -> bool:
        """Whether the (lower-cased) text holds one of the question's terms in any inflection ("camping": camped)."""
        if not self.question_terms:
            return True
        if any(_has_word(t, lowered) or _inflected(_root(t), lowered) for t in self.question_terms):
            return True
        # The stems lecto ranks candidates by: "runs" is too short to lose its ending above, yet it is "run".
        return bool(self._stems & stems(lowered))

    @cached_property
    def _stems(self) -> frozenset[str]:
        return frozenset(stem(t) for t in self.question_terms)

    def echoes(self, term: str) -> bool:
        """Whether the term is one of the question's, or an inflection of one ("performed" of "perform")."""
        return term in self.question_terms or _root(term) in self._roots

    @cached_property
    def _roots(self) -> frozenset[str]:
        return frozenset(_root(t) for t in self.question_terms)

    def of(self, term: str) -> float:
        weight = max(self.idf.get(term, self.unseen), 0.1)
        return weight * NUMBER_WEIGHT if term[0].isdigit() else weight


def _unpossessed(term: str) -> str:
    # "Amazon's" asks about Amazon: the word is found in any inflection, the possessive included.
    return term[:-2] if term.endswith("'s") and len(term) > 3 else term


def numbers(text: str) -> set[str]:
    """The numbers a text states, in digits or in words ("five plots" states 5)."""
    found = set(NUMBER.findall(_THOUSANDS.sub("", text)))
    return found | {_NUMBER_WORDS[w] for w in _NUMBER_WORD.findall(text.lower())}


def names(claim: str) -> set[str]:
    """Capitalised words past the first, acronyms anywhere, and dotted names whole: what must match exactly.

    `JSONDecoder.default` is one name: a passage naming `JSONDecoder` and the word "default" does not hold it.
    """
    words = WORD.findall(claim)
    found = {w for w in words[1:] if w[0].isupper()}
    found |= {w for w in words[:1] if w.isupper() and len(w) > 1}
    found |= set(_DOTTED.findall(claim))
    return {w.lower() for w in found if w.lower() not in _COMMON_CAPITALS}


# `json.loads`, `JSONDecoder.default`: each part two characters or more, so "e.g." and "U.S." are not names.
_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w+(?:\.[A-Za-z_]\w+)+")


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
    """How much of the claim the passage's best run of sentences holds; 0 unless its numbers and names are all there.

    The passage's first line is its location (speaker, time, page) and belongs to every run.
    """
    if _support(claim, passage, weights) == 0.0:
        return 0.0  # what the whole passage lacks, no part of it holds
    header, _, body = passage.partition("\n")
    runs = sentence_runs(body) if body else [passage]
    return max((_support(claim, f"{header}\n{run}" if body else run, weights) for run in runs), default=0.0)


def sentence_runs(text: str) -> list[str]:
    """Every run of up to `RUN_SENTENCES` consecutive sentences of the text."""
    sentences = [m.group().strip() for m in SOURCE_SENTENCE.finditer(text) if m.group().strip()]
    return [
        " ".join(sentences[i : i + k]) for k in range(1, RUN_SENTENCES + 1) for i in range(len(sentences) - k + 1)
    ] or [text]


def _support(claim: str, passage: str, weights: Weights) -> float:
    lowered = passage.lower()
    if not numbers(claim) <= numbers(passage):
        return 0.0
    if not all(_has_word(n, lowered) for n in {_unpossessed(n) for n in names(claim)} - weights.question_terms):
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
    if not _counted(claim, lowered) or len(held) < 2:
        return 0.0  # a number without what it counts, or one shared word: either could be anywhere
    # Numbers alone stand on the question's own words being in the same sentences.
    if all(t[0].isdigit() for t in new if t in held) and weights.covered(lowered) < QUESTION_SHARE:
        return 0.0
    said = [t for t in words if t not in names(claim)]
    share = _share(new, held, weights)
    return min(share, _share(said, held, weights)) if said and len(said) < len(words) else share


def _counted(claim: str, lowered: str) -> bool:
    """Whether each number the claim gives with what it counts ("4 days") stands with it in the passage."""
    found = _quantities(lowered)
    return all(
        any(n == m and any(_same_unit(unit, u) for u in units) for m, units in found) for n, unit in _claim_units(claim)
    )


def _claim_units(claim: str) -> list[tuple[str, str]]:
    out = []
    for m in _QUANTITY.finditer(_digits(claim.lower())):
        unit = next((w for w in WORD.findall(m.group(2))[:1] if w not in STOPWORDS and not w[0].isdigit()), None)
        if unit:
            out.append((m.group(1), unit))
    return out


def _quantities(lowered: str) -> list[tuple[str, list[str]]]:
    """Each number of the text with the words that follow it, which may say what it counts."""
    text = _digits(lowered)
    return [(m.group(1), WORD.findall(text[m.end(1) : m.end(1) + UNIT_REACH])) for m in _NUMBER_AT.finditer(text)]


def _digits(text: str) -> str:
    text = _THOUSANDS.sub("", text)
    return _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1)], text)


def _same_unit(a: str, b: str) -> bool:
    return (
        a == b or a.rstrip("s") == b.rstrip("s") or (len(a) >= FUZZY_MIN_CHARS and fuzz.ratio(a, b) >= TERM_SIMILARITY)
    )


def partly(claim: str, passage: str, weights: Weights) -> bool:
    """Whether a run of the passage holds most of the claim's new terms, two at least, with every number and name.

    The claim is then shown as partly supported: right in substance, with words the source lacks.
    """
    header, _, body = passage.partition("\n")
    for run in sentence_runs(body) if body else [passage]:
        text = f"{header}\n{run}" if body else run
        if _support(claim, text, weights) >= PARTIAL_THRESHOLD:
            _, new, held = _terms(claim, text, weights)
            count = sum(t in held for t in new)
            if count >= 2 and count * 2 >= len(new):
                return True
    return False


def overlap(claim: str, passage: str, weights: Weights) -> float:
    """Weighted share of the claim's new terms (those the question lacks) in the passage."""
    _, new, held = _terms(claim, passage, weights)
    return _share(new, held, weights) if new else 0.0


def says_something(claim: str, weights: Weights) -> bool:
    """Whether the sentence adds anything to the question; a restatement is no claim to check."""
    return bool(new_terms(claim, weights))


def new_terms(claim: str, weights: Weights) -> list[str]:
    """The claim's terms that neither the question nor talk about the answer itself account for."""
    return [t for t in key_terms(claim) if t not in ANSWER_WORDS and not weights.echoes(t)]


def _terms(claim: str, passage: str, weights: Weights) -> tuple[list[str], list[str], set[str]]:
    terms = [t for t in key_terms(claim) if t not in ANSWER_WORDS]
    new = [t for t in terms if not weights.echoes(t)]
    lowered = passage.lower()
    return terms, new, {t for t in terms if _present(t, lowered)}


@lru_cache(maxsize=1 << 12)
def _words(lowered: str) -> frozenset[str]:
    return frozenset(key_terms(lowered))


def _share(terms: list[str], held: set[str], weights: Weights) -> float:
    return sum(weights.of(t) for t in terms if t in held) / sum(weights.of(t) for t in terms)


# A claim is judged against every run of sentences of every passage, and the answer's claims against the same
# runs again: the same term is looked up in the same text thousands of times per answer.
@lru_cache(maxsize=1 << 16)
def _present(term: str, lowered: str) -> bool:
    words = _words(lowered)
    if term in words or (not term.isdigit() and _has_word(term, lowered)):
        return True
    if term.endswith("'s") and _has_word(term[:-2], lowered):
        return True  # "Gina's team" and a message by Gina
    return len(term) >= FUZZY_MIN_CHARS and any(
        fuzz.ratio(term, w) >= TERM_SIMILARITY for w in words if abs(len(w) - len(term)) <= 3
    )


_ROOT = re.compile(r"(?:'s|ing|ed|es|s|d)$")


def _root(term: str) -> str:
    """The term without an inflection's ending, for words long enough that the rest still says what they mean."""
    root = _ROOT.sub("", term) if len(term) > FUZZY_MIN_CHARS else term
    return root if len(root) >= 4 else term


def _inflected(root: str, lowered: str) -> bool:
    return re.search(rf"\b{re.escape(root)}(?:s|es|ed|d|ing|'s)?\b", lowered) is not None


def _has_word(term: str, lowered: str) -> bool:
    """The term as a word or with an inflection ("plot" finds "plots"; "free" does not find "freely").

    A unit may follow its number without a space: "MB" is a word of "4.2MB"; a name its underscore:
    "MAXHEADERS" is a word of `_MAXHEADERS`.
    """
    start = r"(?<![^\W\d_])" if term[:1].isalpha() else r"\b"
    return re.search(rf"{start}{re.escape(term)}{_INFLECTION}\b", lowered) is not None
