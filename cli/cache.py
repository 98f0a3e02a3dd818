"""`lecto cache info|clear`: what the cache folder holds, part by part, and clearing all of it or one part."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lecto.cli.options import CacheDirOpt, DebugOpt, PlainGroup, PlainHelp

if TYPE_CHECKING:
    from lecto.store import CacheInfo, Part
    from lecto.store.speed import Speed

app = typer.Typer(
    cls=PlainGroup,
    help="See or clear the cache: parsed documents, prefix states, vectors, speeds, log.",
    no_args_is_help=True,
)

EXAMPLES = """
Examples:

  lecto cache info

  lecto cache info --json

  lecto cache clear --speed

  lecto cache clear --cache-dir /tmp/lecto-cache
"""

# How `cache info` names each part for a person, by its `Part` (a str enum, kept by value so that
# `lecto -h` need not import the store; see cli/options.py).
_LABELS = {
    "documents": "documents",
    "prefix": "prefix states",
    "vectors": "vectors",
    "speed": "speed",
    "log": "log",
    "set_aside": "damaged copies",
    "other": "other",
}
# What `cache clear` can clear alone, in the order of its flags.
_CLEARABLE = ("documents", "prefix", "vectors", "speed", "log")


@app.command(cls=PlainHelp, epilog=EXAMPLES, short_help="What each part of the cache holds on disk.")
def info(
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    cache: CacheDirOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Where the cache is and what each part of it holds on disk; the parts add up to the folder."""
    from rich.text import Text  # the store and Rich load only now

    from lecto.cli import render
    from lecto.paths import cache_dir
    from lecto.store import Store

    store = Store(cache_dir(cache))
    summary = store.info()
    store.close()
    for notice in store.notices:
        sys.stderr.write(f"lecto: warning: {render.safe(notice)}\n")
    if json_out:
        sys.stdout.write(json.dumps(_json(summary), ensure_ascii=False) + "\n")
        return
    show = render.console()
    show.print(Text.assemble(("cache: ", "bold"), render.safe(str(summary.path.parent))))
    show.print(Text.assemble(("size: ", "bold"), _size(summary.bytes)))
    for part, n in summary.parts.items():
        detail = _detail(part, summary)
        show.print(Text.assemble((f"{_LABELS[part]}: ", "bold"), _size(n), f" ({detail})" if detail else ""))
    for path in summary.set_aside:
        show.print(Text.assemble(("damaged copy: ", "yellow"), render.safe(path.name)))


def _detail(part: Part, summary: CacheInfo) -> str:
    from lecto.store import Part

    if part is Part.DOCUMENTS:
        kinds = ", ".join(f"{n} {kind.value}" for kind, n in sorted(summary.documents.items())) or "none"
        return f"{kinds}; {summary.chunks} passages"
    if part is Part.SPEED:
        return "; ".join(f"{_model(key)}: {_speed(s)}" for key, s in summary.speeds.items()) or "not measured"
    if part is Part.LOG:
        return f"{summary.questions} question{'' if summary.questions == 1 else 's'}"
    return ""


def _model(key: str) -> str:
    """A speed key's model, as a person names it (the key also holds the backend and the machine)."""
    tokenizer = key.split("|", 1)[0]
    return tokenizer.split(":")[1] if tokenizer.count(":") >= 2 else tokenizer


def _speed(s: Speed) -> str:
    hours = (time.time() - s.measured_at) / 3600
    age = f"{hours * 60:.0f} min" if hours < 1 else f"{hours:.0f} h"
    return f"reads {s.prefill_tps:.0f} tokens/s, writes {s.decode_tps:.1f} tokens/s, {s.how.value} {age} ago"


def _json(summary: CacheInfo) -> dict[str, Any]:
    from lecto.store import Part

    parts: dict[str, Any] = {part.value: {"bytes": n} for part, n in summary.parts.items()}
    parts[Part.DOCUMENTS]["documents"] = {kind.value: n for kind, n in summary.documents.items()}
    parts[Part.DOCUMENTS]["passages"] = summary.chunks
    parts[Part.SPEED]["speeds"] = [{"key": key, **asdict(s)} for key, s in summary.speeds.items()]
    parts[Part.LOG]["questions"] = summary.questions
    parts[Part.SET_ASIDE]["files"] = [str(p) for p in summary.set_aside]
    return {"path": str(summary.path.parent), "bytes": summary.bytes, "parts": parts}


@app.command("clear", cls=PlainHelp, epilog=EXAMPLES, short_help="Delete the cache, or only the parts named.")
def clear_cache(
    documents: Annotated[bool, typer.Option("--documents", help="Only the parsed documents and their index.")] = False,
    prefix: Annotated[bool, typer.Option("--prefix", help="Only the model's stored prompt states.")] = False,
    vectors: Annotated[bool, typer.Option("--vectors", help="Only the passage embeddings.")] = False,
    speed: Annotated[bool, typer.Option("--speed", help="Only the measured model speeds.")] = False,
    log: Annotated[bool, typer.Option("--log", help="Only the log of past questions.")] = False,
    cache: CacheDirOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Delete the whole cache, or only the parts named; the next question rebuilds what it needs."""
    from lecto.cli import render  # the store and Rich load only now
    from lecto.paths import cache_dir
    from lecto.store import Part, clear

    directory = cache_dir(cache)
    chosen = [Part(p) for p, on in zip(_CLEARABLE, (documents, prefix, vectors, speed, log), strict=True) if on]
    if not chosen:
        removed = clear(directory) if directory.is_dir() else []
        render.console().print(f"removed {len(removed)} file{'' if len(removed) == 1 else 's'} from {directory}")
        return
    if directory.is_dir():
        _clear_parts(directory, chosen)
    render.console().print(f"cleared {', '.join(_LABELS[p] for p in chosen)} in {directory}")


def _clear_parts(directory: Path, parts: list[Part]) -> None:
    from lecto.store import Store

    store = Store(directory)
    try:
        for part in parts:
            store.clear(part)
    finally:
        store.close()


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
