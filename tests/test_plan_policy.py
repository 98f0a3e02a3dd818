"""Same question, same documents, same flags: same plan, whatever speed was measured, unless a time limit is asked."""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import PAPERS
from lecto.backends import ModelOptions, open_backend
from lecto.context.speed import speed_key
from lecto.store import Store
from lecto.store.speed import Speed

GFS = str(PAPERS / "the-google-file-system.pdf")
QUESTION = "What chunk size does GFS use?"


def spans(lecto, *flags: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    r = lecto("ask", "--dry-run", "--json", *flags, GFS, QUESTION)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["context"]["spans"]


def test_a_measured_speed_changes_no_plan_unless_a_time_limit_is_asked(lecto, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    unmeasured = spans(lecto)
    # A speed measured on a machine under heavy load: 20 tokens a second.
    backend = open_backend(ModelOptions(spec=None))
    store = Store(cache_dir)
    store.put_speed(speed_key(backend), Speed(20.0, 2.0, time.time()))
    store.close()
    assert spans(lecto) == unmeasured
    limited = spans(lecto, "--max-wait", "30")
    assert sum(len(s["text"]) for s in limited) < sum(len(s["text"]) for s in unmeasured)
