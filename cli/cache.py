"""`lecto cache info|clear`: see where parsed documents are kept and how much, and start afresh."""

from __future__ import annotations

import sys

import typer
from rich.text import Text

from lecto.cli import render
from lecto.cli.options import CacheDirOpt, DebugOpt
from lecto.context.speed import FILE as SPEED_FILE
from lecto.paths import cache_dir
from lecto.store import Store, clear

app = typer.Typer(help="See or clear the cache of parsed documents.", no_args_is_help=True)

EXAMPLES = """Examples:

  lecto cache info

  lecto cache clear --cache-dir /tmp/lecto-cache
"""


@app.command(epilog=EXAMPLES)
def info(cache: CacheDirOpt = None, debug: DebugOpt = False) -> None:
    """Where the cache is, its size, and how many documents and passages it holds."""
    store = Store(cache_dir(cache))
    summary = store.info()
    store.close()
    show = render.console()
    for notice in store.notices:
        sys.stderr.write(f"lecto: warning: {render.safe(notice)}\n")
    show.print(Text.assemble(("cache: ", "bold"), render.safe(str(summary.path))))
    show.print(Text.assemble(("size: ", "bold"), _size(summary.bytes)))
    kinds = ", ".join(f"{n} {kind.value}" for kind, n in sorted(summary.documents.items())) or "none"
    show.print(Text.assemble(("documents: ", "bold"), kinds))
    show.print(Text.assemble(("passages: ", "bold"), str(summary.chunks)))
    for path in summary.set_aside:
        show.print(Text.assemble(("damaged copy: ", "yellow"), render.safe(path.name)))


@app.command("clear", epilog=EXAMPLES)
def clear_cache(cache: CacheDirOpt = None, debug: DebugOpt = False) -> None:
    """Delete every cached document and the measured model speed; the next question starts afresh."""
    directory = cache_dir(cache)
    removed = clear(directory) if directory.is_dir() else []
    # A speed probed on a busy machine would keep auto's contexts small for good.
    speed = directory / SPEED_FILE
    if speed.is_file():
        speed.unlink()
        removed.append(speed)
    render.console().print(f"removed {len(removed)} file{'' if len(removed) == 1 else 's'} from {directory}")


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
