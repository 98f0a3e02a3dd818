"""`lecto log`: the questions asked before and their answers, newest first, from the cache's own log."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lecto.cli.options import CacheDirOpt, DebugOpt

if TYPE_CHECKING:
    from lecto.store.log import Entry

EXAMPLES = """
Examples:

  lecto log

  lecto log -n 3 --json

  lecto ask -c "And who pays it?"

Questions asked with --no-log are not kept; lecto cache clear --log forgets them all.
"""

# Enough to scroll back through a session's questions without flooding the terminal.
DEFAULT_COUNT = 20


def log(
    count: Annotated[int, typer.Option("-n", "--count", min=1, metavar="N", help="How many to show.")] = DEFAULT_COUNT,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON array, newest first.")] = False,
    cache: CacheDirOpt = None,
    debug: DebugOpt = False,
) -> None:
    """List past questions and their answers, newest first."""
    from lecto.cli import render  # the store and Rich load only now (see cli/options.py)
    from lecto.paths import cache_dir
    from lecto.store import Store

    store = Store(cache_dir(cache))
    entries = store.recent(count)
    store.close()
    if json_out:
        sys.stdout.write(json.dumps([_json(e) for e in entries], ensure_ascii=False) + "\n")
        return
    show = render.console()
    for n, entry in enumerate(entries):
        if n:
            show.print()
        _print(show, entry)


def _print(show: Any, entry: Entry) -> None:
    from rich.text import Text

    from lecto.cli import render

    sources = ", ".join(Path(s).name if s != "-" else "stdin" for s in entry.sources)
    when = datetime.fromtimestamp(entry.asked_at).strftime("%Y-%m-%d %H:%M")
    show.print(Text.assemble((when, "dim"), "  ", render.safe(sources), (f"  ({entry.status.value})", "dim")))
    show.print(Text.assemble(("Q: ", "bold"), render.safe(entry.question)))
    show.print(Text.assemble(("A: ", "bold"), render.safe(entry.answer or "(no answer)")))


def _json(entry: Entry) -> dict[str, Any]:
    return {**asdict(entry), "asked_at": datetime.fromtimestamp(entry.asked_at).astimezone().isoformat("T", "seconds")}
