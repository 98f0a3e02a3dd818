"""Pre-fill, answer and follow-up time of a 7B model on one GPU, over lecto's plan sizes.

A random-initialised Qwen2.5-7B (its real shapes, bf16, SDPA) stands in for a trained one:
speed does not depend on the weights. The sequence lengths are lecto's own plans over 8K,
32K and 128K-token corpora (bench/gpu_plans.json, made by bench/backends_plans.py). A
follow-up keeps the documents' key/value cache and pre-fills only the question, as the
torch backend does.

    python3 bench/gpu_prefill.py bench/gpu_plans.json
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import torch
import transformers
from gpu_common import PEAK_TFLOPS, QWEN25_7B, flops_per_token

QUESTION_TOKENS = 40  # a one-sentence question with the template's tail
ANSWER_TOKENS = 64  # a short cited answer
RUNS = 3


def model() -> torch.nn.Module:
    config = transformers.Qwen2Config(**QWEN25_7B)
    config._attn_implementation = "sdpa"
    torch.manual_seed(0)
    with torch.device("cuda"):
        m = transformers.AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    return m.eval()


def timed(fn) -> float:
    torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    torch.cuda.synchronize()
    return time.perf_counter() - start


def decode(m, cache, logits) -> None:
    for _ in range(ANSWER_TOKENS):
        out = m(logits.argmax(-1)[:, -1:], past_key_values=cache, use_cache=True)
        cache, logits = out.past_key_values, out.logits


def one_run(m, n_docs: int) -> dict[str, float]:
    docs = torch.randint(0, 150000, (1, n_docs), device="cuda")
    question = torch.randint(0, 150000, (1, QUESTION_TOKENS), device="cuda")
    state = {}

    def prefill():
        state["out"] = m(torch.cat([docs, question], 1), use_cache=True, logits_to_keep=1)

    t_prefill = timed(prefill)
    t_decode = timed(lambda: decode(m, state["out"].past_key_values, state["out"].logits))
    cache = state["out"].past_key_values
    cache.crop(n_docs - cache.get_seq_length())  # keep the documents, drop the question and the answer

    def follow_up():
        out = m(question, past_key_values=cache, use_cache=True, logits_to_keep=1)
        decode(m, out.past_key_values, out.logits)

    t_follow = timed(follow_up)
    return {"prefill_s": t_prefill, "total_s": t_prefill + t_decode, "follow_up_s": t_follow}


def main() -> None:
    plans = json.load(open(sys.argv[1]))
    name = torch.cuda.get_device_name()
    peak = next((v for k, v in PEAK_TFLOPS.items() if k in name), None)
    m = model()
    params = sum(p.numel() for p in m.parameters())
    print(f"device: {name}; torch {torch.__version__}; transformers {transformers.__version__}")
    print(f"parameters: {params / 1e9:.2f}B")
    one_run(m, 1024)  # warm-up: kernels chosen, allocator grown
    print("| corpus | mode | tokens sent | pre-fill s | tokens/s | TFLOP/s | % of peak | total s | follow-up s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in plans:
        n = row["tokens"] + QUESTION_TOKENS
        runs = [one_run(m, row["tokens"]) for _ in range(RUNS)]
        torch.cuda.empty_cache()
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        tps = n / med["prefill_s"]
        tflops = tps * flops_per_token(n) / 1e12
        share = f"{100 * tflops / peak:.0f}%" if peak else "?"
        print(
            f"| {row['corpus'] // 1024}K | {row['mode']} | {n} | {med['prefill_s']:.3f} | {tps:,.0f} | "
            f"{tflops:.0f} | {share} | {med['total_s']:.3f} | {med['follow_up_s']:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    with torch.inference_mode():
        main()
