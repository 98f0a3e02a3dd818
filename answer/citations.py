"""Citations checked against the source, never passed on as the model wrote them.

Each sentence of the answer is matched to the passages that support it: the `[n]` markers
the model wrote are verified (`answer/support.py`); a sentence with no marker that holds up
gets the best supporting passage, labelled as attributed by the tool; a sentence that no
planned passage supports is marked unsupported. Every quote is copied verbatim from the
original text, also when the model read a compressed copy of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from lecto.answer.support import SUPPORT_THRESHOLD, Weights, overlap, says_something, support
from lecto.data import Citation, Selected, Sentence, Support

_MARKER = re.compile(r"\[(\d+(?:\s*[,\-–]\s*\d+)*)\]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SOURCE_SENTENCE = re.compile(r"\S.*?(?:[.!?](?=\s+[A-Z0-9\"'(\[])|(?=\n\s*\n)|\Z)", re.DOTALL)
# A marker range longer than this is a typo, not a citation of every passage in between.
MAX_RANGE = 20


@dataclass(frozen=True)
class Claim:
    sentence: str
    markers: tuple[int, ...]


@dataclass(frozen=True)
class Checked:
    citations: list[Citation]
    sentences: list[Sentence]

    @property
    def supported(self) -> bool:
        return any(s.support is not Support.UNSUPPORTED for s in self.sentences)


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
            span = len(ends) == 2 and 0 <= ends[1] - ends[0] < MAX_RANGE
            found += range(ends[0], ends[-1] + 1) if span else ends[:1]
    return tuple(dict.fromkeys(found))


def check(answer: str, question: str, selected: list[Selected]) -> Checked:
    """Every claim of the answer linked to the passages that support it, numbered as the prompt numbered them."""
    evidence = [_evidence(s) for s in selected]
    weights = Weights.build(question, [s.text for s in selected])
    found: dict[int, Citation] = {}
    sentences = [
        _check_claim(claim, selected, evidence, weights, found)
        for claim in claims(answer)
        if says_something(claim.sentence, weights)
    ]
    return Checked([found[n] for n in sorted(found)], sentences)


def _evidence(s: Selected) -> str:
    # Speakers, times and page labels live in the location, not the text; a claim may rest on them.
    return f"{s.chunk.span.location.describe()}\n{s.text}"


def _check_claim(
    claim: Claim, selected: list[Selected], evidence: list[str], weights: Weights, found: dict[int, Citation]
) -> Sentence:
    valid = [n for n in claim.markers if 1 <= n <= len(selected)]
    verified = [n for n in valid if support(claim.sentence, evidence[n - 1], weights) >= SUPPORT_THRESHOLD]
    for n in valid:
        _add(found, n, claim.sentence, selected[n - 1], weights, verified=n in verified, by_model=True)
    if verified:
        return Sentence(claim.sentence, tuple(verified), Support.CITED)
    best = best_passage(claim.sentence, evidence, weights)
    if best is None:
        return Sentence(claim.sentence, (), Support.UNSUPPORTED)
    _add(found, best, claim.sentence, selected[best - 1], weights, verified=True, by_model=False)
    return Sentence(claim.sentence, (best,), Support.ATTRIBUTED)


def best_passage(claim: str, evidence: list[str], weights: Weights) -> int | None:
    """The 1-based number of the passage that best supports the claim; ties go to the earlier."""
    scored = [(support(claim, text, weights), -n) for n, text in enumerate(evidence, start=1)]
    score, neg_n = max(scored, default=(0.0, 0))
    return -neg_n if score >= SUPPORT_THRESHOLD else None


def _add(
    found: dict[int, Citation],
    n: int,
    claim: str,
    passage: Selected,
    weights: Weights,
    *,
    verified: bool,
    by_model: bool,
) -> None:
    previous = found.get(n)
    if previous is not None and (previous.verified, previous.by_model) >= (verified, by_model):
        return
    text = passage.chunk.text
    found[n] = Citation(
        n=n,
        span=passage.chunk.span,
        text=text,
        quote=quote(claim, text, weights),
        verified=verified,
        by_model=by_model,
    )


def quote(claim: str, passage: str, weights: Weights) -> str:
    """The passage's sentence (or two neighbouring sentences) that best supports the claim, copied verbatim."""
    spans = [(m.start(), m.end()) for m in _SOURCE_SENTENCE.finditer(passage) if m.group().strip()]
    if not spans:
        return passage.strip()
    pairs = [(a[0], b[1]) for a, b in zip(spans, spans[1:], strict=False)]

    def score(span: tuple[int, int]) -> tuple[float, float, float]:
        # Among sentences that hold the claim's terms equally, quote the one that answers the question.
        text = passage[span[0] : span[1]]
        relevance = overlap(claim, text, weights) + weights.asked(text)
        return support(claim, text, weights), relevance, fuzz.partial_ratio(claim, text)

    best = max(spans, key=score)
    if score(best)[0] < SUPPORT_THRESHOLD and pairs:
        pair = max(pairs, key=score)
        best = pair if score(pair)[0] > score(best)[0] else best
    return passage[best[0] : best[1]].strip()
