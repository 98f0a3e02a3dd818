"""How much of a model's window full mode trusts, and how much the user's patience allows.

Models use far less of their trained window well than they claim (usable length is often
half of it or less), so the default budget is an effective share of the window, set per
model where it was measured and halved otherwise.
"""

from __future__ import annotations

# Effective share of the trained window, by a substring of the model's file name.
# SmolLM2-135M (trained for 8192 tokens): the literature's half. bench/effective_window.py
# found it answering as well at 2K as at 1K, but too few runs finished on a loaded machine to
# place the drop (docs/BENCHMARKS.md); on a CPU --max-wait binds long before this does.
EFFECTIVE_SHARE: dict[str, float] = {"smollm2-135m": 0.5}
# "Usable length is often half or less of the trained length" holds across the models studied.
DEFAULT_SHARE = 0.5
# Tokens a typical short cited answer takes; the decode time of the full answer reserve would
# overstate the wait, since answers stop well before it.
EXPECTED_ANSWER_TOKENS = 64
# Below about four passages even the right one is rarely retrieved (the GFS chunk-size question
# misses at 512 and hits at 1024 tokens), so a slow or busy machine waits longer rather than
# reading too little to answer.
MIN_TIME_TOKENS = 1024


def effective_window(model_name: str, window: int) -> int:
    name = model_name.lower()
    share = next((s for key, s in EFFECTIVE_SHARE.items() if key in name), DEFAULT_SHARE)
    return int(window * share)


def tokens_in_time(max_wait: float, prefill_tps: float, decode_tps: float) -> int:
    """Prompt tokens the backend can read and still answer within `max_wait` seconds."""
    reading = max_wait - EXPECTED_ANSWER_TOKENS / decode_tps
    return max(MIN_TIME_TOKENS, int(reading * prefill_tps))
