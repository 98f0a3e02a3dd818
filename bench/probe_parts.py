"""Where a fresh cache's speed probe spends its time, with llama.cpp on N threads: the steps of `measure_speed`.

    flock /tmp/lecto-bench.lock python bench/probe_parts.py --threads 2 1 --runs 3

Each run is a fresh process with lecto's llama.cpp backend on the bundled model, as a first
question under `--max-wait` has it: the call that loads the weights and writes one token, then
the probe's reading of PROBE_TOKENS and its PROBE_ANSWER tokens written. The thread counts
alternate run by run, so each sees the same load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

_CHILD = """
import json, sys, time
from lecto.backends import ModelOptions
from lecto.backends.llama import LlamaBackend
from lecto.context import speed

backend = LlamaBackend(ModelOptions(spec=None, threads=int(sys.argv[1])))
per = backend.count_tokens(speed._FILLER)
text = f"Probe {time.time_ns()}. " + speed._FILLER * (speed.PROBE_TOKENS // per) + "\\nRepeat the first sentence."
start = time.perf_counter()
for _ in backend.stream([{"role": "user", "content": "Hi"}], 1):
    pass
loaded = time.perf_counter()
first = None
for _ in backend.stream([{"role": "user", "content": text}], speed.PROBE_ANSWER):
    first = first or time.perf_counter()
end = time.perf_counter()
parts = {"load and one token s": loaded - start, "probe reading s": first - loaded, "probe writing s": end - first}
print(json.dumps({**{k: round(v, 1) for k, v in parts.items()}, "total s": round(end - start, 1)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for n in range(args.runs):
        for threads in args.threads:
            child = [sys.executable, "-c", _CHILD, str(threads)]
            out = subprocess.run(child, capture_output=True, text=True, check=True)
            load = round(os.getloadavg()[0], 1)
            print(n + 1, f"threads={threads}", out.stdout.strip(), f"load {load}", flush=True)


if __name__ == "__main__":
    main()
