"""Compress mode: question-aware extractive pruning (LongLLMLingua's coarse-to-fine idea,
built for a CPU): rank chunks, then keep the whole sentences that carry the question's
terms, names and numbers, in their original order, and drop the rest.

The ratio is dynamic: every sentence of a chunk gets a prior from the chunk's rank, so the
best chunks keep most of their text and weak ones only their most relevant sentence.
Sentences are kept verbatim (runs of adjacent ones as one slice of the original), so
quotes check against the source, and each piece keeps its chunk, so citations resolve to
the original span.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lecto.context.lexical import NUMBER_QUESTION, idf, overlap, question_stems, stems
from lecto.context.rank import Ranked
from lecto.context.tokens import Counter
from lecto.data import Chunk, Selected

# Never read more than this many times the budget: past 10× extractive pruning loses the thread.
MAX_RATIO = 10
# The top chunk's sentences are worth this much on top of their term overlap, decaying with rank.
RANK_PRIOR = 2.0
# Share of a strong sentence's score lent to its neighbours: answers often sit one sentence on.
NEIGHBOUR_SHARE = 0.5
# Extra score for a sentence with a number when the question asks for a quantity or a date.
NUMBER_BONUS = 1.0
# Between two kept runs of a chunk, so the model sees that text was left out.
GAP = " … "
_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class CompressOptions:
    budget: int
    header_tokens: int
    # Cover every chunk (a summary, a list of every…): each chunk's best sentence before any
    # chunk's second, instead of favouring the best-ranked chunks.
    spread: bool = False


@dataclass
class _Sentence:
    chunk_rank: int
    start: int
    end: int
    cost: int
    score: float = 0.0


def compress(
    question: str, ranked: list[Ranked], chunks: list[Chunk], options: CompressOptions, counter: Counter
) -> list[Selected]:
    """The ranked chunks pruned to their relevant sentences, in document order, within budget."""
    candidates = _candidates(ranked, options.budget)
    sentences = _score(question, candidates)
    if options.spread:
        _even_out(sentences)
    kept = _choose(sentences, candidates, options)
    by_chunk = _assemble(candidates, kept, counter)
    kept.sort(key=lambda s: s.score)
    while by_chunk and sum(s.tokens + options.header_tokens for s in by_chunk.values()) > options.budget:
        # The per-sentence costs are estimates; drop the weakest sentence until the real count fits.
        weakest = kept.pop(0)
        rest = [s for s in kept if s.chunk_rank == weakest.chunk_rank]
        by_chunk.pop(weakest.chunk_rank)
        by_chunk.update(_assemble(candidates, rest, counter))
    order = {c.id: i for i, c in enumerate(chunks)}
    return sorted(by_chunk.values(), key=lambda s: order[s.chunk.id])


def _candidates(ranked: list[Ranked], budget: int) -> list[Chunk]:
    out: list[Chunk] = []
    total = 0
    seen: set[str] = set()
    for r in ranked:
        key = " ".join(r.chunk.text.split())
        if key in seen:
            continue
        if total + r.chunk.tokens > budget * MAX_RATIO:
            break
        seen.add(key)
        out.append(r.chunk)
        total += r.chunk.tokens
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Each sentence (or line) of `text` as a (start, end) character range, blanks left out."""
    bounds = [0]
    for m in _SENTENCE_GAP.finditer(text):
        bounds += [m.start(), m.end()]
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if text[a:b].strip()]


def _score(question: str, candidates: list[Chunk]) -> list[list[_Sentence]]:
    out = []
    scored = sentence_scores(question, [c.text for c in candidates])
    for rank, (chunk, spans) in enumerate(zip(candidates, scored, strict=True)):
        per_char = chunk.tokens / max(1, len(chunk.text))
        out.append(
            [_Sentence(rank, a, b, math.ceil((b - a) * per_char) + 1, x + RANK_PRIOR / (1 + rank)) for a, b, x in spans]
        )
    return out


def sentence_scores(question: str, texts: list[str]) -> list[list[tuple[int, int, float]]]:
    """Each sentence of each text as (start, end, relevance): the question's terms in it, a share of
    its neighbours' (answers often sit one sentence on), and a bonus for a number a question asks for."""
    terms = question_stems(question)
    weights = idf(terms, [stems(t) for t in texts])
    wants_number = bool(NUMBER_QUESTION.search(question))
    out = []
    for text in texts:
        spans = sentence_spans(text)
        raw = [overlap(weights, stems(text[a:b])) for a, b in spans]
        scored = []
        for i, (a, b) in enumerate(spans):
            lent = max(raw[i - 1] if i > 0 else 0.0, raw[i + 1] if i + 1 < len(raw) else 0.0)
            number = NUMBER_BONUS if wants_number and _DIGIT.search(text[a:b]) else 0.0
            scored.append((a, b, raw[i] + NEIGHBOUR_SHARE * lent + number * (raw[i] > 0)))
        out.append(scored)
    return out


def _even_out(sentences: list[list[_Sentence]]) -> None:
    for sents in sentences:
        for k, s in enumerate(sorted(sents, key=lambda s: (-s.score, s.start))):
            s.score = 1.0 / (1 + k)


def _choose(sentences: list[list[_Sentence]], candidates: list[Chunk], options: CompressOptions) -> list[_Sentence]:
    flat = sorted((s for sents in sentences for s in sents), key=lambda s: (-s.score, s.chunk_rank, s.start))
    opened: set[int] = set()
    used = 0
    kept: list[_Sentence] = []
    for s in flat:
        cost = s.cost + (0 if s.chunk_rank in opened else options.header_tokens)
        if used + cost <= options.budget:
            kept.append(s)
            opened.add(s.chunk_rank)
            used += cost
    return kept


def _assemble(candidates: list[Chunk], kept: list[_Sentence], counter: Counter) -> dict[int, Selected]:
    """The kept sentences as one pruned copy per chunk, keyed by the chunk's rank."""
    by_chunk: dict[int, list[_Sentence]] = {}
    for s in kept:
        by_chunk.setdefault(s.chunk_rank, []).append(s)
    out = {}
    for rank, sents in by_chunk.items():
        chunk = candidates[rank]
        text = _runs(chunk, sorted(sents, key=lambda s: s.start))
        tokens = chunk.tokens if text == chunk.text else counter.count_tokens(text)
        out[rank] = Selected(chunk, text, tokens)
    return out


def _runs(chunk: Chunk, sents: list[_Sentence]) -> str:
    """Adjacent kept sentences as one verbatim slice; gaps between runs marked."""
    pieces: list[str] = []
    start = end = -1
    for s in sents:
        if start >= 0 and chunk.text[end : s.start].strip() == "":
            end = s.end
            continue
        if start >= 0:
            pieces.append(chunk.text[start:end])
        start, end = s.start, s.end
    pieces.append(chunk.text[start:end])
    return GAP.join(pieces)
