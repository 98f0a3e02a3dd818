"""Grounded answers: the model chooses the source sentence that answers, lecto quotes it.

A 135M model writes poorly but chooses fairly. Asked to write, it paraphrases the evidence
into something else ("a free and open garden"), and which paraphrase it writes flips with
the CPU's floating-point kernels. Asked which of a few numbered sentences answers the
question, it reads one token's log-probabilities, and the answer is then a verbatim quote
the checker can verify: a rounding difference can at most swap two close candidates, never
invent a word.

The candidates are the units of the planned passages (sentences of prose, messages of a
chat, lines of code) that hold most of the question's weighted terms, or the kind of answer
it asks for ("how long" and a duration). The model's choice and lecto's own ranking are
combined, so neither the model's taste for the first option nor a lexical near-tie decides
alone. A candidate that holds too little of the question is no answer: then lecto says
"not found" and shows the closest passages instead of a guess.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from lecto.backends.registry import Backend, Chooser, Message
from lecto.context.answertype import expected, holds
from lecto.context.lexical import idf, overlap, question_stems, stem, stems
from lecto.context.units import unit_spans
from lecto.data import ChatLocation, Kind, Selected
from lecto.ingest.chat.window import read_entry
from lecto.terms import key_terms

# Candidates the model chooses among: more hold the evidence more often, fewer are chosen better.
CANDIDATES = 5
# BM25's term-saturation and length-normalisation constants, as the store's FTS5 index uses them.
BM25_K1 = 1.2
BM25_B = 0.75
# What the question's word pairs found in order add ("chunk size" read as a phrase).
PAIR_BONUS = 0.2
# What a unit's coverage counts for when the question's words are in the unit before it.
PAIR_SHARE = 0.8
# How much the answer kind the question asks for ("how long": a duration) adds to a unit's share of its terms.
TYPE_BONUS = 0.25
# Weight of the model's log-probability against lecto's own ranking of the candidates.
MODEL_WEIGHT = 0.15
# A unit holding less than this share of the question's weighted terms does not answer it.
MIN_COVERAGE = 0.3
# An answer quoted at more length stops being an answer; longer units are cut to their best sentences.
MAX_QUOTE_WORDS = 60

CHOOSE_SYSTEM = "You choose which numbered sentence answers the question. Reply with the sentence's number only."


@dataclass(frozen=True)
class Candidate:
    n: int  # the passage's number in the prompt, 1-based
    start: int  # the candidate's offsets in the passage's original text
    end: int
    focus: int  # where the unit that answers starts: after `start` when it is read with the unit before it
    text: str
    coverage: float  # idf-weighted share of the question's terms the unit holds
    score: float  # lecto's own ranking: coverage length-normalised, with the phrase and answer-type bonuses


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    candidates: list[Candidate]
    model_logprobs: list[float]  # one per candidate, empty when the backend cannot choose


def candidates(question: str, selected: list[Selected], limit: int = CANDIDATES) -> list[Candidate]:
    """The units of the planned passages that best answer the question, best first; ties go to the earlier.

    Units are ranked as BM25 ranks documents (rare question words count most, a long unit's
    many words count for less), with a bonus for the question's word pairs in order ("chunk
    size") and for the kind of answer it asks for. A unit is also read with the one before
    it: the sentence that answers often leaves the question's words to the sentence it
    follows ("Chunk size is one of the key design parameters. We have chosen 64 MB, …"), and
    a chat's answer to the message that asked.
    """
    units = [(n, s, _units(s)) for n, s in enumerate(selected, start=1)]
    bodies = {(n, a): stems(_body(s.chunk.text[a:b])) for n, s, spans in units for a, b in spans}
    terms = _question_terms(question, selected)
    weights = idf(terms, list(bodies.values()))
    total = sum(weights.values()) or 1.0
    mean = sum(len(b) for b in bodies.values()) / max(len(bodies), 1)
    pairs = _pairs(question, terms)
    kind = expected(question)
    scored = []
    for n, s, spans in units:
        text = s.chunk.text
        for i, (a, b) in enumerate(spans):
            here = bodies[n, a]
            cover = overlap(weights, here) / total
            start = a
            if i and (joined := PAIR_SHARE * overlap(weights, here | bodies[n, spans[i - 1][0]]) / total) > cover:
                cover, start = joined, spans[i - 1][0]
            body = _body(text[start:b])
            # Only a long unit's score is normalised: a short one (a figure's label) gains nothing for its brevity.
            length = max(1.0, 1 - BM25_B + BM25_B * len(here) / max(mean, 1.0))
            rank = cover * (BM25_K1 + 1) / (1 + BM25_K1 * length)
            rank += PAIR_BONUS * _pair_share(pairs, body) + (TYPE_BONUS if kind and holds(kind, body) else 0.0)
            scored.append(Candidate(n, start, b, a, text[start:b], cover, rank))
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    return [scored[i] for i in order[:limit]]


def _question_terms(question: str, selected: list[Selected]) -> list[str]:
    """The question's stems, less the names of its people and of the one document every passage comes from.

    "Which hash function does Bitcoin use?" asked of bitcoin.pdf: "bitcoin" tells no sentence
    of it from another, and the title, the one sentence that does say it, answers nothing.
    """
    named = set.intersection(*(stems(Path(s.chunk.span.source).stem.replace("-", " ")) for s in selected))
    people = {stem(w) for s in selected if isinstance(s.chunk.span.location, ChatLocation)
              for p in s.chunk.span.location.speakers for w in p.split()}
    terms = question_stems(question)
    kept = [t for t in terms if t not in named and t not in people]
    return kept or terms


def _pairs(question: str, terms: list[str]) -> list[tuple[str, str]]:
    words = [stem(w) for w in key_terms(question)]
    return [(a, b) for a, b in zip(words, words[1:], strict=False) if a in terms and b in terms]


def _pair_share(pairs: list[tuple[str, str]], body: str) -> float:
    if not pairs:
        return 0.0
    words = [stem(w) for w in key_terms(body)]
    present = set(zip(words, words[1:], strict=False))
    return sum(p in present for p in pairs) / len(pairs)


def _units(s: Selected) -> list[tuple[int, int]]:
    """The units of a passage the model read: all of them, or those a compressed copy kept.

    A sentence of prose runs across line breaks (a PDF's or a wrapped paragraph's); only a
    blank line or a sentence's end closes it.
    """
    spans = _sentences(s.chunk.text) if s.chunk.span.kind in _PROSE else unit_spans(s.chunk)
    if s.text == s.chunk.text:
        return spans
    return [(a, b) for a, b in spans if s.chunk.text[a:b].strip() in s.text]


_PROSE = (Kind.PDF, Kind.TEXT)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n\s*\n")


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds = [0]
    for m in _SENTENCE_END.finditer(text):
        bounds += [m.start(), m.end()]
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if text[a:b].strip()]


def _body(unit: str) -> str:
    entry = read_entry(unit)
    return entry.body if entry else unit


def choose(question: str, found: list[Candidate], backend: Backend) -> Choice | None:
    """The candidate that answers, by the model's choice and lecto's ranking combined; None if none does."""
    # A unit that holds too little of the question is never offered: the model cannot be talked into it.
    found = [c for c in found if c.coverage >= MIN_COVERAGE]
    if not found:
        return None
    logprobs = (
        backend.option_logprobs(choice_messages(question, found), [str(i) for i in range(1, len(found) + 1)])
        if isinstance(backend, Chooser) and len(found) > 1
        else []
    )
    best = max(range(len(found)), key=lambda i: (_combined(found[i], logprobs, i), -i))
    return Choice(found[best], found, logprobs)


def _combined(c: Candidate, logprobs: list[float], i: int) -> float:
    return c.score + (MODEL_WEIGHT * max(logprobs[i], -10.0) if logprobs else 0.0)


def choice_messages(question: str, found: list[Candidate]) -> list[Message]:
    from lecto.answer.prompt import defuse

    lines = [f"{i}. {defuse(_one_line(c.text))}" for i, c in enumerate(found, start=1)]
    body = "\n".join(lines)
    return [
        {"role": "system", "content": CHOOSE_SYSTEM},
        {
            "role": "user",
            "content": f"Question: {defuse(question)}\n\nSentences:\n{body}\n\nWhich sentence answers it?",
        },
    ]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def answer_text(question: str, choice: Choice, selected: list[Selected]) -> str:
    """The chosen unit quoted verbatim with its marker, led by the part the question asks for when lecto can find it."""
    c = choice.candidate
    passage = selected[c.n - 1]
    # A chat is quoted by the message that answers; prose and code with the sentence or line that leads to it.
    chat = passage.chunk.span.kind is Kind.CHAT
    quote = _quote(question, passage.chunk.text[c.focus : c.end] if chat else c.text)
    lead = _lead(question, quote, passage)
    # The marker goes inside the sentence it cites, before its closing punctuation.
    body, end = (quote[:-1], quote[-1]) if quote[-1:] in ".!?" else (quote, ".")
    return f"{lead}{body} [{c.n}]{end}"


def _quote(question: str, unit: str) -> str:
    body = _body(unit)
    words = body.split()
    if len(words) <= MAX_QUOTE_WORDS:
        return " ".join(words)
    # A long message or paragraph: the run of sentences richest in the question's terms.
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(words))
    terms = key_terms(question)
    best = max(range(len(sentences)), key=lambda i: (sum(t in sentences[i].lower() for t in terms), -i))
    picked = [sentences[best]]
    for nxt in sentences[best + 1 :]:
        if len(" ".join([*picked, nxt]).split()) > MAX_QUOTE_WORDS:
            break
        picked.append(nxt)
    text = " ".join(picked)
    return " ".join(text.split()[:MAX_QUOTE_WORDS])


def _lead(question: str, quote: str, passage: Selected) -> str:
    """Who said it and when, for a chat; nothing else is added to the quote, so nothing unchecked is."""
    loc = passage.chunk.span.location
    if passage.chunk.span.kind is not Kind.CHAT or not isinstance(loc, ChatLocation):
        return ""
    entry = next((read_entry(u) for u in _unit_texts(passage) if quote.split()[:4] == _body(u).split()[:4]), None)
    if entry is None:
        return ""
    return f"{entry.speaker} ({entry.sent:%-d %B %Y}): "


def _unit_texts(passage: Selected) -> list[str]:
    return [passage.chunk.text[a:b] for a, b in unit_spans(passage.chunk)]


def softmax(logprobs: list[float]) -> list[float]:
    top = max(logprobs)
    exps = [math.exp(x - top) for x in logprobs]
    total = sum(exps)
    return [e / total for e in exps]
