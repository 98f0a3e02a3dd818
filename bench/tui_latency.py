"""How the reading room feels: time to open, to the first streamed words, to stop, and what the UI costs.

    python bench/tui_latency.py [--runs 3]

Drives the real app headless (Textual's Pilot) with the bundled model over
examples/garden-handbook.md with a 400-token budget, and prints medians as JSON:
- open_s: launch until the documents are listed and the model's name is shown (cache warm);
- first_words_s: Enter until the first piece of the answer arrives;
- stop_s: Esc until the answer is reported stopped;
- write_ms_per_token: generation time per completion token, in the app and through the same
  Reader without any UI, to show what rendering the stream costs on the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from textual.widgets import Input  # noqa: E402
from tui_helpers import opened, reading_room, until  # noqa: E402

from lecto.data import Mode  # noqa: E402
from lecto.tui.messages import AnswerDone, AnswerStopped, AnswerText  # noqa: E402

HANDBOOK = str(ROOT / "examples" / "garden-handbook.md")
BUDGET = 400
QUESTION = "How much is the yearly plot fee?"
LONG_QUESTION = "Describe every rule of the garden in detail."


async def one_run(cache: Path) -> dict[str, float]:
    seen: list[tuple[float, object]] = []
    app = reading_room(cache, [HANDBOOK], budget=BUDGET)
    start = time.perf_counter()
    async with app.run_test(size=(120, 40), message_hook=lambda m: seen.append((time.perf_counter(), m))) as pilot:
        await opened(pilot)
        out = {"open_s": time.perf_counter() - start}
        out.update(await _ask(pilot, seen, QUESTION))
        out.update(await _stop(pilot, seen))
    return out


def _type(pilot, question: str) -> None:  # type: ignore[no-untyped-def]
    box = pilot.app.screen.query_one(Input)
    box.focus()
    box.value = question


async def _ask(pilot, seen, question: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    _type(pilot, question)
    asked = time.perf_counter()
    await pilot.press("enter")
    await until(pilot, lambda: any(isinstance(m, AnswerDone) for _, m in seen), "the answer")
    first = next(t for t, m in seen if isinstance(m, AnswerText) and t >= asked)
    answer = next(m for _, m in seen if isinstance(m, AnswerDone)).answer  # type: ignore[attr-defined]
    return {
        "first_words_s": first - asked,
        "app_write_ms_per_token": 1000 * answer.timings["generate_s"] / max(1, answer.tokens["completion"]),
    }


async def _stop(pilot, seen) -> dict[str, float]:  # type: ignore[no-untyped-def]
    _type(pilot, LONG_QUESTION)
    count = len(seen)
    await pilot.press("enter")
    await until(pilot, lambda: any(isinstance(m, AnswerText) for _, m in seen[count:]), "the first words")
    pressed = time.perf_counter()
    await pilot.press("escape")
    await until(pilot, lambda: any(isinstance(m, AnswerStopped) for _, m in seen[count:]), "the stop")
    return {"stop_s": next(t for t, m in seen[count:] if isinstance(m, AnswerStopped)) - pressed}


def headless_write_ms(cache: Path) -> float:
    """The same question through the Reader alone: no screen, no stream rendering."""
    app = reading_room(cache, [HANDBOOK], budget=BUDGET)
    reader = app.reader
    reader.load(reader.sources)
    answer = reader.ask(QUESTION, Mode.AUTO, lambda plan: None, lambda delta: None)
    reader.close()
    return 1000 * answer.timings["generate_s"] / max(1, answer.tokens["completion"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        headless_write_ms(cache)  # fills the cache and loads the model files once; not counted
        results = [asyncio.run(one_run(cache)) for _ in range(runs)]
        headless = [headless_write_ms(cache) for _ in range(runs)]
    medians = {key: round(statistics.median(r[key] for r in results), 3) for key in results[0]}
    medians["headless_write_ms_per_token"] = round(statistics.median(headless), 1)
    print(json.dumps({"runs": runs, **medians}, indent=2))


if __name__ == "__main__":
    main()
