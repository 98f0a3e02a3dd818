"""One user's session: a store, a backend loaded once, and the ingest → plan → answer steps.

The CLI runs one question through it; the TUI and `--questions` batches keep it open so the
model loads once and follow-ups reuse what is cached. Run policy lives here, so every front
end plans a question the same way: the time limit (`Wait`), the dense-ranking share, the
history a follow-up carries (`Conversation`), and what goes into the question log.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lecto.answer.generate import ANSWER_TOKENS, generate, model_info
from lecto.answer.prompt import overhead_tokens
from lecto.backends import Backend, ModelOptions, open_backend
from lecto.backends.llama_scorer import scorer_for
from lecto.backends.registry import Chooser, Message, OutOfTime, Stoppable, TokenScorer
from lecto.context.planner import PlanOptions, plan
from lecto.context.prune import PruneOptions, prune_plan
from lecto.context.speed import MIN_SCORED_S, known_speed, measure_speed, observe
from lecto.context.tokens import Counter
from lecto.context.window import effective_window, tokens_in_time
from lecto.data import Answer, Corpus, Mode, Plan, Status, Style
from lecto.errors import UsageError
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions
from lecto.ingest.sources import STDIN, Reading, read_sources
from lecto.store import Store
from lecto.store.log import Entry
from lecto.store.speed import Speed

# Seconds of an answer that dense ranking may take when no --max-wait is given: less than loading its
# model costs (context/dense.py), so by default lecto ranks by BM25 alone, the same in every process.
DENSE_SECONDS = 5.0
# Share of an explicit --max-wait that dense ranking (embedding passages) may take.
DENSE_SHARE = 0.25


def dense_share(max_wait: float | None) -> float | None:
    """What dense ranking may cost: a share of the wait asked for, no limit for 0, `DENSE_SECONDS` by default."""
    if max_wait is None:
        return DENSE_SECONDS
    return max_wait * DENSE_SHARE if max_wait else None


# Parameters below which a model answers by choosing a source sentence rather than writing (see `Session.style`).
SMALL_MODEL = 1_000_000_000
# Earlier turns may take this share of the document budget; the documents need the rest.
HISTORY_SHARE = 0.25
# Fewest answer tokens worth asking for under a time limit: a short fact with its marker.
MIN_ANSWER_TOKENS = 16
# What the scorer reads once to load: any short text.
_WARM_UP = "Hello."
STOPPED = (
    "stopped at the {seconds:g} s limit (--max-wait): the answer may be cut short,"
    " or its quote chosen by lecto's ranking without the model's reading"
)
UNMEASURED = (
    "the model's speed on this machine is not known yet, and measuring it did not end within"
    " {seconds:g} s; a question with a longer --max-wait measures it once, for later ones"
)


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    model: ModelOptions
    backend: str | None = None
    ingest: IngestOptions = DEFAULT_OPTIONS
    style: Style | None = None  # None: chosen by the model's size (see `Session.style`)
    log: bool = True  # keep each question and answer in the store's log (`lecto log`; off with --no-log)


@dataclass(frozen=True)
class Wait:
    """`--max-wait` for one question: its limit in seconds (0: none) and when it was asked (monotonic clock)."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    @property
    def deadline(self) -> float:
        return self.started + self.seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


@dataclass(frozen=True)
class Exchange:
    question: str
    answer: str


@dataclass
class Conversation:
    """Earlier exchanges that travel with a follow-up, the sources they were about, and the conversation's log id.

    The model sees no chat history of its own, so "and what about the second one?" only works
    if the earlier exchange is in the prompt (see `Session.follow_up`).
    """

    sources: list[str]
    exchanges: list[Exchange] = field(default_factory=list)
    name: int = 0  # the log id of its first entry; 0 until one is logged


class Session:
    def __init__(self, settings: Settings):
        self.settings = settings
        # Whether the backend has scored before: its first scoring call loads a scorer, which is not reading speed.
        self._scored = False
        self._unmeasured = False  # whether the last plan's speed probe was given up at its wait's end

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.cache_dir)

    @cached_property
    def backend(self) -> Backend:
        return open_backend(self.settings.model, self.settings.backend)

    @cached_property
    def style(self) -> Style:
        """Grounded answers for a small local model, free ones for a model that writes well, unless the user chose.

        Under `SMALL_MODEL` parameters a model's written answers were right about 1 time in 6
        on the shared questions while its choice among candidate sentences was right far more
        often (docs/BENCHMARKS.md); a bigger model keeps its own words and markers.
        """
        if self.settings.style is not None:
            return self.settings.style
        backend = self.backend
        small = isinstance(backend, Chooser) and backend.parameters < SMALL_MODEL
        return Style.GROUNDED if small else Style.FREE

    def load(self, sources: list[str], timings: dict[str, float]) -> Corpus:
        start = time.perf_counter()
        corpus = self.read(sources).complete()
        timings["ingest_s"] = time.perf_counter() - start
        return corpus

    def read(self, sources: list[str]) -> Reading:
        """Every source that can be read, and the error of each that cannot (what `lecto inspect` shows)."""
        reading = read_sources(sources, self.store, self.settings.ingest)
        # Said once per session, before the documents' own warnings.
        reading.corpus.warnings[:0], self.store.notices = self.store.notices, []
        return reading

    def default_budget(self, question: str) -> int:
        backend = self.backend
        window = effective_window(backend.name, backend.context_window)
        return window - ANSWER_TOKENS - overhead_tokens(backend, question)

    def plan(
        self,
        question: str,
        corpus: Corpus,
        mode: Mode,
        budget: int | None,
        timings: dict[str, float],
        wait: Wait | None = None,
        measure: bool = True,
    ) -> Plan:
        """Plan the context; with a `wait`, auto reads what the measured speeds let it answer within the time left.

        Without a wait the plan depends on the question, the documents and the budget only,
        never on a measured speed or on what this process has loaded: the same question gets the
        same plan from the CLI and the TUI, today and tomorrow. The backend's speed comes from
        the store, or is measured now when `measure` allows (a dry run never loads the weights).
        """
        start = time.perf_counter()
        seconds = wait.seconds if wait else None
        options = PlanOptions(
            mode=mode,
            budget=budget or self.default_budget(question),
            time_tokens=self._time_tokens(wait, measure) if wait and wait.seconds else None,
            dense_seconds=dense_share(seconds),
        )
        result = plan(question, corpus, options, self.backend, self.store)
        timings["plan_s"] = time.perf_counter() - start
        return result

    @cached_property
    def scorer(self) -> TokenScorer:
        return scorer_for(self.backend)

    def prune(self, question: str, plan_: Plan, ratio: float, timings: dict[str, float]) -> Plan:
        """`--prune-ratio`: the plan's passages cut to their most informative tokens, likely quotes kept whole."""
        start = time.perf_counter()
        result = prune_plan(question, plan_, PruneOptions(ratio), self.scorer, self.backend)
        timings["prune_s"] = time.perf_counter() - start
        return result

    def speed(self, measure: bool = True) -> Speed | None:
        """The backend's reading and writing speed on this machine; probed now, and kept, if unknown or stale.

        The probe reads 256 tokens and writes 8: 3-5 s with the bundled model on two busy cores
        (docs/BENCHMARKS.md, issue 19); the reading room probes while the first question is typed
        (`ready_in_time`).
        """
        speed = known_speed(self.backend, self.store)
        if speed is None and measure:
            speed = measure_speed(self.backend, self.store)
        return speed

    def ready_in_time(self, wait: Wait) -> None:
        """Do now, within `wait`, what a question under `--max-wait` would otherwise spend its first seconds on.

        That is the speed probe, and for a grounded answer the first scoring call, which loads
        the scorer (a second llama.cpp instance that keeps every token's logits): seconds on a
        busy CPU. The reading room calls it as it opens; a question asked meanwhile waits for
        it, so it is given up, as a question's own probe is, once one wait has gone by.
        """
        try:
            with self._until(wait):
                self.speed()
                if self.style is Style.GROUNDED and isinstance(self.backend, Chooser):
                    self.backend.continuation_logprobs([(_WARM_UP, _WARM_UP)])
                    self._scored = True
        except OutOfTime:
            return

    def _time_tokens(self, wait: Wait, measure: bool) -> int | None:
        """Tokens the measured speeds let the backend read in the time left; None when no speed is known.

        A probe still running when time is up is given up (`_until`), and nothing is stored:
        the answer then comes without the model's reading, stopped at the limit, and says why.
        """
        try:
            with self._until(wait):
                speed = self.speed(measure)
        except OutOfTime:
            self._unmeasured = True
            return None
        return tokens_in_time(wait.left(), speed.prefill_tps, speed.decode_tps) if speed else None

    @contextlib.contextmanager
    def _until(self, wait: Wait | None) -> Iterator[None]:
        """Model calls within give up at the wait's end, midway where the backend can (`Stoppable`)."""
        backend = self.backend
        if not (wait and wait.seconds and isinstance(backend, Stoppable)):
            yield
            return
        backend.stop_at(wait.deadline)
        try:
            yield
        finally:
            backend.stop_at(None)

    def answer(
        self,
        question: str,
        plan_: Plan,
        on_text: Callable[[str], None],
        timings: dict[str, float],
        wait: Wait | None = None,
        read_as: str | None = None,
    ) -> Answer:
        """The checked answer; with a `wait`, its length fits the time left and its stream stops when time is up.

        `read_as` is a follow-up as the model reads it (`follow_up`'s): the model reads the earlier
        turns, the checker judges the answer against `question`, what the user asked. A stopped
        answer is checked like any other and carries a note. Each answer's own reading (a pre-fill,
        or a grounded answer's scoring) also tells whether the stored speed still holds
        (context/speed.py).
        """
        bounded = self._bounded(plan_, wait)
        with self._until(wait):
            answer = generate(question, plan_, bounded, on_text, timings, self.style, read_as)  # type: ignore[arg-type]
        if bounded.stopped:
            answer.notes.append(STOPPED.format(seconds=wait.seconds if wait else 0))
        if self._unmeasured:
            answer.notes.append(UNMEASURED.format(seconds=wait.seconds if wait else 0))
            self._unmeasured = False
        self._observe(plan_, answer, bounded)
        return answer

    def _bounded(self, plan_: Plan, wait: Wait | None) -> _Bounded:
        """The backend as this answer uses it: under a wait, its length and its time bounded; its scoring timed."""
        if not (wait and wait.seconds):
            return _bounded(self.backend, None, ANSWER_TOKENS, None, self._scored)
        speed = self.speed(measure=False)
        reading = speed.prefill_tps if speed else None
        return _bounded(self.backend, wait.deadline, self._answer_tokens(plan_, wait), reading, self._scored)

    def _observe(self, plan_: Plan, answer: Answer, bounded: _Bounded) -> None:
        """Whether the answer's own reading shows the stored speed wrong (context/speed.py); it replaces it if so.

        A streamed answer read its prompt before the first word (unless given up inside it); a
        grounded one read each candidate it scored, a scorer's first call (its load) aside.
        """
        if self._streams(plan_) and bounded.read_prompt:
            observe(self.backend, self.store, answer.tokens.get("prompt", 0), answer.timings.get("prefill_s", 0.0))
        elif isinstance(bounded, _BoundedChooser):
            self._scored = bounded.scored
            tokens, seconds = bounded.reading_time()
            observe(self.backend, self.store, tokens, seconds, shortest=MIN_SCORED_S)

    def _streams(self, plan_: Plan) -> bool:
        """Whether the answer is one streamed completion, whose time to the first word is a pre-fill.

        A grounded answer's time is the scoring of many short candidates (and loading the
        scorer), far slower per token than reading one prompt: taken for a reading speed, it
        would cut every later context short.
        """
        return self.style is Style.FREE and plan_.mode is not Mode.MAPREDUCE

    def _answer_tokens(self, plan_: Plan, wait: Wait) -> int:
        """Answer tokens the backend can write in the time left once it has read the plan."""
        speed = known_speed(self.backend, self.store)
        if speed is None:
            return ANSWER_TOKENS
        reading = (sum(s.tokens for s in plan_.selected) + plan_.preamble_tokens) / speed.prefill_tps
        writable = int((wait.left() - reading) * speed.decode_tps)
        return max(MIN_ANSWER_TOKENS, min(ANSWER_TOKENS, writable))

    def follow_up(self, question: str, earlier: list[Exchange], budget: int | None) -> str:
        """The question as the model should read it: after the earlier turns that fit `HISTORY_SHARE` of the budget."""
        allowance = int((budget or self.backend.context_window) * HISTORY_SHARE)
        return with_history(question, earlier, self.backend, allowance)

    def conversation(self, sources: list[str], follow: bool = False) -> Conversation:
        """A new conversation over `sources`; with `follow`, the latest logged one over them (or the latest at all).

        Sources are kept resolved, so a follow-up asked from another folder reads the same files.
        """
        resolved = [s if s == STDIN else str(Path(s).resolve()) for s in sources]
        if not follow:
            return Conversation(resolved)
        entry = self.store.latest(resolved or None)
        if entry is None:
            where = " over these sources" if sources else ""
            raise UsageError(f"no earlier question{where} to follow up", hint="ask one without --continue first")
        if not sources and STDIN in entry.sources:
            raise UsageError("the last conversation read standard input", hint="give its sources again with --continue")
        earlier = self.store.conversation(entry.conversation)
        exchanges = [Exchange(e.question, e.answer or "") for e in earlier if e.status is Status.ANSWERED]
        return Conversation(entry.sources, exchanges, entry.conversation)

    def record(self, conversation: Conversation, question: str, answer: Answer) -> None:
        """Keep an answered exchange for the next follow-up and, unless logging is off, log the question."""
        if answer.status is Status.ANSWERED:
            conversation.exchanges.append(Exchange(question, answer.text or ""))
        if not self.settings.log:
            return
        entry = Entry(
            0,
            conversation.name,
            time.time(),
            conversation.sources,
            question,
            answer.text,
            answer.status,
            answer.plan.mode,
            self.backend.name,
        )
        logged = self.store.add_to_log(entry)
        conversation.name = conversation.name or logged

    def dry_run(self, question: str, plan_: Plan, timings: dict[str, float]) -> Answer:
        return Answer(
            question,
            None,
            Status.ANSWERED,
            [],
            plan_,
            model_info(self.backend),
            {"prompt": 0, "completion": 0},
            timings,
        )


def with_history(question: str, earlier: list[Exchange], counter: Counter, allowance: int) -> str:
    """The question bare, or after the newest earlier turns that fit `allowance` tokens (older ones drop out first)."""
    kept: list[str] = []
    used = 0
    for exchange in reversed(earlier):
        block = f"Q: {exchange.question}\nA: {exchange.answer}"
        used += counter.count_tokens(block)
        if used > allowance:
            break
        kept.insert(0, block)
    if not kept:
        return question
    return "Earlier in this conversation:\n" + "\n".join(kept) + f"\n\nNow answer: {question}"


class _Bounded:
    """The session's backend, each stream capped at `max_tokens` and cut at `deadline` (monotonic clock; None: never).

    `reading` is the measured reading speed (tokens a second), where known. Everything else goes
    to the backend itself.
    """

    def __init__(self, backend: Backend, deadline: float | None, max_tokens: int, reading: float | None, scored: bool):
        self._backend = backend
        self.deadline = deadline
        self.max_tokens = max_tokens
        self.reading = reading
        self.stopped = False
        self.read_prompt = False  # whether a stream's first word came: its prompt was read whole
        self.scored = scored  # whether the backend has scored before (`_BoundedChooser`)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    def stream(self, messages: list[Message], max_tokens: int) -> Iterator[str]:
        deltas = self._backend.stream(messages, min(max_tokens, self.max_tokens))
        with contextlib.closing(deltas):  # type: ignore[type-var]
            try:
                for delta in deltas:
                    self.read_prompt = True
                    yield delta
                    if self._past():
                        self.stopped = True
                        return
            except OutOfTime:  # given up inside a pre-fill or a token, at the deadline
                self.stopped = True

    def _past(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline


class _BoundedChooser(_Bounded):
    """A bounded `Chooser`: its scoring named here, where protocol checks look (not through `__getattr__`).

    It also keeps how long each candidate took, the tokens a second the answer's reading ran at.
    """

    def __init__(self, *args: Any):
        super().__init__(*args)
        self._timed: list[tuple[int, float]] = []  # (tokens, seconds) of each candidate scored by a loaded scorer

    @property
    def parameters(self) -> int:
        return int(self._backend.parameters)

    def continuation_logprobs(self, pairs: list[tuple[str, str]]) -> list[float]:
        """The backend's scores, one pair at a time; all alike (lecto's ranking decides) if time runs out."""
        scores: list[float] = []
        for pair in pairs:
            if not self._ends_in_time(pair):
                self.stopped = True
                return [0.0] * len(pairs)
            start = time.monotonic()
            try:
                scores += self._backend.continuation_logprobs([pair])
            except OutOfTime:
                self.stopped = True
                return [0.0] * len(pairs)
            self._learn(pair, time.monotonic() - start)
        return scores

    def reading_time(self) -> tuple[int, float]:
        """Tokens read and seconds taken by the candidates scored after the scorer was loaded."""
        return sum(t for t, _ in self._timed), sum(s for _, s in self._timed)

    def _learn(self, pair: tuple[str, str], seconds: float) -> None:
        """Foresee the next pair at the slowest speed scoring has shown, if slower than the measured reading.

        The scorer keeps every token's logits, which the speed probe's reading does not, and a
        busy CPU slows it further: at the probed speed alone a candidate was begun that ended
        seconds past the limit.
        """
        tokens = self._backend.count_tokens("".join(pair))
        if self.scored:  # the first call of a session also loaded the scorer
            self._timed.append((tokens, seconds))
        self.scored = True
        seen = tokens / max(seconds, 1e-3)
        self.reading = min(self.reading, seen) if self.reading else seen

    def _ends_in_time(self, pair: tuple[str, str]) -> bool:
        """Whether scoring `pair` ends before the deadline at the measured reading speed.

        One pair cannot be stopped once begun where the backend is not `Stoppable`: on a busy
        CPU a few hundred tokens take seconds.
        """
        if self.deadline is None:
            return True
        needs = self._backend.count_tokens("".join(pair)) / self.reading if self.reading else 0.0
        return time.monotonic() + needs < self.deadline


def _bounded(
    backend: Backend, deadline: float | None, max_tokens: int, reading: float | None, scored: bool
) -> _Bounded:
    cls = _BoundedChooser if isinstance(backend, Chooser) else _Bounded
    return cls(backend, deadline, max_tokens, reading, scored)
