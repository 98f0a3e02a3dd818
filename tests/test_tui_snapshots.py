"""The reading room's layout at two terminal sizes, before any question (no model output on screen).

Update after an intended change with `pytest tests/test_tui_snapshots.py --snapshot-update`,
and look at the SVGs under `tests/__snapshots__/` before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import opened, reading_room

from conftest import EXAMPLES

HANDBOOK = "examples/garden-handbook.md"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_main_screen_layout(snap_compare, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, size) -> None:  # type: ignore[no-untyped-def]
    # The document is named relative to the checkout, so the screen does not show where it lies.
    monkeypatch.chdir(EXAMPLES.parent)
    assert snap_compare(reading_room(cache_dir, [HANDBOOK]), terminal_size=size, run_before=settled)


async def settled(pilot: Pilot[None]) -> None:
    await opened(pilot)
    # A blinking cursor would make the picture depend on the moment it is taken.
    pilot.app.screen.query_one(Input).cursor_blink = False
    await pilot.pause()
