"""Same question, same documents, same flags: same plan, whatever speed was measured, unless a time limit is asked."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import PAPERS
from lecto.backends import ModelOptions, open_backend
from lecto.context.speed import FILE, _key

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
    cache_dir.mkdir(parents=True, exist_ok=True)
    (cache_dir / FILE).write_text(json.dumps({_key(backend): {"prefill_tps": 20.0, "decode_tps": 2.0}}))
    assert spans(lecto) == unmeasured
    limited = spans(lecto, "--max-wait", "30")
    assert sum(len(s["text"]) for s in limited) < sum(len(s["text"]) for s in unmeasured)
