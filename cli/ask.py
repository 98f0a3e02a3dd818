"""`lecto ask SOURCE... QUESTION`: questions answered with checked citations, for people or pipelines.

Standard input can carry the documents (`-` as a SOURCE) or the questions (`-` as the
QUESTION, one a line), not both: a stream can be read only once, so a batch over piped
documents takes its questions from `--questions FILE`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from lecto.answer.present import plain
from lecto.cli import render
from lecto.cli.options import (
    BackendOpt,
    CacheDirOpt,
    CtxOpt,
    DebugOpt,
    GpuLayersOpt,
    ModelOpt,
    OcrOpt,
    PasswordOpt,
    StyleOpt,
    settings,
)
from lecto.cli.progress import progress_bar
from lecto.cli.render import Format
from lecto.data import Answer, Corpus, Mode, Status
from lecto.errors import SourceError, UsageError
from lecto.ingest.registry import IngestOptions
from lecto.session import Conversation, Session, Wait

EXIT_NOT_FOUND = 3
STDIN = "-"

EXAMPLES = """
Examples:

  lecto ask examples/garden-handbook.md "How much is the yearly plot fee?"

  lecto ask --json paper.pdf "What chunk size does GFS use?" | python -m json.tool

  lecto ask --format markdown paper.pdf "What chunk size does GFS use?" > answer.md

  cat questions.txt | lecto ask paper.pdf - --jsonl

  lecto ask --questions questions.txt --jsonl paper.pdf notes.md

  git log -p | lecto ask - "Which commit changed the parser?"

  LECTO_PDF_PASSWORD=... lecto ask --ocr scanned-and-locked.pdf "Who signed it?"

A source that cannot be read stops the question with one line naming it (an answer from
only some of the sources would mislead); lecto inspect lists every bad source at once.

Exit codes: 0 answered, 1 error, 2 usage error, 3 the documents don't contain the answer
(with several questions: at least one of them).
"""


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


def ask(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE... QUESTION",
            help="Files, folders or - (stdin), then the question, or - to read questions from stdin.",
            show_default=False,
        ),
    ],
    questions: Annotated[
        Optional[str],
        typer.Option(
            "--questions", metavar="FILE", help="Ask every line of FILE (- for stdin); all arguments are sources."
        ),
    ] = None,
    output: Annotated[Format, typer.Option("--format", case_sensitive=False, help="How to print answers.")] = (
        Format.TEXT
    ),
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object (same as --format json).")] = False,
    jsonl_out: Annotated[
        bool, typer.Option("--jsonl", help="One JSON object a line, one a question, as each finishes.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Plan the context without generating.")] = False,
    budget: Annotated[
        Optional[int], typer.Option("--budget", min=1, metavar="N", help="Tokens the documents may take.")
    ] = None,
    mode: Annotated[
        Mode, typer.Option("--mode", case_sensitive=False, help="How much of the documents the model reads.")
    ] = Mode.AUTO,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the answer.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Say on stderr why this context plan was chosen.")] = False,
    max_wait: Annotated[
        Optional[float],
        typer.Option(
            "--max-wait",
            min=0,
            metavar="SECONDS",
            help="Seconds the whole answer may take: auto reads less and the answer is kept short to end in time,"
            " from the measured speeds, and it stops with a note if it runs over (default: no time limit, the plan"
            " follows the budget alone; 0 also lifts dense ranking's limit).",
            show_default=False,
        ),
    ] = None,
    prune_ratio: Annotated[
        Optional[float],
        typer.Option(
            "--prune-ratio",
            min=1,
            metavar="RATIO",
            help="Also drop the least informative tokens, by the model's log-probs, to 1/RATIO of the text "
            "outside the sentences likely quoted. Costs a pre-fill: slower than it saves on a CPU.",
            show_default=False,
        ),
    ] = None,
    follow: Annotated[
        bool,
        typer.Option(
            "--continue",
            "-c",
            help="Follow up on the last conversation: over the same SOURCEs, or over its own when only a QUESTION"
            " is given.",
        ),
    ] = False,
    no_log: Annotated[bool, typer.Option("--no-log", help="Keep no record of this question (see lecto log).")] = False,
    style: StyleOpt = None,
    model: ModelOpt = None,
    backend: BackendOpt = None,
    ctx: CtxOpt = None,
    gpu_layers: GpuLayersOpt = 0,
    cache_dir: CacheDirOpt = None,
    password: PasswordOpt = None,
    ocr: OcrOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Answer QUESTION from the SOURCEs, citing where each part of the answer came from."""
    sources, asked = _sources_and_questions(args, questions, follow)
    run = Run(
        _format(output, json_out, jsonl_out, len(asked)),
        mode,
        budget,
        dry_run,
        quiet,
        explain,
        len(asked) > 1,
        max_wait,
        prune_ratio,
    )
    timings: dict[str, float] = {}
    with progress_bar() as bar:
        ingest = IngestOptions(password=password, ocr=ocr, progress=bar)
        session = Session(replace(settings(model, ctx, gpu_layers, cache_dir, backend, ingest, style), log=not no_log))
        conversation = session.conversation(sources, follow)
        sources = sources or conversation.sources
        _progress(f"reading {len(sources)} source{'s' if len(sources) > 1 else ''}")
        corpus = session.load(sources, timings)
    for warning in corpus.warnings:
        sys.stderr.write(f"lecto: warning: {render.safe(warning)}\n")
    # Each question of a batch starts its own conversation: none is a follow-up of the one before.
    talks = [conversation] + [session.conversation(sources) for _ in asked[1:]]
    statuses = [
        _ask_one(session, corpus, talk, q, i, run, dict(timings)).status
        for i, (talk, q) in enumerate(zip(talks, asked, strict=True), start=1)
    ]
    if Status.NOT_FOUND in statuses:
        raise typer.Exit(EXIT_NOT_FOUND)


def _sources_and_questions(args: list[str], questions: str | None, follow: bool) -> tuple[list[str], list[str]]:
    if follow and (questions is not None or args[-1] == STDIN):
        raise UsageError("--continue follows up with one QUESTION")
    if questions is not None:
        sources, asked = args, _read_questions(questions)
    elif follow and len(args) == 1:  # the sources are the last conversation's
        sources, asked = [], [args[0].strip()]
    elif len(args) >= 2:
        *sources, question = args
        asked = _read_questions(STDIN) if question == STDIN else [question.strip()]
    else:
        raise UsageError("give at least one SOURCE and a QUESTION")
    if not sources and not follow:
        raise UsageError("give at least one SOURCE")
    if STDIN in sources and (questions == STDIN or (questions is None and args[-1] == STDIN)):
        raise UsageError(
            "standard input can hold the documents or the questions, not both",
            hint="put the questions in a file and use --questions FILE",
        )
    if not asked:
        raise UsageError("no questions given (every line was empty)")
    if not all(asked):
        raise UsageError("the question is empty", hint='ask it after the sources: lecto ask FILE "question"')
    return sources, asked


def _read_questions(where: str) -> list[str]:
    if where == STDIN:
        text = sys.stdin.read()
    else:
        try:
            text = Path(where).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise SourceError(f"cannot read the questions ({getattr(e, 'strerror', None) or e})", source=where) from e
    return [line.strip() for line in text.splitlines() if line.strip()]


def _format(output: Format, json_out: bool, jsonl_out: bool, count: int) -> Format:
    chosen = {Format.JSON} if json_out else set()
    chosen |= {Format.JSONL} if jsonl_out else set()
    chosen |= {output} if output is not Format.TEXT else set()
    if len(chosen) > 1:
        raise UsageError("choose one output format (--json, --jsonl or --format)")
    result = chosen.pop() if chosen else Format.TEXT
    if result is Format.JSON and count > 1:
        raise UsageError("--json prints one object; use --jsonl for several questions")
    return result


def _ask_one(
    session: Session,
    corpus: Corpus,
    talk: Conversation,
    question: str,
    index: int,
    run: Run,
    timings: dict[str, float],
) -> Answer:
    wait = None if run.max_wait is None else Wait(run.max_wait)
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
        written = session.answer(asked, plan, stream.write if stream else _unseen, timings, wait)
        # Shown and logged as the user asked it, not in the prompt's wording with the history.
        answer = replace(written, question=question)
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
