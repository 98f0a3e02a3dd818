"""`lecto inspect SOURCE...`: what ingest made of the sources, before any question is asked.

Per document: its kind and format, how much it holds (pages, files, messages), how many
passages it was cut into, how many tokens those take with the model's tokenizer (loaded
alone, never the weights), and what could not be read. A source that cannot be read does
not stop the others: each is reported (one line on stderr, or `errors` in `--json`) and the
exit code is 1. `--json` gives the same for scripts.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from lecto.cli.errors import Failure
from lecto.cli.options import CacheDirOpt, DebugOpt, ModelOpt, OcrOpt, PasswordOpt, settings
from lecto.visible import visible

if TYPE_CHECKING:
    from lecto.data import Document

EXAMPLES = """
Examples:

  lecto inspect paper.pdf chat.txt notes.md

  lecto inspect --json slack-export/ | python -m json.tool

Every source is read even when one fails; each failure is one line on stderr (in --json
also under "errors"), and the exit code is then 1.
"""

# Some source could not be read (the others are still shown).
EXIT_FAILED = 1

# Media named in the listing; `--json` has them all.
_MEDIA_SHOWN = 5
# What a document holds, by the meta key its ingester sets.
_UNITS = ("pages", "files", "messages")


@dataclass(frozen=True)
class Summary:
    source: str
    kind: str
    format: str
    title: str
    size: dict[str, int]
    chunks: int
    tokens: int
    first_time: str | None
    last_time: str | None
    speakers: list[str]
    media: list[str]  # files a zipped chat export holds beside the chat, by name
    warnings: list[str]


def inspect(
    sources: Annotated[list[str], typer.Argument(metavar="SOURCE...", help="Files, folders or - (stdin).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: ModelOpt = None,
    cache_dir: CacheDirOpt = None,
    password: PasswordOpt = None,
    ocr: OcrOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Show what lecto read from each SOURCE: kind, size, passages, tokens and warnings."""
    from lecto.cli.progress import progress_bar  # the ingest stack loads only now (see cli/options.py)
    from lecto.context.tokens import count_corpus
    from lecto.ingest.registry import IngestOptions
    from lecto.session import Session

    with progress_bar() as bar:
        session = Session(settings(model, None, 0, cache_dir, IngestOptions(password, ocr, bar)))
        reading = session.read(sources)
    corpus = reading.corpus
    counted = count_corpus(corpus, session.backend, session.store)
    tokens = {c.id: c.tokens for c in counted}
    summaries = [_summary(doc, tokens) for doc in corpus.documents]
    own = {w for doc in corpus.documents for w in doc.warnings}
    general = [w for w in corpus.warnings if w not in own]
    errors = [asdict(Failure(e.source, e.message, e.hint)) for e in reading.failed]
    if json_out:
        report = {
            "tokenizer": session.backend.name,
            "documents": [asdict(s) for s in summaries],
            "warnings": general,
            "errors": errors,
        }
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        _print(summaries, general, session.backend.name)
    for error in reading.failed:
        sys.stderr.write(f"lecto: {visible(str(error))}\n")
    if reading.failed:
        raise typer.Exit(EXIT_FAILED)


def _summary(doc: Document, tokens: dict[str, int]) -> Summary:
    times = [t for c in doc.chunks if (t := c.span.location.times()) is not None]
    return Summary(
        source=doc.source,
        kind=doc.kind.value,
        format=doc.id.split("@", 1)[0],
        title=doc.title,
        size={unit: doc.meta[unit] for unit in _UNITS if isinstance(doc.meta.get(unit), int)},
        chunks=len(doc.chunks),
        tokens=sum(tokens[c.id] for c in doc.chunks),
        # min/max, not first/last: a Slack export's channels each run through the whole span.
        first_time=min((first for first, _ in times), default=None),
        last_time=max((last for _, last in times), default=None),
        speakers=list(doc.meta.get("speakers", [])),
        media=list(doc.meta.get("media", [])),
        warnings=list(doc.warnings),
    )


def _print(summaries: list[Summary], general: list[str], tokenizer: str) -> None:
    from rich.text import Text

    from lecto.cli import render

    show = render.console()
    for s in summaries:
        show.print(Text.assemble((render.safe(s.source), "bold"), f"  {s.kind} ({s.format})"))
        show.print(f"  {_size(s)}{s.chunks:,} passages, {s.tokens:,} tokens")
        if s.first_time:
            show.print(f"  {s.first_time} to {s.last_time}")
        if s.speakers:
            show.print(Text(f"  speakers: {render.safe(', '.join(s.speakers))}"))
        if s.media:
            show.print(Text(f"  media: {len(s.media):,} ({render.safe(_listed(s.media))})"))
        for warning in s.warnings:
            show.print(Text.assemble(("  warning: ", "yellow"), render.safe(warning)))
    for warning in general:
        show.print(Text.assemble(("warning: ", "yellow"), render.safe(warning)))
    total = sum(s.tokens for s in summaries)
    show.print(Text(f"{len(summaries)} document(s), {total:,} tokens ({render.safe(tokenizer)} tokenizer)", "dim"))


def _listed(media: list[str]) -> str:
    more = f", {len(media) - _MEDIA_SHOWN:,} more" if len(media) > _MEDIA_SHOWN else ""
    return ", ".join(media[:_MEDIA_SHOWN]) + more


def _size(s: Summary) -> str:
    return "".join(f"{n:,} {unit}, " for unit, n in s.size.items())
