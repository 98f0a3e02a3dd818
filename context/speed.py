"""The backend's reading and writing speed on this machine, kept in the store and re-measured when it may be wrong.

`--max-wait` turns seconds into tokens with these speeds, so a wrong one either cuts every
context short (a probe taken under load) or overruns the wait. A speed is probed again once
it is a day old, and an answer whose own reading (a streamed answer's pre-fill, a grounded
answer's scoring of its candidates) ran at half or twice the stored speed replaces it with
what it saw. Without `--max-wait` nothing here is consulted.
"""

from __future__ import annotations

import platform
import time

from lecto.backends.registry import Backend
from lecto.store import Store
from lecto.store.speed import How, Speed

# Enough that per-call overhead is a small share, few enough that a first question under
# --max-wait, which pays for the probe inside its wait, keeps most of it: on a loaded two-core
# CPU the bundled model read 1,024 tokens in 25-60 s (docs/BENCHMARKS.md, issue 19); a probe
# of a quarter of that read somewhat slower there, which plans a smaller context rather than
# an overrun. An answer's own pre-fill corrects a wrong one (`observe`).
PROBE_TOKENS = 256
# Tokens decoded to time the writing speed (the first one is pre-fill's, not counted).
PROBE_ANSWER = 8
# A machine's load and lecto's kernels change over days; one probe a day costs a few seconds.
STALE_AFTER_S = 24 * 3600
# An observed pre-fill this far off the stored speed, either way, shows the stored one is wrong.
WRONG_BY = 2.0
# A pre-fill shorter than this is mostly per-call overhead or a reused prefix (the prefix
# cache skips documents read before), not reading speed.
MIN_OBSERVED_S = 1.0
# Scoring reads each candidate afresh (no prefix is reused) in one short call: a grounded answer's
# few candidates read this long already show the speed. Its reading runs near a pre-fill's
# (the bundled model: 22-31 against 25-36 tokens a second, side by side at load 7).
MIN_SCORED_S = 0.25
_FILLER = "The quick brown fox jumps over the lazy dog near the river bank. "


def speed_key(backend: Backend) -> str:
    """One speed per model, backend and machine."""
    return f"{backend.tokenizer_id}|{backend.backend}|{platform.node()}|{platform.machine()}"


def known_speed(backend: Backend, store: Store) -> Speed | None:
    """The stored speed, unless it is older than `STALE_AFTER_S`."""
    speed = store.known_speed(speed_key(backend))
    if speed is None or time.time() - speed.measured_at > STALE_AFTER_S:
        return None
    return speed


def measure_speed(backend: Backend, store: Store) -> Speed:
    """Time one probe prompt through the backend and remember the result.

    Given up at a deadline (`OutOfTime`, from a `Stoppable` backend), it stores nothing.
    """
    per = max(1, backend.count_tokens(_FILLER))
    # A small window must still fit the probe, so that the planner, not the probe, reports it.
    probe_tokens = min(PROBE_TOKENS, backend.context_window // 2)
    # A new opening each time: a stored prefix state of an earlier probe would skip the reading timed here.
    opening = f"Probe {time.time_ns()}. "
    text = opening + _FILLER * max(1, probe_tokens // per) + "\nRepeat the first sentence."
    # The first call loads the weights; that one-off cost is not reading speed.
    for _ in backend.stream([{"role": "user", "content": "Hi"}], 1):
        pass
    start = time.perf_counter()
    first = None
    deltas = 0
    for _ in backend.stream([{"role": "user", "content": text}], PROBE_ANSWER):
        first = first or time.perf_counter()
        deltas += 1
    end = time.perf_counter()
    first = first or end
    prefill = probe_tokens / max(first - start, 1e-3)
    speed = Speed(prefill, max(deltas - 1, 1) / max(end - first, 1e-3), time.time(), How.PROBE)
    store.put_speed(speed_key(backend), speed)
    return speed


def observe(
    backend: Backend, store: Store, tokens: int, seconds: float, shortest: float = MIN_OBSERVED_S
) -> Speed | None:
    """Replace the stored reading speed with an answer's own when that shows it wrong; the new speed, if any.

    An answer reads its prompt (a streamed one) or its candidates (a grounded one) in `seconds`;
    a reading shorter than `shortest` says too little.
    """
    stored = store.known_speed(speed_key(backend))
    if stored is None or seconds < shortest or tokens <= 0:
        return None
    seen = tokens / seconds
    if 1 / WRONG_BY < seen / stored.prefill_tps < WRONG_BY:
        return None
    speed = Speed(seen, stored.decode_tps, time.time(), How.OBSERVED)
    store.put_speed(speed_key(backend), speed)
    return speed
