"""A progress bar on stderr while slow sources are read (big PDFs, OCR, code folders).

Only when stderr is a terminal, and only once reading has taken a second: most sources are
cached or small, and a bar that flashes for a moment is noise. Nothing goes to stdout, so
`--json` and pipes see exactly what they would without it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from lecto.cli.render import console
from lecto.ingest.registry import Unit
from lecto.visible import visible

# Below this, reading feels instant and a bar would only flicker.
SHOW_AFTER_S = 1.0
# Enough for most file names; longer ones are cut so the bar and the count stay on the line.
NAME_WIDTH = 48


class Bar:
    """A `lecto.ingest.registry.Progress` drawn with Rich, one line per source being read."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, source: str, done: int, total: int, unit: Unit) -> None:
        if self.progress is None:
            if time.monotonic() - self.started < SHOW_AFTER_S or done >= total:
                return
            self.progress = _progress()
            self.progress.start()
        if source not in self.tasks:
            # The name alone: a long path would squeeze the bar off the line.
            name = visible(Path(source).name or source)
            name = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
            self.tasks[source] = self.progress.add_task(name, total=total, unit=unit.value)
        self.progress.update(self.tasks[source], completed=done, total=total, unit=unit.value)
        if done >= total:  # only sources still being read keep a line
            self.progress.remove_task(self.tasks.pop(source))

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextmanager
def progress_bar() -> Iterator[Bar | None]:
    """A bar to pass as `IngestOptions.progress`, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = Bar()
    try:
        yield bar
    finally:
        bar.close()


def _progress() -> Progress:
    return Progress(
        # markup=False: a file name is never Rich markup.
        TextColumn("lecto: reading {task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeRemainingColumn(),
        console=console(sys.stderr),  # NO_COLOR holds here too
        transient=True,  # the bar goes when reading ends, so the answer starts on a clean line
    )
