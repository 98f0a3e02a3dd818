"""`lecto tui SOURCE...` (or just `lecto SOURCE...`): the interactive reading room."""

from __future__ import annotations

import shlex
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from lecto.cli.options import (
    BackendOpt,
    CacheDirOpt,
    CtxOpt,
    DebugOpt,
    GpuLayersOpt,
    ModelOpt,
    OcrOpt,
    PasswordOpt,
    PlainGroup,
    settings,
)
from lecto.data import Mode
from lecto.errors import SourceError, UsageError

if TYPE_CHECKING:
    from typer._click import Command, Context

EXAMPLES = """
Examples:

  lecto tui examples/garden-handbook.md

  lecto paper.pdf notes/ chat.json

Keys: Enter asks · Esc stops the answer · 1-9, n/p or ]/[ show a citation
Tab / Shift+Tab move between panes · Ctrl+O mode for the next question
Ctrl+N add a document · Ctrl+Y copy the answer · Ctrl+S save the session as Markdown
Ctrl+P command palette · Ctrl+Q quit
"""


def tui(
    sources: Annotated[list[str], typer.Argument(metavar="SOURCE...", help="Files or folders to read.")],
    mode: Annotated[
        Mode, typer.Option("--mode", case_sensitive=False, help="How much of the documents the model reads at first.")
    ] = Mode.AUTO,
    budget: Annotated[
        Optional[int], typer.Option("--budget", min=1, metavar="N", help="Tokens the documents may take.")
    ] = None,
    max_wait: Annotated[
        Optional[float],
        typer.Option(
            "--max-wait",
            min=0,
            metavar="SECONDS",
            help="Seconds each answer may take, from the moment it is asked (as for lecto ask; default: no limit).",
            show_default=False,
        ),
    ] = None,
    no_log: Annotated[
        bool, typer.Option("--no-log", help="Keep no record of these questions (see lecto log).")
    ] = False,
    model: ModelOpt = None,
    backend: BackendOpt = None,
    ctx: CtxOpt = None,
    gpu_layers: GpuLayersOpt = 0,
    cache_dir: CacheDirOpt = None,
    password: PasswordOpt = None,
    ocr: OcrOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Open an interactive reading room over the SOURCEs: ask, follow up, and check each citation."""
    if "-" in sources:
        raise UsageError(
            "the reading room reads your keys from the terminal, not documents from standard input",
            hint="save standard input to a file and open that",
        )
    if missing := next((s for s in sources if not Path(s).exists()), None):
        # Said here, on the command line, rather than as a notification in a reading room with nothing to read.
        raise SourceError("no such file or folder", source=missing)
    # Textual and the model stack load only when the reading room opens (see cli/options.py).
    from lecto.ingest.registry import IngestOptions
    from lecto.tui.app import ReadingRoom
    from lecto.tui.reader import Reader

    # No progress bar: the reading room owns the terminal.
    ingest = IngestOptions(password=password, ocr=ocr)
    chosen = replace(settings(model, ctx, gpu_layers, cache_dir, ingest, backend), log=not no_log)
    reader = Reader(chosen, sources, budget, max_wait)
    ReadingRoom(reader, mode).run()


class SourcesOpenTheReadingRoom(PlainGroup):
    """`lecto SOURCE...` with no command, where every argument names a file or folder, is `lecto tui SOURCE...`."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands:
            if _all_paths(self.commands["tui"], args):
                args = ["tui", *args]
            elif not args[0].startswith("-") and (Path(args[0]).exists() or " " in args[0]):
                # Sources first, the question last, as `lecto ask` takes them.
                ordered = sorted(args, key=lambda a: not Path(a).exists())
                raise UsageError(f"no command {args[0]!r}", hint=f"did you mean `lecto ask {shlex.join(ordered)}`?")
        return super().parse_args(ctx, args)


def _all_paths(command: Command, args: list[str]) -> bool:
    """Whether `args`, read as `lecto tui` would read them, name only existing files and folders."""
    if not any(Path(a).exists() for a in args if not a.startswith("-")):
        return False  # `lecto --version`, a typo: not worth parsing as the reading room's options (Typer's cost)
    parsed = command.make_context("tui", list(args), resilient_parsing=True)
    sources = parsed.params.get("sources") or []
    return bool(sources) and all(Path(s).exists() for s in sources)
