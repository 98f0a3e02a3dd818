"""`lecto ask SOURCE... QUESTION`: questions answered with checked citations, for people or pipelines.

Standard input can carry the documents (`-` as a SOURCE) or the questions (`-` as the
QUESTION, one a line), not both: a stream can be read only once, so a batch over piped
documents takes its questions from `--questions FILE`.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from lecto.cli.options import (
    BackendOpt,
    CacheDirOpt,
    CtxOpt,
    DebugOpt,
    Format,
    GpuLayersOpt,
    ModelOpt,
    OcrOpt,
    PasswordOpt,
    StyleOpt,
    settings,
)
from lecto.data import Mode
from lecto.errors import SourceError, UsageError

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
    output = _format(output, json_out, jsonl_out, len(asked))
    # The arguments hold up: only now load what answering takes.
    from lecto.cli.answering import Run, answer_all
    from lecto.ingest.registry import IngestOptions

    chosen = settings(model, ctx, gpu_layers, cache_dir, IngestOptions(password=password, ocr=ocr), backend, style)
    run = Run(output, mode, budget, dry_run, quiet, explain, len(asked) > 1, max_wait, prune_ratio)
    answer_all(replace(chosen, log=not no_log), sources, asked, follow, run)


def _sources_and_questions(args: list[str], questions: str | None, follow: bool) -> tuple[list[str], list[str]]:
    if follow and (questions is not None or args[-1] == STDIN):
        raise UsageError("--continue follows up with one QUESTION")
    if questions is not None:
        sources, asked = args, _read_questions(questions)
    elif follow and len(args) == 1:  # the sources are the last conversation's
        sources, asked = [], [args[0].strip()]
    elif len(args) >= 2:
        *sources, question = args
        if _names_a_path(question):  # `lecto ask a.pdf b.pdf`: the question forgotten, a file's name asked
            raise UsageError(
                f"the last argument is the question, and {question!r} names a file or folder",
                hint='ask it after the sources: lecto ask FILE... "question"',
            )
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


def _names_a_path(question: str) -> bool:
    word = question.strip()
    return bool(word) and word != STDIN and " " not in word and Path(word).exists()


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
