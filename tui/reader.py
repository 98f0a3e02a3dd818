"""The session behind the reading room: documents, earlier answers, and the one thread they live on.

The model, the tokenizer and the SQLite cache all belong to one `Session`. SQLite ties a
connection to the thread that opened it, and Textual runs each thread worker wherever its
pool has room, so every call into the session hops onto a single thread owned here; the
workers wait for it and stay cancellable.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from lecto.data import Answer, Corpus, Mode, Plan
from lecto.session import Session, Settings, Wait

T = TypeVar("T")
# How often a waiting question looks whether it was stopped: Esc answers within this.
POLL_S = 0.05


class Stopped(Exception):
    """The user stopped the answer; raised between tokens, so the model stops generating."""


@dataclass(frozen=True)
class Loaded:
    corpus: Corpus
    warnings: list[str]


class Reader:
    def __init__(
        self, settings: Settings, sources: list[str], budget: int | None = None, max_wait: float | None = None
    ):
        self.session = Session(settings)
        self.sources = list(sources)  # as the user named them
        # One conversation a session: each question follows up on those before, as `lecto ask -c` does.
        self.conversation = self.session.conversation(sources)
        self.budget = budget
        self.max_wait = max_wait
        self.corpus = Corpus([])
        self.answers: list[Answer] = []
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lecto-session")

    def load(self, sources: list[str]) -> Loaded:
        """Read `sources` into the session (cached documents are not parsed again)."""
        return self._on_session_thread(self._load, sources)

    def ask(
        self,
        question: str,
        mode: Mode,
        on_plan: Callable[[Plan], None],
        on_text: Callable[[str], None],
        stopped: Callable[[], bool],
    ) -> Answer:
        """The answer, or `Stopped` as soon as `stopped()` says so, whatever the session thread is doing.

        Reading the documents and pre-filling the prompt cannot be interrupted inside llama.cpp,
        so the question stops waiting at once and the work it started is dropped at its next
        step (`on_plan` and `on_text` raise `Stopped` then).
        """
        # The time limit runs from the moment the user asked, waiting for the documents included.
        wait = None if self.max_wait is None else Wait(self.max_wait)
        future = self._thread.submit(self._ask, question, mode, on_plan, on_text, wait, stopped)
        while True:
            try:
                return future.result(timeout=POLL_S)
            except TimeoutError:
                if stopped():
                    future.cancel()
                    raise Stopped from None

    def model_name(self) -> str:
        return self._on_session_thread(lambda: self.session.backend.name)

    def ready_in_time(self) -> None:
        """Under a time limit, probe the speed and load the scorer now, while the first question is typed.

        Inside a question, the probe and the scorer's load (seconds on an idle CPU, minutes on a
        busy one) would use up that question's `--max-wait`; a question asked meanwhile waits for
        them, so they are given up after one wait.
        """
        if self.max_wait:
            self._on_session_thread(self.session.ready_in_time, Wait(self.max_wait))

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)

    def _on_session_thread(self, work: Callable[..., T], *args: object) -> T:
        return self._thread.submit(work, *args).result()

    def _load(self, sources: list[str]) -> Loaded:
        added = self.session.load(sources, {})
        known = {d.id for d in self.corpus.documents}
        fresh = [d for d in added.documents if d.id not in known]
        self.corpus = Corpus(self.corpus.documents + fresh, self.corpus.warnings + added.warnings)
        self.sources += [s for s in sources if s not in self.sources]
        # The log keeps them resolved, as the session does every conversation's.
        self.conversation.sources = self.session.conversation(self.sources).sources
        return Loaded(self.corpus, added.warnings)

    def _ask(
        self,
        question: str,
        mode: Mode,
        on_plan: Callable[[Plan], None],
        on_text: Callable[[str], None],
        wait: Wait | None,
        stopped: Callable[[], bool],
    ) -> Answer:
        timings: dict[str, float] = {}
        asked = self.session.follow_up(question, self.conversation.exchanges, self.budget)
        plan = self.session.plan(asked, self.corpus, mode, self.budget, timings, wait)
        on_plan(plan)
        answer = self.session.answer(question, plan, on_text, timings, wait, asked)
        timings["total_s"] = sum(timings.values())
        if stopped():  # stopped after its last word: not part of the conversation, nor of the log
            raise Stopped
        self.session.record(self.conversation, question, answer)
        self.answers.append(answer)
        return answer
