"""The backend's reading and writing speed, measured once per model and machine, cached.

Auto mode keeps the expected time to answer under `--max-wait`; for that it needs tokens
per second for pre-fill (reading the prompt) and decoding. One measurement costs a few
seconds the first time a model runs on a machine; it is stored in the cache directory.
"""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from lecto.backends.registry import Backend
from lecto.errors import StoreError

FILE = "speed.json"
# Long enough that per-call overhead vanishes, short enough to cost seconds on a CPU.
PROBE_TOKENS = 1024
# Tokens decoded to time the writing speed.
PROBE_ANSWER = 16
_FILLER = "The quick brown fox jumps over the lazy dog near the river bank. "


@dataclass(frozen=True)
class Speed:
    prefill_tps: float
    decode_tps: float


def known_speed(backend: Backend, cache_dir: Path) -> Speed | None:
    entry = _read(cache_dir).get(_key(backend))
    return Speed(**entry) if entry else None


def measure_speed(backend: Backend, cache_dir: Path) -> Speed:
    """Time one probe prompt through the backend and remember the result."""
    per = max(1, backend.count_tokens(_FILLER))
    # A small window must still fit the probe, so that the planner, not the probe, reports it.
    probe_tokens = min(PROBE_TOKENS, backend.context_window // 2)
    prompt = [{"role": "user", "content": _FILLER * max(1, probe_tokens // per) + "\nRepeat the first sentence."}]
    # The first call loads the weights; that one-off cost is not reading speed.
    for _ in backend.stream([{"role": "user", "content": "Hi"}], 1):
        pass
    start = time.perf_counter()
    first = None
    deltas = 0
    for _ in backend.stream(prompt, PROBE_ANSWER):
        first = first or time.perf_counter()
        deltas += 1
    end = time.perf_counter()
    first = first or end
    speed = Speed(probe_tokens / max(first - start, 1e-3), max(deltas - 1, 1) / max(end - first, 1e-3))
    data = _read(cache_dir)
    data[_key(backend)] = asdict(speed)
    try:
        (cache_dir / FILE).write_text(json.dumps(data, indent=1))
    except OSError as e:
        raise StoreError(f"cannot write the speed cache ({e})", source=str(cache_dir / FILE)) from e
    return speed


def _key(backend: Backend) -> str:
    return f"{backend.tokenizer_id}|{backend.backend}|{platform.node()}|{platform.machine()}"


def _read(cache_dir: Path) -> dict[str, dict[str, float]]:
    path = cache_dir / FILE
    if not path.exists():
        return {}
    try:
        data: dict[str, dict[str, float]] = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        # A damaged cache entry only costs one new measurement.
        return {}
    return data
