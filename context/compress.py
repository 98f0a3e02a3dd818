"""Compress mode: question-aware extractive pruning (LongLLMLingua's coarse-to-fine idea,
built for a CPU): rank chunks, then keep the units that carry the question's terms, names,
numbers and dates (whole sentences of prose, whole chat messages, code lines: lecto/kinds/), in
their original order, and drop the rest.

The ratio is dynamic: every unit of a chunk gets a prior from the chunk's rank, so the best
chunks keep most of their text and weak ones only their most relevant unit. Units are kept
verbatim (runs of adjacent ones as one slice of the original), so quotes check against the
source, and each piece keeps its chunk, so citations resolve to the original span.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lecto.context.answertype import AnswerType, expected, holds
from lecto.context.lexical import NUMBER_QUESTION, QuestionWords, idf, overlap, question_stems, stems
from lecto.context.rank import Ranked
from lecto.context.timeq import Window, chat_days, time_window
from lecto.context.tokens import Counter
from lecto.data import Chunk, Selected
from lecto.kinds import Unit, kind_of
from lecto.kinds.prose import headed, sentence_spans
from lecto.subwords import Splitter

# Never read more than this many times the budget: past 10× extractive pruning loses the thread.
MAX_RATIO = 10
# The top chunk's units are worth this much on top of their term overlap, decaying with rank.
RANK_PRIOR = 2.0
# Share of a strong unit's score lent to its neighbours: answers often sit one sentence or message on.
NEIGHBOUR_SHARE = 0.5
# Extra score for a unit with a number when the question asks for a quantity or a date.
NUMBER_BONUS = 1.0
# Extra score for a prose sentence holding the kind of answer the question asks for ("891
# seconds" for "how long…"), which often shares no word with the question.
TYPE_BONUS = 1.0
# Extra score for a chat message sent within the dates a question names ("on 9 November 2022"):
# its words rarely repeat the question's; its date does.
TIME_BONUS = 2.0
# Between two kept runs of a chunk, so the model sees that text was left out.
GAP = " … "
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class CompressOptions:
    budget: int
    # Cover every chunk (a summary, a list of every…): each chunk's best unit before any
    # chunk's second, instead of favouring the best-ranked chunks.
    spread: bool = False


@dataclass
class _Unit:
    chunk_rank: int
    start: int
    end: int
    cost: int
    score: float = 0.0


def compress(
    question: str, ranked: list[Ranked], chunks: list[Chunk], options: CompressOptions, counter: Counter
) -> list[Selected]:
    """The ranked chunks pruned to their relevant units, in document order, within budget."""
    candidates = _candidates(ranked, options.budget)
    units = _score(question, candidates)
    if options.spread:
        _even_out(units)
    kept = _choose(units, candidates, options)
    by_chunk = _assemble(candidates, kept, counter)
    kept.sort(key=lambda u: u.score)
    while by_chunk and sum(s.tokens + s.chunk.header_tokens for s in by_chunk.values()) > options.budget:
        # The per-unit costs are estimates; drop the weakest unit until the real count fits.
        weakest = kept.pop(0)
        rest = [u for u in kept if u.chunk_rank == weakest.chunk_rank]
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


def _score(question: str, candidates: list[Chunk]) -> list[list[_Unit]]:
    out = []
    for rank, (chunk, spans) in enumerate(zip(candidates, unit_scores(question, candidates), strict=True)):
        per_char = chunk.tokens / max(1, len(chunk.text))
        prior = RANK_PRIOR / (1 + rank)
        out.append([_Unit(rank, a, b, math.ceil((b - a) * per_char) + 1, x + prior) for a, b, x in spans])
    return out


def unit_scores(question: str, chunks: list[Chunk]) -> list[list[tuple[int, int, float]]]:
    """Each unit of each chunk (a sentence, chat message or code line: lecto/kinds/) as (start, end, relevance)."""
    code = [c.text for c in chunks if kind_of(c.span.kind).identifiers]
    wanted = question_stems(question, code=bool(code))
    words = QuestionWords(wanted, Splitter(code) if code else None)
    units = [kind_of(c.span.kind).units(c) for c in chunks]
    found = [
        [words.of(c.text[u.start : u.end], kind_of(c.span.kind).identifiers) for u in us]
        for c, us in zip(chunks, units, strict=True)
    ]
    # Units cover every word of their chunk, so a chunk's words are its units' words.
    weights = idf(wanted, [set().union(*f) for f in found])
    window = time_window(question, chat_days(chunks))
    typed = expected(question)
    out = []
    for chunk, chunk_units, unit_words in zip(chunks, units, found, strict=True):
        prose = kind_of(chunk.span.kind).prose
        raw = [
            overlap(weights, w) + _time_bonus(u, window) + _type_bonus(chunk.text[u.start : u.end], typed, prose)
            for u, w in zip(chunk_units, unit_words, strict=True)
        ]
        out.append(_in_context(question, chunk.text, chunk_units, raw))
    return out


def sentence_scores(question: str, texts: list[str]) -> list[list[tuple[int, int, float]]]:
    """Each sentence of each text as (start, end, relevance), for prose that is no whole chunk."""
    weights = idf(question_stems(question), [stems(t) for t in texts])
    out = []
    for text in texts:
        units = [Unit(a, b) for a, b in headed(text, sentence_spans(text))]
        raw = [overlap(weights, stems(text[u.start : u.end])) for u in units]
        out.append(_in_context(question, text, units, raw))
    return out


def _in_context(question: str, text: str, units: list[Unit], raw: list[float]) -> list[tuple[int, int, float]]:
    """Each unit's own score, a share of its neighbours' (answers often sit one unit on), and a
    bonus for stating a number the question asks for (in its body: a chat header's digits are a time)."""
    wants_number = bool(NUMBER_QUESTION.search(question))
    scored = []
    for i, u in enumerate(units):
        lent = max(raw[i - 1] if i > 0 else 0.0, raw[i + 1] if i + 1 < len(raw) else 0.0)
        number = NUMBER_BONUS if wants_number and raw[i] > 0 and _DIGIT.search(text, u.body, u.end) else 0.0
        scored.append((u.start, u.end, raw[i] + NEIGHBOUR_SHARE * lent + number))
    return scored


def _type_bonus(unit: str, typed: AnswerType | None, prose: bool) -> float:
    # Prose only, as in retrieval (lecto/kinds/): nearly every chat message states some count.
    return TYPE_BONUS if typed is not None and prose and holds(typed, unit) else 0.0


def _time_bonus(unit: Unit, window: Window | None) -> float:
    if window is None or unit.sent is None:
        return 0.0
    return TIME_BONUS * window.weight(unit.sent[:10])


def _even_out(units: list[list[_Unit]]) -> None:
    for chunk_units in units:
        for k, u in enumerate(sorted(chunk_units, key=lambda u: (-u.score, u.start))):
            u.score = 1.0 / (1 + k)


def _choose(units: list[list[_Unit]], candidates: list[Chunk], options: CompressOptions) -> list[_Unit]:
    flat = sorted((u for chunk_units in units for u in chunk_units), key=lambda u: (-u.score, u.chunk_rank, u.start))
    opened: set[int] = set()
    used = 0
    kept: list[_Unit] = []
    for u in flat:
        cost = u.cost + (0 if u.chunk_rank in opened else candidates[u.chunk_rank].header_tokens)
        if used + cost <= options.budget:
            kept.append(u)
            opened.add(u.chunk_rank)
            used += cost
    return kept


def _assemble(candidates: list[Chunk], kept: list[_Unit], counter: Counter) -> dict[int, Selected]:
    """The kept units as one pruned copy per chunk, keyed by the chunk's rank."""
    by_chunk: dict[int, list[_Unit]] = {}
    for u in kept:
        by_chunk.setdefault(u.chunk_rank, []).append(u)
    out = {}
    for rank, units in by_chunk.items():
        chunk = candidates[rank]
        text = _runs(chunk, sorted(units, key=lambda u: u.start))
        tokens = chunk.tokens if text == chunk.text else counter.count_tokens(text)
        out[rank] = Selected(chunk, text, tokens)
    return out


def _runs(chunk: Chunk, units: list[_Unit]) -> str:
    """Adjacent kept units as one verbatim slice; gaps between runs marked."""
    pieces: list[str] = []
    start = end = -1
    for u in units:
        if start >= 0 and chunk.text[end : u.start].strip() == "":
            end = u.end
            continue
        if start >= 0:
            pieces.append(chunk.text[start:end])
        start, end = u.start, u.end
    pieces.append(chunk.text[start:end])
    return GAP.join(pieces)
