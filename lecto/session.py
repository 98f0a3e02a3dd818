"""One user's session: a store, a backend loaded once, and the ingest → plan → answer steps.

The CLI runs one question through it; the TUI and `--questions` batches keep it open so the
model loads once and follow-ups reuse what is cached.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lecto.answer.generate import ANSWER_TOKENS, generate, model_info
from lecto.answer.prompt import overhead_tokens
from lecto.backends import Backend, ModelOptions, open_backend
from lecto.backends.llama_scorer import scorer_for
from lecto.backends.registry import Chooser, TokenScorer
from lecto.context import PlanOptions, plan
from lecto.context.prune import PruneOptions, prune_plan
from lecto.context.speed import known_speed, measure_speed
from lecto.context.window import effective_window, tokens_in_time
from lecto.data import Answer, Corpus, Mode, Plan, Status, Style
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions
from lecto.ingest.sources import Reading, read_sources
from lecto.store import Store

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


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    model: ModelOptions
    backend: str | None = None
    ingest: IngestOptions = DEFAULT_OPTIONS
    style: Style | None = None  # None: chosen by the model's size (see `Session.style`)


class Session:
    def __init__(self, settings: Settings):
        self.settings = settings

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
        max_wait: float | None = None,
        measure: bool = True,
    ) -> Plan:
        """Plan the context; with `max_wait` (seconds, 0 for none), auto keeps the expected time to answer under it.

        Without `max_wait` the plan depends on the question, the documents and the budget only,
        never on a measured speed or on what this process has loaded: the same question gets the
        same plan from the CLI and the TUI, today and tomorrow. The backend's speed comes from
        the cache, or is measured now when `measure` allows (a dry run never loads the weights).
        """
        start = time.perf_counter()
        time_tokens = self._time_tokens(max_wait, measure) if max_wait else None
        options = PlanOptions(
            mode=mode,
            budget=budget or self.default_budget(question),
            time_tokens=time_tokens,
            dense_seconds=dense_share(max_wait),
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

    def _time_tokens(self, max_wait: float, measure: bool) -> int | None:
        speed = known_speed(self.backend, self.store)
        if speed is None and measure:
            speed = measure_speed(self.backend, self.store)
        return tokens_in_time(max_wait, speed.prefill_tps, speed.decode_tps) if speed else None

    def answer(self, question: str, plan_: Plan, on_text: Callable[[str], None], timings: dict[str, float]) -> Answer:
        return generate(question, plan_, self.backend, on_text, timings, self.style)

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
