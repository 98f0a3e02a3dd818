"""Grounded answers: lecto finds the source sentences that may answer, the model ranks them, lecto quotes the best.

A 135M model writes poorly but reads fairly. Asked to write, it paraphrases the evidence into
something else ("a free and open garden"), and which paraphrase it writes flips with the
CPU's floating-point kernels. Asked to choose among numbered sentences, it picks the first
whatever they say (measured: docs/BENCHMARKS.md). What it does well is say how likely the
question is after a passage: a passage that answers a question predicts it (Sachan et al.,
"Improving Passage Retrieval with Zero-Shot Question Generation", 2022). So each candidate
is scored by the mean log-probability of the question's tokens after it, that score is
added to lecto's own lexical ranking, and the answer is the best candidate quoted verbatim:
a rounding difference can at most swap two candidates that both scored close, never invent
a word, and the checker verifies the quote like any other claim.

Candidates are the units of the planned passages (sentences of prose, messages of a chat,
a few lines of code) that hold enough of the question's weighted terms; a unit that holds
too little of the question is never offered, so nothing a document says can talk the model
into it. Code holds the question's words inside its names, and the line that answers is often
a constant set to a value (answer/codelines.py). With no such unit, lecto says "not found" and
shows the closest passages instead of a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from pathlib import Path

from lecto.answer.citations import check, strip_markers, strip_references
from lecto.answer.codelines import CodeWords, imports, stated_asked, states, unimported, where
from lecto.answer.notfound import speakers_named, unmentioned
from lecto.backends.registry import Backend, Chooser
from lecto.context.answertype import (
    AnswerType,
    Instance,
    defined_term,
    defines,
    definition_asked,
    expected,
    holds,
    instance_asked,
)
from lecto.context.lexical import idf, overlap, question_stems, stem, stems
from lecto.context.timeq import chat_days, time_window, undated
from lecto.data import Selected, Shortfall, Support
from lecto.ingest.chat.when import day, told
from lecto.kinds import Unit, kind_of
from lecto.kinds.code import CodeLocation, built_from, excerpt
from lecto.kinds.prose import section_above, split_heading, table_head
from lecto.names import asks_name, gives_name, names, shortens
from lecto.terms import key_terms

# Candidates the model scores: more hold the evidence more often, each costs a short pre-fill.
CANDIDATES = 3
# BM25's term saturation; its length normalisation is the kind's (`unit_length`, lecto/kinds/).
BM25_K1 = 1.2
# What the question's word pairs found in order add ("chunk size" read as a phrase).
PAIR_BONUS = 0.2
# How much the answer kind the question asks for ("how long": a duration) adds.
TYPE_BONUS = 0.25
# What defining the term a definition question asks about adds ("What is a straggler?": “straggler”: a machine…).
DEFINITION_BONUS = 0.5
# A prose unit whose words are mostly capitalised is a figure's or a table's labels; it counts this much.
LABEL_SHARE = 0.5
LABEL_MIN_WORDS = 3
# What a unit's coverage counts for when the question's words are in the unit next to it.
NEIGHBOUR_SHARE = 0.8
# What a unit stating the kind of answer asked for counts of its paragraph's coverage, where the question's words are.
PARAGRAPH_SHARE = 0.6
# A unit adding fewer new terms than this to the question only restates it; its answer is in the next one.
RESTATES = 2
# Weight of the model's mean log-probability of the question against lecto's lexical score.
MODEL_WEIGHT = 0.3
# A line of code scoring below this share of the best one is not offered: the model prefers lines that read
# like the question (a test's `cls.wantobjects = …`) to the constant that answers it (`wantobjects = 1`).
MODEL_MARGIN = 0.85
# A unit giving a name answers "what is the name of…" only when it scores this share of the best unit.
NAMED_MARGIN = 0.85
# A "when" question's candidates telling a day ("yesterday") scoring at least this share of the best are offered
# before those that tell none.
WHEN_MARGIN = 0.75
# How far another person's message must outscore the asked-about person's best to show the event was not theirs.
SPEAKER_MARGIN = 1.5
# A unit holding less than this idf-weighted share of the question's terms does not answer it.
MIN_COVERAGE = 0.15
# An answer quoted at more length stops being an answer; longer units are cut to their best sentences.
MAX_QUOTE_WORDS = 60
# An answer with the exchange after its message stays this short (words, leads included): concise, as the issue asks.
EXCHANGE_WORDS = 80
# A reply's opening sentence this short thanks or agrees ("Thanks, Nate!", "Yeah, totally!"); its answer follows.
GREETING_WORDS = 2
# How the model is asked: the question as what the passage answers.
QUESTION_AFTER = "Passage: {passage}\nA question this passage answers:"


@dataclass(frozen=True)
class Candidate:
    n: int  # the passage's number in the plan, 1-based
    start: int  # the candidate's offsets in the passage's original text
    end: int
    focus: int  # where the unit that answers starts (a chat is quoted from there)
    text: str
    coverage: float  # idf-weighted share of the question's terms the candidate holds
    score: float  # lecto's own ranking: coverage length-normalised, with the phrase and answer-type bonuses
    speaker: str | None = None  # who wrote the unit that answers, in a chat
    body: int = 0  # where the words of the unit that answers start, after a message's header
    where: str = ""  # what the model reads before the text: a line of code's file and symbol, a sentence's document
    sent: str | None = None  # when the unit that answers was sent, in a chat (ISO)
    continues: bool = False  # it only restates the question, last in its passage: its answer opens the next one


@dataclass(frozen=True)
class Choice:
    candidate: Candidate
    candidates: list[Candidate]
    model_scores: list[float]  # one per candidate, empty when the backend cannot score


def candidates(question: str, selected: list[Selected], limit: int = CANDIDATES) -> list[Candidate]:
    """The units of the planned passages that best answer the question, best first; ties go to the earlier.

    Units are ranked as BM25 ranks documents (rare question words count most, a long unit's
    many words count for less), with a bonus for the question's word pairs in order ("chunk
    size") and for the kind of answer it asks for. A unit is also read with its neighbour:
    the sentence that answers often leaves the question's words to the one before it
    ("Chunk size is one of the key design parameters. We have chosen 64 MB, …"), and a
    sentence that only restates the question leaves the answer to the one after it.
    """
    units = [(n, s, _units(s)) for n, s in enumerate(selected, start=1)]
    code = _is_code(selected)
    terms = _question_terms(question, selected)
    words = CodeWords.build(question, terms, selected)
    # "Which method of HTTPResponse reads…": "method" is the kind of answer, which no unit holds by the word
    # (`self._method` is no answer); the definition it is inside holds it (`_defines_new_name`).
    kind = {stem(k)} if code and (k := definition_asked(question)) else set()
    symbols = {n: _symbol_stems(s, words) for n, s, _ in units}
    bags = {(n, u.start): (_stems(s, u, words) | symbols[n]) - kind for n, s, spans in units for u in spans}
    weights = idf(terms, list(bags.values()))
    # A word no line of the code holds ("tomllib" of a package that never writes its name, "passed") tells
    # no line from another; counted, it kept every line under MIN_COVERAGE. Prose keeps it: a sentence
    # lacking the question's rare word is the sign that the document does not answer it. The kind noun
    # is held by the definition around a line, and counts as before.
    held = set().union(kind, *bags.values()) if code else weights.keys()
    total = sum(w for t, w in weights.items() if t in held) or 1.0
    mean = sum(len(b) for b in bags.values()) / max(len(bags), 1)
    context = _Context(
        weights,
        total,
        mean,
        _pairs(question, terms),
        None if code else expected(question),  # code states a value bare (`timeout=0.05`): CodeWords reads it
        set(terms),
        _asked_name(question),
        defined_term(question),
        None if code else instance_asked(question),
        words,
    )
    scored = [_candidate(n, s, spans, i, bags, context) for n, s, spans in units for i in range(len(spans))]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    return [scored[i] for i in order[:limit]]


@dataclass(frozen=True)
class Offer:
    """The candidates the model reads and, when there are none, why."""

    candidates: list[Candidate]
    shortfall: Shortfall | None = None
    names: list[str] = field(default_factory=list)  # the unmentioned names, or the people asked about


def offered(question: str, selected: list[Selected]) -> list[Candidate]:
    """The candidates `offer` offers, without why there are none."""
    return offer(question, selected).candidates


def offer(question: str, selected: list[Selected]) -> Offer:
    """The candidates the model reads: those that hold enough of the question, said by whom it asks about.

    "What did Caroline realize after her charity race?" is answered by what Caroline said of
    herself, or by what someone told her of her own doings ("Wow, Caroline, your race…"); when a
    message about someone else answers it far better than any about her ("Thanks, Caroline! I'm
    starting to realize…", Melanie of her own race), the chat does not hold the answer, and no
    candidate is offered. A message that only asks ("What got you into running?") tells of no one. A question
    asking how long, how often, how big or what share is offered the candidates that state one, when some do;
    one naming dates ("on 1 February, 2023"), the messages sent in them or in the days after, when some are;
    a chat's "when" question, the messages telling a day ("yesterday") among those nearly as good as the best.
    """
    if absent := unmentioned(question, selected):
        return Offer([], Shortfall.NEVER_MENTIONED, absent)
    found = [c for c in candidates(question, selected, limit=len(selected) * 64) if c.coverage >= MIN_COVERAGE]
    if not found:
        return Offer([], Shortfall.TOO_LITTLE)
    people = speakers_named(question, selected)
    if people:
        found = _told_by(people, question, selected, found)
        if not found:
            return Offer([], Shortfall.TOLD_BY_OTHERS, sorted(p.split()[0] for p in people))
    kind = expected(question)
    # A duration, a size or a share is a number with its unit: a candidate stating none does not answer "how long",
    # however many of the question's words it repeats. (A count is any digit, which a figure's number holds too;
    # code states a timeout as a bare number, `SSL_HANDSHAKE_TIMEOUT = 60.0`.)
    code = _is_code(selected)
    if not code and kind in (AnswerType.DURATION, AnswerType.FREQUENCY, AnswerType.SIZE, AnswerType.PERCENT):
        found = _stating(kind, found)
    if code:
        found = _code_kept(question, selected, found)
    found = _dated(question, selected, found)
    # Code names everything.
    if not code and found and asks_name(question):
        found = _naming(question, selected, found)
        if not found:
            return Offer([], Shortfall.NO_NAME_GIVEN)
    return Offer(found[:CANDIDATES])


def _naming(question: str, selected: list[Selected], found: list[Candidate]) -> list[Candidate]:
    """The candidates giving a name, among those telling best of what a name is asked for: "What is the name of
    the gym John found?" is not answered by "I found a new gym", and a message naming someone else ("someone
    named David") that shares a word answers another question."""
    known = {w.lower() for w in [*names(question), *_first_names(selected)]}
    best = found[0].score
    return [
        c
        for c in found
        if c.score >= NAMED_MARGIN * best and gives_name(selected[c.n - 1].chunk.text[c.body : c.end], known)
    ]


def _code_kept(question: str, selected: list[Selected], found: list[Candidate]) -> list[Candidate]:
    """The lines of code offered: those stating what is asked for, when some do, close to the best and apart."""
    # Code states it in the lines quoted, not always the first (`failureException = …` and then `maxDiff = 80*8`).
    if (stated := stated_asked(question)) is not None:
        found = [c for c in found if states(stated, _quoted(c, selected))] or found
    return _apart([c for c in found if c.score >= MODEL_MARGIN * found[0].score])


def _dated(question: str, selected: list[Selected], found: list[Candidate]) -> list[Candidate]:
    """The candidates in the dates a question names, and for "when", those telling one; all when none are."""
    # "What did Gina find for her store on 1 February, 2023?" is told in a message of those days, when one holds
    # enough of the question; retrieval favoured them, and a message of July repeating "store" answers another day.
    window = time_window(question, chat_days(s.chunk for s in selected))
    if window is not None:
        found = [c for c in found if c.sent is not None and window.weight(c.sent) > 0] or found
    # "When did Melanie go to the park?" is answered by the message telling when ("I took my kids to a park
    # yesterday"), of those holding the question nearly as well as the best: "you had a good time at the park!"
    # tells of no day but the one it was sent on.
    if found and found[0].sent is not None and _ASKS_WHEN.search(question):
        best = found[0].score
        found = [c for c in found if c.score >= WHEN_MARGIN * best and _tells_when(c, selected)] or found
    return found


def _tells_when(c: Candidate, selected: list[Selected]) -> bool:
    """Whether the message answering has time words that name a day or span (ingest/chat/when.py)."""
    sent = c.sent and date.fromisoformat(c.sent[:10])
    return bool(sent and told(selected[c.n - 1].chunk.text[c.body : c.end], sent))


def _quoted(c: Candidate, selected: list[Selected]) -> str:
    """The lines of code a candidate's answer would quote (a docstring's, without the code after it)."""
    return excerpt(c.text, selected[c.n - 1].chunk.text[: c.start])


def _apart(found: list[Candidate]) -> list[Candidate]:
    """The candidates less those starting inside a better one: a line's unit and the next line's are five lines
    the same, and three of them offered leave the model one choice."""
    kept: list[Candidate] = []
    for c in found:
        if not any(k.n == c.n and k.start <= c.focus < k.end for k in kept):
            kept.append(c)
    return kept


def _stating(kind: AnswerType, found: list[Candidate]) -> list[Candidate]:
    """The candidates stating the kind of answer asked for, all of them when none does. "How long can a row
    key be?" asks a thing's length: where no sentence states a time, those stating a size ("up to 64KB")."""
    kept = [c for c in found if holds(kind, c.text)]
    if not kept and kind is AnswerType.DURATION:
        kept = [c for c in found if holds(AnswerType.SIZE, c.text)]
    return kept or found


def _told_by(people: set[str], question: str, selected: list[Selected], found: list[Candidate]) -> list[Candidate]:
    """The candidates in which the people asked about tell the answer; none when another's answers far better."""
    terms = set(_question_terms(question, selected))
    firsts = _first_names(selected)
    about: list[Candidate] = []
    other: list[Candidate] = []
    own: list[Candidate] = []
    for c in found:
        speaker, told = _teller(c, selected, terms, firsts)
        if told is None:
            continue
        if (speaker is None or speaker in people) != (told is _Told.WRITER):
            other.append(c)
            continue
        about.append(c)
        # A reply holding the question only through the message before it ("Thanks for the tip, Caroline."
        # after her advice on adoption agencies) is told by that message's writer: no answer of the replier's.
        if c.speaker is None or (c.speaker in people and speaker == c.speaker):
            own.append(c)
    if not own or (other and other[0].score > SPEAKER_MARGIN * about[0].score):
        return []
    return own


def _first_names(selected: list[Selected]) -> set[str]:
    """The chat's people by first name."""
    return {p.split()[0] for s in selected for p in s.chunk.span.location.people() if p.split()}


class _Told(Enum):
    WRITER = "writer"
    ADDRESSEE = "addressee"


# How a message tells of its writer ("I went…") and of the person it is written to ("you went…").
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself|we|us|our|ours)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_BLANK_LINE = re.compile(r"\n\s*\n")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
_REACTION = re.compile(
    r"^\W*(?:\w+[,!]\s+){0,2}(?:(?:i'?m|i\s+am)\s+(?:so\s+)?)?"
    r"(?:congrat\w*|sorry\s+(?:to\s+hear|about|'bout|for)|thanks?\s+(?:you\s+)?for)\b",
    re.IGNORECASE,
)


def _teller(
    c: Candidate, selected: list[Selected], terms: set[str], names: set[str]
) -> tuple[str | None, _Told | None]:
    """Who tells what a candidate answers, and of whom; a message read with the one before it answers it.

    "What got you into running?" — "My doctor told me to": the reply tells of its writer. After
    a message that tells rather than asks ("The race made me realize…"), a reply ("Nice. I
    painted the fence.") holds the question's words only through it: that message tells.
    """
    if c.speaker is None:
        return None, _Told.WRITER
    text = selected[c.n - 1].chunk.text
    told = _told_of(text[c.body : c.end], terms, names - {c.speaker.split()[0]})
    # A reply telling of its writer in so many words ("I'm starting to realize…") tells its own story.
    if c.start == c.focus or _in_first_person(text[c.body : c.end], terms):
        return c.speaker, told
    passage = selected[c.n - 1].chunk
    before = next(u for u in kind_of(passage.span.kind).answer_units(passage) if u.start == c.start)
    asked = _told_of(text[before.body : before.end], terms, names - set((before.speaker or "").split()[:1]))
    return (c.speaker, told) if asked is None else (before.speaker, asked)


def _told_of(body: str, terms: set[str], others: set[str]) -> _Told | None:
    """Whom a message's sentence richest in the question's terms is about; None when that sentence asks.

    Naming the person written to counts as "you": "That charity race sounds great, Mel!" tells of Melanie.
    """
    key = _key_sentence(body, terms)
    if key.rstrip().endswith("?"):
        return None
    # "Congrats on those deals with Nike!", "Sorry to hear about Max.": a reaction to the other's news.
    if _REACTION.match(key):
        return _Told.ADDRESSEE
    second = len(_SECOND_PERSON.findall(key)) + _addressed(key, others) > len(_FIRST_PERSON.findall(key))
    return _Told.ADDRESSEE if second else _Told.WRITER


def _in_first_person(body: str, terms: set[str]) -> bool:
    """Whether the sentence richest in the question's terms holds its words and speaks of "I" more than "you"."""
    key = _key_sentence(body, terms)
    first = len(_FIRST_PERSON.findall(key))
    return bool(stems(key) & terms) and first > len(_SECOND_PERSON.findall(key))


def _addressed(sentence: str, others: set[str]) -> int:
    """How often the sentence names one of `others` (first names), whole or shortened ("Mel" for Melanie)."""
    return sum(any(shortens(w, o) for o in others) for w in _CAPITALISED.findall(sentence))


def _key_sentence(body: str, terms: set[str]) -> str:
    return max(_SENTENCE.split(body.strip()), key=lambda s: len(stems(s) & terms))


@dataclass(frozen=True)
class _Context:
    weights: dict[str, float]
    total: float
    mean: float
    pairs: list[tuple[str, str]]
    kind: AnswerType | None
    asked: set[str]
    name: str | None  # the question lower-cased when it asks which definition answers; None otherwise
    term: str | None  # the term whose definition the question asks for ("What is a straggler?")
    instance: Instance | None  # the kind of thing whose name the question asks for ("What hash function…?")
    words: CodeWords


def _candidate(
    n: int, s: Selected, spans: list[Unit], i: int, bags: dict[tuple[int, int], set[str]], ctx: _Context
) -> Candidate:
    text = s.chunk.text
    a, b = spans[i].start, spans[i].end
    here = bags[n, a]
    cover, first, end = overlap(ctx.weights, here) / ctx.total, spans[i], b
    restates = len(here - ctx.asked) < RESTATES
    if i and (joined := NEIGHBOUR_SHARE * overlap(ctx.weights, here | bags[n, spans[i - 1].start]) / ctx.total) > cover:
        cover, first = joined, spans[i - 1]
    elif restates and i + 1 < len(spans):
        end = spans[i + 1].end  # "We have a general mechanism to alleviate stragglers." — and then what it is
    if ctx.kind is not None and kind_of(s.chunk.span.kind).prose and holds(ctx.kind, text[spans[i].body : b]):
        cover = max(cover, _in_paragraph(text, spans, i, bags, n, ctx))
    start = first.start
    # A binding built from names set just above it is quoted from them, where the model read them too.
    above = built_from(text, a) if isinstance(s.chunk.span.location, CodeLocation) else start
    start = above if above < start and text[above:a].strip() in s.text else start
    body = text[first.body : end]
    # Only a long unit's score is normalised: a short one (a figure's label) gains nothing for its brevity.
    share = kind_of(s.chunk.span.kind).unit_length
    length = max(1.0, 1 - share + share * len(here) / max(ctx.mean, 1.0))
    score = cover * (BM25_K1 + 1) / (1 + BM25_K1 * length) + PAIR_BONUS * _pair_share(ctx.pairs, body)
    score += TYPE_BONUS if ctx.kind and holds(ctx.kind, body) else 0.0
    score += TYPE_BONUS if ctx.name is not None and _defines_new_name(s, ctx.name) else 0.0
    prose = kind_of(s.chunk.span.kind).prose
    soup = (prose or ctx.instance is not None) and _label_soup(body)
    # A figure's labels are all capitalised: none of them is named as anything.
    named = ctx.instance is not None and not soup and ctx.instance.named_in(text[spans[i].body : b])
    score += TYPE_BONUS if named else 0.0
    if prose:
        score += DEFINITION_BONUS if ctx.term is not None and defines(ctx.term, text[spans[i].body : b]) else 0.0
        score *= LABEL_SHARE if soup else 1.0
    loc = s.chunk.span.location
    if isinstance(loc, CodeLocation):
        score = ctx.words.weighed(score, loc, text[a:b], ctx.weights, ctx.total)
        cover = 0.0 if imports(text[a:b]) else cover  # an import names a module and answers nothing about it
    # Read alone, a restating unit last in its passage is answered in the next one (`continued`).
    continues = prose and restates and first is spans[i] and i + 1 == len(spans)
    return Candidate(
        n,
        start,
        end,
        a,
        text[start:end],
        cover,
        score,
        spans[i].speaker,
        spans[i].body,
        _where(s),
        spans[i].sent,
        continues,
    )


def _where(s: Selected) -> str:
    """What the model reads before a candidate: a line of code's file and symbol; a sentence's document.

    Every sentence of a paper is from the paper, but few say its name: read bare, the one that
    does ("Bigtable uses Chubby … to permit clients to find the master") predicted "How do clients
    find the Chubby master?" better than the one that answers it ("Clients find the master by
    sending master location requests…"), however far lecto's ranking put it ahead. Read after the
    document's name, each sentence holds it alike (measured: docs/BENCHMARKS.md).
    """
    if kind_of(s.chunk.span.kind).prose:
        return f"From {_title(s.chunk.span.source)}: "
    return where(s.chunk.span.location)


def _title(source: str) -> str:
    """A document's name as words: its file's name less the suffix, the hyphens read as spaces."""
    return Path(source).stem.replace("-", " ")


def _in_paragraph(
    text: str, spans: list[Unit], i: int, bags: dict[tuple[int, int], set[str]], n: int, ctx: _Context
) -> float:
    """The coverage a unit stating the kind of answer asked for has when read with its paragraph so far.

    A paragraph names what it measures once and states the figure sentences later ("In Figure 3 (b),
    we show an execution of the sort program with backup tasks disabled. … The entire computation
    takes 1283 seconds"): the sentence stating it holds few of the question's words itself.
    """
    j = i
    while j > 0 and not _BLANK_LINE.search(text[spans[j - 1].end : spans[j].start]):
        j -= 1
    held = set().union(*(bags[n, u.start] for u in spans[j : i + 1]))
    return PARAGRAPH_SHARE * overlap(ctx.weights, held) / ctx.total


def _is_code(selected: list[Selected]) -> bool:
    return any(kind_of(s.chunk.span.kind).identifiers for s in selected)


def _asked_name(question: str) -> str | None:
    return question.lower() if definition_asked(question) else None


def _defines_new_name(s: Selected, question: str) -> bool:
    """Whether the passage is inside a definition the question does not name: "Which method of HTTPResponse…"
    is answered inside `HTTPResponse._read_status`, not by a comment in the class around it."""
    loc = s.chunk.span.location
    return isinstance(loc, CodeLocation) and bool(loc.symbol) and loc.symbol.rsplit(".", 1)[-1].lower() not in question


def _label_soup(text: str) -> bool:
    """Words of a figure or a table read as a line ("Hash Transaction Owner 1's Public Key …"): no sentence."""
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    return len(words) >= LABEL_MIN_WORDS and sum(w[0].islower() for w in words) < len(words) / 2


def _stems(s: Selected, u: Unit, words: CodeWords) -> set[str]:
    """A unit's stems; a line of code's include the question's words inside its names (`_MAXHEADERS`: max,
    headers), abbreviations read as the question's word they abbreviate, and leave its imports out."""
    text = s.chunk.text[u.body : u.end]
    if not kind_of(s.chunk.span.kind).identifiers:
        return stems(text)
    return words.held(unimported(text))


def _symbol_stems(s: Selected, words: CodeWords) -> set[str]:
    """What each line of code holds of its symbol's words ("_read_status" of "reads the status") and of its
    package's and module's names, which say where to look (answer/codelines.py)."""
    loc = s.chunk.span.location
    if not isinstance(loc, CodeLocation):
        return set()
    return words.of_file(s.chunk.span.source, loc) | (words.of_symbol(loc.symbol) if loc.symbol else set())


# "How big is a Tor cell?": the word after "how" says what kind of answer is asked for (context/answertype.py),
# and "Each cell is 512 bytes" holds all the question asks about.
_HOW = re.compile(r"\bhow\s+(\w+)", re.IGNORECASE)


def _question_terms(question: str, selected: list[Selected]) -> list[str]:
    """The question's stems, less the names of its people and of the one document every passage comes from.

    "Which hash function does Bitcoin use?" asked of bitcoin.pdf: "bitcoin" tells no sentence
    of it from another, and the title, the one sentence that does say it, answers nothing.
    """
    titles = [stems(_title(s.chunk.span.source)) for s in selected]
    named = set.intersection(*titles) if titles else set()
    people = {stem(w) for s in selected for p in s.chunk.span.location.people() for w in p.split()}
    terms = question_stems(undated(question) if people else question)
    kinds = {stem(w.lower()) for w in _HOW.findall(question)}
    kept = [t for t in terms if t not in named and t not in people and t not in kinds]
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


def _units(s: Selected) -> list[Unit]:
    """The units of a passage the model read (sentences, a few lines of code, messages: lecto/kinds/):
    all of them, or those a compressed copy kept, each cut to the part of it kept.

    A unit of code is a line and the few after it; compression keeps lines, so a line it kept
    (`testMethodPrefix = 'test'`) is quoted with those it kept after it, not dropped for the others.
    """
    kind = kind_of(s.chunk.span.kind)
    units = kind.answer_units(s.chunk)
    if s.text == s.chunk.text:
        return units
    ends = sorted({u.end for u in kind.units(s.chunk)} | {u.end for u in units})
    kept = []
    for u in units:
        inside = ends[bisect_right(ends, u.start) : bisect_right(ends, u.end)]
        end = next((e for e in reversed(inside) if s.chunk.text[u.start : e].strip() in s.text), None)
        if end is not None:
            kept.append(replace(u, end=end))
    return kept


def choose(question: str, found: list[Candidate], backend: Backend) -> Choice | None:
    """The offered candidate that answers, by lecto's ranking and the model's reading combined; None if none is."""
    if not found:
        return None
    scores = model_scores(question, found, backend) if len(found) > 1 else []
    best = max(range(len(found)), key=lambda i: (found[i].score + (MODEL_WEIGHT * scores[i] if scores else 0.0), -i))
    return Choice(found[best], found, scores)


def model_scores(question: str, found: list[Candidate], backend: Backend) -> list[float]:
    """How well each candidate predicts the question, as the model reads it; empty when the backend cannot say."""
    if not isinstance(backend, Chooser):
        return []
    pairs = [(QUESTION_AFTER.format(passage=c.where + " ".join(c.text.split())), f" {question}") for c in found]
    return backend.continuation_logprobs(pairs)


def answer_text(question: str, choice: Choice, selected: list[Selected]) -> tuple[str, str]:
    """The answer as (lead, claims): who said it and when, or where it is (a symbol, a heading); then the
    quote with its marker.

    The lead states only the passage's location, so it is shown but not checked; the claims
    are the quote, verbatim, and for a "when" question the day its time words name.
    """
    c = choice.candidate
    passage = selected[c.n - 1]
    focus = next(u for u in kind_of(passage.chunk.span.kind).answer_units(passage.chunk) if u.start == c.focus)
    # A message is quoted alone, without the one before or after it that the candidate also read: the turns
    # after it that answer it are shown as their own (`exchange`).
    said = focus.speaker is not None
    terms = set(_question_terms(question, selected))
    # A heading names the section, as a chat's header names its writer: shown in the lead, not quoted.
    prose = kind_of(passage.chunk.span.kind).prose
    heading, unit = split_heading(c.text) if prose else (None, c.text)
    unit = _quoted(c, selected) if kind_of(passage.chunk.span.kind).identifiers else unit
    # A paper's own references ("called Chubby [8]", "[2-5]") would read as lecto's markers, citing passages
    # they do not name; they point into its bibliography, which the quote does not need.
    unit = strip_references(unit) if prose else unit
    # A table's row is read under its column heads, which say which figure is which year.
    heading = heading or (
        table_head(passage.chunk.text, c.focus) or section_above(passage.chunk.text, c.start) if prose else None
    )
    body = passage.chunk.text[focus.body : focus.end]
    quote = _on_question(_quote(question, _telling(body, terms) if said else unit), question, selected)
    if said:
        quote = _with_lead_in(quote, body, question, selected)
    claims = _each_marked(quote, c.n)
    # The day the message tells of may be in its sentence before the one quoted: "Last night was amazing! We
    # celebrated my daughter's birthday…"
    if focus.day is not None and _ASKS_WHEN.search(question):
        claims += _told_days(passage.chunk.text[focus.body : focus.end], focus.day, c.n)
    return (f"Under “{heading}”: " if heading else _lead(passage, focus)), claims


def continued(choice: Choice, selected: list[Selected]) -> list[tuple[str, str]]:
    """The sentence opening the passage after the quoted one, when the quote only restates the question and ends
    its passage: "We have a general mechanism to alleviate the problem of stragglers." is answered by "When a
    MapReduce operation is close to completion, the master schedules backup executions…", which a chunk's
    boundary put in the next passage. Nothing when that passage of the document was not planned."""
    c = choice.candidate
    if not c.continues:
        return []
    chunk = selected[c.n - 1].chunk
    n = next(
        (k for k, s in enumerate(selected, 1) if (s.chunk.doc_id, s.chunk.ord) == (chunk.doc_id, chunk.ord + 1)), 0
    )
    if not n:
        return []
    after = selected[n - 1].chunk
    units = kind_of(after.span.kind).answer_units(after)
    if not units:
        return []
    heading, sentence = split_heading(after.text[units[0].body : units[0].end])
    return [] if heading else [("", _each_marked(" ".join(strip_references(sentence).split()), n))]


def exchange(question: str, choice: Choice, selected: list[Selected], first: tuple[str, str]) -> list[tuple[str, str]]:
    """The turns after the quoted message that answer it, as (lead, claims) each: who wrote it, the quote.

    A chat answers in turns: "I made my friend some ice cream" — "What flavor did you make?" —
    "I whipped up some chocolate and vanilla swirl." When the message quoted (`first`, the answer
    as `answer_text` gives it) is followed by a question from the other person and then by its
    writer again, those two are shown after it; when the message quoted only asks, the other's
    reply is. Each is quoted verbatim with its own marker and who wrote it, within
    `EXCHANGE_WORDS` in all. A question claims nothing; the reply is one of the answer's claims,
    so it is shown only when it is by whom the question asks about and the checker backs it.
    """
    c = choice.candidate
    passage = selected[c.n - 1].chunk
    units = kind_of(passage.span.kind).answer_units(passage)
    i = next(k for k, u in enumerate(units) if u.start == c.focus)
    after = units[i + 1 : i + 3]
    if c.speaker is None or not after or after[0].speaker in (None, c.speaker):
        return []
    if all(s.endswith("?") for s in _SENTENCE.split(strip_markers(first[1]).strip())):
        asked, reply = None, after[0]
    elif len(after) == 2 and after[1].speaker == c.speaker:
        asked, reply = after[0], after[1]
    else:
        return []
    people = speakers_named(question, selected)
    questions = _questions(passage.text, asked) if asked else ""
    if (people and reply.speaker not in people) or (asked and not questions):
        return []
    turns = [(f"{asked.speaker}: ", _each_marked(questions, c.n))] if asked else []
    used = len(" ".join([*first, *(a + b for a, b in turns), f"{reply.speaker}:"]).split())
    said = _within(_reply(passage.text[reply.body : reply.end]), EXCHANGE_WORDS - used)
    said = _on_question(said, question, selected) if said else ""
    if not said or any(s.support is Support.UNSUPPORTED for s in check(said, question, selected).sentences):
        return []
    claims = _each_marked(said, c.n)
    if reply.day is not None and _ASKS_WHEN.search(question):
        claims += _told_days(said, reply.day, c.n)
    return [*turns, (f"{reply.speaker}: ", claims)]


def _told_days(body: str, sent: date, n: int) -> str:
    """The day or span each of the message's time words names, as claims marked for passage `n`."""
    return "".join(" " + _marked(f'"{phrase}" is {when}.', n) for phrase, when in told(body, sent))


def _questions(text: str, u: Unit) -> str:
    """What a message asks: its sentences that end in a question mark."""
    return " ".join(s for s in _SENTENCE.split(text[u.body : u.end].strip()) if s.endswith("?"))


def _reply(body: str) -> list[str]:
    """A reply's sentences less its thanks before and its questions after ("Thanks, Nate!", "And you?")."""
    sentences = _SENTENCE.split(body.strip())
    while len(sentences) > 1 and len(sentences[0].split()) <= GREETING_WORDS:
        sentences.pop(0)
    while len(sentences) > 1 and sentences[-1].rstrip().endswith("?"):
        sentences.pop()
    return sentences


def _within(sentences: list[str], words: int) -> str:
    """The first sentences that fit in `words` words, a marker each; none when even the first does not."""
    kept: list[str] = []
    for s in sentences:
        if len(" ".join([*kept, s]).split()) + len(kept) + 1 > words:
            break
        kept.append(s)
    return " ".join(kept)


_ASKS_WHEN = re.compile(
    r"^\s*(when\b|what (year|month|day|date|time)\b|which (year|month|week|day)\b|how long ago)", re.IGNORECASE
)


def _telling(body: str, terms: set[str]) -> str:
    """A message from its first sentence holding the question's words, less the questions it ends on.

    "Thanks, Melanie! This necklace is … a gift from my grandma" answers from its second
    sentence; the first, read as a claim, is any thanks to Melanie, whoever wrote it.
    """
    sentences = _SENTENCE.split(body.strip())
    holding = [i for i, s in enumerate(sentences) if stems(s) & terms]
    if not holding:
        return body
    kept = sentences[holding[0] :]
    while len(kept) > 1 and kept[-1].rstrip().endswith("?") and not stems(kept[-1]) & terms:
        kept.pop()
    return " ".join(kept)


def _with_lead_in(quote: str, body: str, question: str, selected: list[Selected]) -> str:
    """The quoted message with the sentence before it, when that sentence tells and the checker backs it.

    The sentence holding the question's words often restates it, and the one before gives the answer:
    "What is John trying out to improve his strength?" — "Yoga's been really awesome for me. It's
    helped me improve in terms of strength and flexibility…". A greeting, a question or a word to the
    other person ("Sounds great, Caroline!") tells nothing; nor does what the checker cannot back.
    """
    sentences = _SENTENCE.split(body.strip())
    first = _SENTENCE.split(quote)[0]
    at = next((i for i, s in enumerate(sentences) if s == first), 0)
    if at == 0 or len(" ".join([sentences[at - 1], quote]).split()) > MAX_QUOTE_WORDS:
        return quote
    before = sentences[at - 1]
    if (
        len(before.split()) <= GREETING_WORDS
        or before.rstrip().endswith("?")
        or _REACTION.match(before)
        or _addressed(before, _first_names(selected))
        or not any(s.support.backed for s in check(before, question, selected).sentences)
    ):
        return quote
    return f"{before} {quote}"


def _on_question(quote: str, question: str, selected: list[Selected]) -> str:
    """The quote less the sentences it ends on that the checker would not back: those answering something
    else ("I started surfing five years ago. I love the connection to nature.") and those too slight to
    check ("I used to go horseback riding with my dad… It was so special."): lecto quotes what it can back."""
    sentences = _SENTENCE.split(quote)
    while len(sentences) > 1:
        judged = check(sentences[-1], question, selected).sentences
        if any(s.support.backed for s in judged):
            break
        sentences.pop()
    return " ".join(sentences)


def _each_marked(quote: str, n: int) -> str:
    """Every sentence of the quote with its marker: each is the passage's (one marker at the end left the
    sentences before it to the checker's attribution: "…key design parameters [5†].")."""
    return " ".join(_marked(s, n) for s in _SENTENCE.split(quote))


def _marked(sentence: str, n: int) -> str:
    """The sentence, verbatim to its closing punctuation, and its marker after: a quote holds the source's words
    as written ("…lots of homes were ruined. [10]"), and the rendering puts its mark there too. Code, a table's
    row or a photo's caption ends on no stop of its own: the stop that ends the claim follows its marker
    ("markers[markerid] = o [36].")."""
    return f"{sentence} [{n}]" if sentence[-1:] in ".!?" else f"{sentence} [{n}]."


def _quote(question: str, unit: str) -> str:
    words = unit.split()
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
    return " ".join(" ".join(picked).split()[:MAX_QUOTE_WORDS])


def _lead(passage: Selected, focus: Unit) -> str:
    """Who said it and when (a chat), or the symbol it is in (code): what the passage's location states."""
    loc = passage.chunk.span.location
    if focus.speaker is not None and focus.day is not None:
        return f"{focus.speaker}, {day(focus.day)}: "
    if isinstance(loc, CodeLocation) and loc.symbol:
        return f"In {loc.symbol}: "
    return ""
