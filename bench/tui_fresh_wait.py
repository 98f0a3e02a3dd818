"""The reading room's first question under `--max-wait` on a fresh cache, phase by phase.

    python bench/tui_fresh_wait.py the-google-file-system.pdf 20 --probe-on-open

Drives the reading room's `Reader` (the session thread the screen uses) with the bundled model
on a new cache folder: read the source, load the model, then, with `--probe-on-open`, do what
the screen does when it opens (`Reader.ready_in_time`: the speed probe and the scorer's load),
then ask one question. Prints how long opening took, how long the question took from Enter to
its answer, when its plan was ready, and the answer's own timings. Without the flag the probe
and the load fall inside the question, as they did before the reading room did them on open.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from lecto.backends import ModelOptions
from lecto.data import Mode, Plan
from lecto.session import Settings
from lecto.tui.reader import Reader

QUESTION = "What chunk size does GFS use?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("max_wait", type=float)
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--probe-on-open", action="store_true")
    args = parser.parse_args()
    start = time.monotonic()
    fresh = Settings(Path(tempfile.mkdtemp(prefix="lecto-fresh-")), ModelOptions(spec=None))
    reader = Reader(fresh, [args.source], None, args.max_wait)
    reader.load([args.source])
    reader.model_name()
    if args.probe_on_open:
        reader.ready_in_time()
    asked = time.monotonic()
    marks: dict[str, float] = {}

    def on_plan(_: Plan) -> None:
        marks["plan"] = time.monotonic() - asked

    answer = reader.ask(args.question, Mode.AUTO, on_plan, lambda _: None, lambda: False)
    done = time.monotonic()
    reader.close()
    print(f"open {asked - start:.1f} s, ask to answer {done - asked:.1f} s, plan ready at {marks['plan']:.1f} s")
    print({k: round(v, 2) for k, v in answer.timings.items()}, answer.status.value, answer.notes)


if __name__ == "__main__":
    main()
