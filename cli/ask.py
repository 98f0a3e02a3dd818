"""`lecto ask SOURCE... QUESTION`: one question, answered with checked citations."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from lecto.cli import render
from lecto.cli.options import CacheDirOpt, CtxOpt, DebugOpt, GpuLayersOpt, ModelOpt, settings
from lecto.data import Mode, Status
from lecto.errors import UsageError
from lecto.session import Session

EXIT_NOT_FOUND = 3

EXAMPLES = """
Examples:

  lecto ask examples/lighthouse.md "How far can the light be seen?"

  lecto ask --json paper.pdf "What chunk size does GFS use?" | python -m json.tool

  git log -p | lecto ask - "Which commit changed the parser?"
"""


def ask(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE... QUESTION", help="Files, folders or - (stdin), then the question.", show_default=False
        ),
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Plan the context without generating.")] = False,
    budget: Annotated[Optional[int], typer.Option("--budget", min=1, help="Tokens the documents may take.")] = None,
    mode: Annotated[
        Mode, typer.Option("--mode", case_sensitive=False, help="How much of the documents the model reads.")
    ] = Mode.AUTO,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the answer.")] = False,
    model: ModelOpt = None,
    ctx: CtxOpt = None,
    gpu_layers: GpuLayersOpt = 0,
    cache_dir: CacheDirOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Answer QUESTION from the SOURCEs, citing where each part of the answer came from."""
    if len(args) < 2:
        raise UsageError("give at least one SOURCE and a QUESTION")
    *sources, question = args
    session = Session(settings(model, ctx, gpu_layers, cache_dir))
    timings: dict[str, float] = {}
    corpus = session.load(sources, timings)
    if not json_out:
        for warning in corpus.warnings:
            sys.stderr.write(f"lecto: warning: {render.safe(warning)}\n")
    plan = session.plan(question, corpus, mode, budget, timings)
    if dry_run:
        answer = session.dry_run(question, plan, timings)
    else:
        streaming = not json_out
        answer = session.answer(question, plan, _writer(streaming), timings)
        if streaming:
            sys.stdout.write("\n")
    timings["total_s"] = sum(timings.values())
    if json_out:
        render.print_json(answer)
    elif not quiet:
        render.print_sources(answer)
    if answer.status is Status.NOT_FOUND:
        raise typer.Exit(EXIT_NOT_FOUND)


def _writer(enabled: bool):  # type: ignore[no-untyped-def]
    def write(delta: str) -> None:
        if enabled:
            sys.stdout.write(render.safe(delta))
            sys.stdout.flush()

    return write
