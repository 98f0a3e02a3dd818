"""What the TUI tests share: opening the reading room on real documents and reading its screen."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from lecto.backends import ModelOptions
from lecto.data import Mode
from lecto.session import Settings
from lecto.tui.app import ReadingRoom
from lecto.tui.reader import Reader
from lecto.tui.widgets.sources_list import SourcesList
from lecto.tui.widgets.status_bar import StatusBar

# Generous: the tiny model shares two cores with everything else on a CI machine.
PATIENCE_S = 300


def reading_room(
    cache: Path,
    sources: list[str],
    budget: int | None = None,
    mode: Mode = Mode.AUTO,
    model: str | None = None,
    max_wait: float | None = None,
) -> ReadingRoom:
    """The reading room over `sources` with the bundled model, or the backend `model` names (a scripted one)."""
    settings = Settings(cache_dir=cache, model=ModelOptions(spec=model))
    return ReadingRoom(Reader(settings, sources, budget, max_wait), mode)


async def until(pilot: Pilot[None], ready: Callable[[], bool], what: str) -> None:
    for _ in range(int(PATIENCE_S / 0.1)):
        if ready():
            return
        await pilot.pause(0.1)
    raise AssertionError(f"gave up waiting for {what}")


async def opened(pilot: Pilot[None], documents: int = 1) -> None:
    """Wait until the documents are listed and the model's name is known."""
    screen = pilot.app.screen
    await until(pilot, lambda: len(screen.query_one(SourcesList).root.children) == documents, "the documents")
    await until(pilot, lambda: not screen.query_one(StatusBar).model.startswith("loading"), "the model")
    await pilot.pause()


def screen_text(pilot: Pilot[None]) -> str:
    """The characters on screen, as the SVG screenshot has them (one string, rows in order)."""
    svg = pilot.app.export_screenshot()
    rows = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    return html.unescape("".join(rows)).replace("\xa0", " ")
