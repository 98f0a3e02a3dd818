"""Citations checked against the source, never passed on as the model wrote them.

Each sentence of the answer is matched to the passages that support it: the `[n]` markers
the model wrote are verified by lexical overlap of the claim's key terms, numbers and names
with the cited text; a sentence with no valid marker gets the best supporting passage,
labelled as attributed by the tool. Every quote is copied verbatim from the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from lecto.data import Citation, Selected
from lecto.terms import NUMBER, key_terms

_MARKER = re.compile(r"\[(\d+(?:\s*[,\-–]\s*\d+)*)\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SOURCE_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])|\n{2,}")
# Share of a claim's key terms the passage must hold for a citation to count as verified.
SUPPORT_THRESHOLD = 0.5
# A fuzzy match at least this close counts a term as present (catches plurals, hyphenation).
TERM_SIMILARITY = 88


@dataclass(frozen=True)
class Claim:
    sentence: str
    markers: tuple[int, ...]


def claims(answer: str) -> list[Claim]:
    out = []
    for sentence in _SENTENCE.split(answer):
        sentence = sentence.strip()
        if sentence:
            out.append(Claim(_MARKER.sub("", sentence).strip(), _markers(sentence)))
    return out


def _markers(sentence: str) -> tuple[int, ...]:
    found: list[int] = []
    for group in _MARKER.findall(sentence):
        for part in re.split(r"\s*,\s*", group):
            ends = [int(x) for x in re.split(r"\s*[\-–]\s*", part)]
            found += range(ends[0], ends[-1] + 1) if len(ends) == 2 and ends[1] - ends[0] < 20 else ends[:1]
    return tuple(dict.fromkeys(found))


def support(claim: str, passage: str) -> float:
    """Share of the claim's key terms found in the passage; 0 if a number in the claim is missing."""
    terms = key_terms(claim)
    if not terms:
        return 0.0
    lowered = passage.lower()
    if any(n not in lowered for n in NUMBER.findall(claim)):
        return 0.0
    words = set(key_terms(passage))
    found = sum(1 for t in terms if t in words or t in lowered or _fuzzy_in(t, words))
    return found / len(terms)


def _fuzzy_in(term: str, words: set[str]) -> bool:
    return len(term) > 4 and any(fuzz.ratio(term, w) >= TERM_SIMILARITY for w in words if abs(len(w) - len(term)) <= 3)


def quote(claim: str, passage: str) -> str:
    """The passage's sentence that best supports the claim, copied verbatim."""
    sentences = [s.strip() for s in _SOURCE_SENTENCE.split(passage) if s.strip()]
    if not sentences:
        return passage.strip()
    return max(sentences, key=lambda s: (support(claim, s), fuzz.partial_ratio(claim, s)))


def cite(answer: str, question: str, selected: list[Selected]) -> list[Citation]:
    """One citation per (sentence, supporting passage), numbered as the prompt numbered them."""
    found: dict[int, Citation] = {}
    for claim in claims(answer):
        if not key_terms(claim.sentence):
            continue
        valid = [n for n in claim.markers if 1 <= n <= len(selected)]
        verified = [n for n in valid if support(claim.sentence, selected[n - 1].text) >= SUPPORT_THRESHOLD]
        for n in valid:
            _add(found, n, claim.sentence, selected[n - 1], verified=n in verified, by_model=True)
        if not verified:
            best = _best_passage(claim.sentence, question, selected)
            if best is not None:
                _add(found, best, claim.sentence, selected[best - 1], verified=True, by_model=False)
    return [found[n] for n in sorted(found)]


def _best_passage(claim: str, question: str, selected: list[Selected]) -> int | None:
    """The passage that best supports the claim; ties go to the one closer to the question, then the earlier."""
    scored = [(support(claim, s.text), support(question, s.text), -n) for n, s in enumerate(selected, start=1)]
    score, _, neg_n = max(scored, default=(0.0, 0.0, 0))
    return -neg_n if score >= SUPPORT_THRESHOLD else None


def _add(found: dict[int, Citation], n: int, claim: str, passage: Selected, *, verified: bool, by_model: bool) -> None:
    previous = found.get(n)
    if previous is not None and (previous.verified or not verified):
        return
    text = passage.chunk.text
    found[n] = Citation(
        n=n,
        span=passage.chunk.span,
        text=text,
        quote=quote(claim, text),
        verified=verified,
        by_model=by_model,
    )
