"""What `lecto ask` does once its arguments hold up: read the sources once, then answer and show each question.

Kept apart from `cli/ask.py` so that a usage error, `-h` and `--version` answer before the
model, ingest and rendering stack is imported (half a second on a laptop).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace

import typer

from lecto.answer.present import plain
from lecto.cli import render
from lecto.cli.options import Format
from lecto.cli.progress import progress_bar
from lecto.data import Answer, Corpus, Mode, Status
from lecto.session import Conversation, Session, Settings, Wait

EXIT_NOT_FOUND = 3


@dataclass(frozen=True)
class Run:
    """How every question of one invocation is answered and shown."""

    output: Format
    mode: Mode
    budget: int | None
    dry_run: bool
    quiet: bool
    explain: bool
    batch: bool
    max_wait: float | None = None
    prune_ratio: float | None = None


def answer_all(settings: Settings, sources: list[str], asked: list[str], follow: bool, run: Run) -> None:
    """Answer each of `asked` from `sources` (with `follow` and none given, the last conversation's).

    Exits 3 when any of them is not found in the documents.
    """
    timings: dict[str, float] = {}
    # The first question's wait runs from now, reading the documents included, as in the reading room;
    # each later one's from when it is asked.
    first_wait = _wait(run)
    with progress_bar() as bar:
        session = Session(replace(settings, ingest=replace(settings.ingest, progress=bar)))
        conversation = session.conversation(sources, follow)
        sources = sources or conversation.sources
        _progress(f"reading {len(sources)} source{'s' if len(sources) > 1 else ''}")
        corpus = session.load(sources, timings)
    for warning in corpus.warnings:
        sys.stderr.write(f"lecto: warning: {render.safe(warning)}\n")
    # Each question of a batch starts its own conversation: none is a follow-up of the one before.
    talks = [conversation] + [session.conversation(sources) for _ in asked[1:]]
    statuses = [
        _ask_one(session, corpus, talk, q, i, run, dict(timings), first_wait if i == 1 else _wait(run)).status
        for i, (talk, q) in enumerate(zip(talks, asked, strict=True), start=1)
    ]
    if Status.NOT_FOUND in statuses:
        raise typer.Exit(EXIT_NOT_FOUND)


def _wait(run: Run) -> Wait | None:
    return None if run.max_wait is None else Wait(run.max_wait)


def _ask_one(
    session: Session,
    corpus: Corpus,
    talk: Conversation,
    question: str,
    index: int,
    run: Run,
    timings: dict[str, float],
    wait: Wait | None,
) -> Answer:
    asked = session.follow_up(question, talk.exchanges, run.budget)
    plan = session.plan(asked, corpus, run.mode, run.budget, timings, wait, not run.dry_run)
    if run.prune_ratio:
        plan = session.prune(asked, plan, run.prune_ratio, timings)
    if run.explain:
        sys.stderr.write(f"lecto: {plan.mode.value}: {render.safe(plan.reason)}\n")
    if run.batch and not run.quiet and run.output in (Format.TEXT, Format.MARKDOWN):
        _heading(question, run.output)
    stream = render.TextStream() if run.output is Format.TEXT and not (run.quiet or run.dry_run) else None
    if run.dry_run:
        answer = replace(session.dry_run(question, plan, timings), status=Status.PLANNED)
    else:
        _progress("answering")
        answer = session.answer(question, plan, stream.write if stream else _unseen, timings, wait, asked)
        session.record(talk, question, answer)
    timings["total_s"] = sum(timings.values())
    if stream:
        stream.finish(answer)
    else:
        _show(answer, run, f"q{index}-" if run.batch else "")
    for note in answer.notes:
        sys.stderr.write(f"lecto: note: {render.safe(note)}\n")
    return answer


def _show(answer: Answer, run: Run, label: str) -> None:
    if run.output in (Format.JSON, Format.JSONL):
        render.print_json(answer)
    elif run.dry_run:
        render.print_plan(answer.plan)
    elif run.quiet:
        sys.stdout.write(render.safe(plain(answer)) + "\n")
    else:
        sys.stdout.write(render.markdown(answer, label))
    sys.stdout.flush()


def _heading(question: str, output: Format) -> None:
    prefix = "## " if output is Format.MARKDOWN else "Q: "
    sys.stdout.write(f"\n{prefix}{render.safe(question)}\n\n")


def _progress(message: str) -> None:
    """Progress for a person watching; never on stdout, and silent when stderr is not a terminal."""
    if sys.stderr.isatty():
        sys.stderr.write(f"lecto: {message}…\n")


def _unseen(delta: str) -> None:
    """Where the answer's text goes while it is written when it is shown only once complete."""
