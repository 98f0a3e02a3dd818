"""llama.cpp's thread counts on few, shared cores: the bundled model's load, pre-fill and decode speed.

    flock /tmp/lecto-bench.lock python bench/llama_threads.py --runs 5

Each run is a fresh process that loads the bundled GGUF with one (n_threads, n_threads_batch)
pair, reads PREFILL tokens in one call and writes DECODE tokens one call each. The pairs
alternate run by run, first with the machine as it is, then with one busy-loop process of this
bench's own beside them (what another program on a two-core machine does), so every pair sees
the same load. Prints each run and, per condition and pair, the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

PREFILL = 256
DECODE = 32
_FILLER = "The quick brown fox jumps over the lazy dog near the river bank. "
_CHILD = """
import json, sys, time
from lecto.backends.llama import bundled_model, llama_class
threads, batch, prefill, decode = (int(a) for a in sys.argv[1:5])
start = time.perf_counter()
llm = llama_class()(model_path=str(bundled_model()), n_ctx=2048, n_threads=threads, n_threads_batch=batch)
loaded = time.perf_counter()
ids = llm.tokenize((sys.argv[5] * 40).encode(), add_bos=True)[: prefill + decode]
llm.eval(ids[:prefill])
filled = time.perf_counter()
for token in ids[prefill:]:
    llm.eval([token])
done = time.perf_counter()
speeds = {"prefill_tps": prefill / (filled - loaded), "decode_tps": decode / (done - filled)}
print(json.dumps({"load_s": loaded - start, **speeds}))
"""
# (n_threads for decode, n_threads_batch for pre-fill): lecto's before (both all cores), one each, and the mix.
PAIRS = [(2, 2), (1, 1), (1, 2), (2, 1)]


def one(threads: int, batch: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(threads), str(batch), str(PREFILL), str(DECODE), _FILLER],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    result["load_avg"] = os.getloadavg()[0]
    return result


@contextmanager
def busy(on: bool) -> Iterator[None]:
    """One process spinning on a core for as long as the block runs, when `on`."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if on else None
    try:
        yield
    finally:
        if spinner:
            spinner.kill()
            spinner.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for loaded in (False, True):
        with busy(loaded):
            for n in range(args.runs):
                for threads, batch in PAIRS:
                    result = one(threads, batch)
                    print(n + 1, "busy" if loaded else "as is", threads, batch, json.dumps(result), flush=True)
                    rows.append(("busy loop" if loaded else "as is", threads, batch, result))
    print("\n| machine | n_threads | n_threads_batch | load s | pre-fill tok/s | decode tok/s | load average |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for condition in ("as is", "busy loop"):
        for threads, batch in PAIRS:
            got = [r for c, t, b, r in rows if (c, t, b) == (condition, threads, batch)]
            med = {k: statistics.median(r[k] for r in got) for k in got[0]}
            lows = {k: min(r[k] for r in got) for k in ("prefill_tps", "decode_tps")}
            prefill = f"{med['prefill_tps']:.0f} (min {lows['prefill_tps']:.0f})"
            decode = f"{med['decode_tps']:.1f} (min {lows['decode_tps']:.1f})"
            cells = [condition, threads, batch, f"{med['load_s']:.2f}", prefill, decode, f"{med['load_avg']:.1f}"]
            print("| " + " | ".join(map(str, cells)) + " |")


if __name__ == "__main__":
    main()
