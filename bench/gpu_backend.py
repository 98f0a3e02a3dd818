"""lecto's torch backend on one CUDA GPU with a 7B model: pre-fill, decode, follow-up, memory.

A random-initialised Qwen2.5-7B (its real shapes, bf16) stands in for a trained one: speed does
not depend on the weights. Its folder holds the config and the bundled model's tokenizer, and
the backend opens it as `--model hf:DIR` would, except that reading the weights builds them on
the GPU from seed 0 (writing and reading 15 GB of random numbers measures nothing lecto does).
The output rows past that tokenizer's vocabulary (and its end-of-text rows) are zeroed, so
every answer is 64 tokens of text the tokenizer can write, while decode still reads the whole
152K-row output matrix. Prompt sizes are lecto's own plans (bench/gpu_plans.json, made by
bench/backends_plans.py). Each row: a first answer over fresh documents (the first words differ
each run, so nothing is reused), then a follow-up over the same documents; medians of 3 after a
warm-up (its time, the kernels' first compiles and the first graphs included, is printed).
`--side NAME=DIR` (a folder holding `lecto/` as another commit installs it) runs that commit's
backend over the same rows, each in a process of its own of the same run. Each table ends with
a hash of one greedy answer, so sides whose arithmetic is the same show the same hash.

    python3 bench/gpu_backend.py TOKENIZER_DIR bench/gpu_plans.json [--side NAME=DIR ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from typing import Any

import torch
import transformers
from gpu_common import PEAK_TFLOPS, QWEN25_7B, copy_gbs, flops_per_token

from lecto.backends import torch_decode
from lecto.backends.registry import ModelOptions
from lecto.backends.torch_backend import TorchBackend

ANSWER_TOKENS = 64  # a short cited answer
BREAK_EVEN = torch_decode.BREAK_EVEN_TOKENS
RUNS = 3
SENTENCE = "Bigtable keeps its tablets in GFS, and one master assigns each tablet to a server. "
QUESTIONS = ("Where are tablets kept?", "Who assigns a tablet to a server?")


def build(tokenizer_dir: str) -> str:
    """The model's folder as a checkpoint has it, less the weights."""
    folder = tempfile.mkdtemp(prefix="qwen7b-random-")
    words = transformers.AutoTokenizer.from_pretrained(tokenizer_dir)
    words.save_pretrained(folder)
    transformers.Qwen2Config(**QWEN25_7B, eos_token_id=words.eos_token_id).save_pretrained(folder)
    return folder


def random_weights(path: str, dtype: torch.dtype, attn_implementation: str, **_: Any) -> Any:
    """What `from_pretrained` gives for the folder: seed 0's weights, every time the same."""
    words = transformers.AutoTokenizer.from_pretrained(path)
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = transformers.AutoModelForCausalLM.from_config(
            transformers.AutoConfig.from_pretrained(path), dtype=dtype, attn_implementation=attn_implementation
        )
    with torch.no_grad():
        model.lm_head.weight[len(words) :] = 0
        model.lm_head.weight[words.all_special_ids] = 0
    model.generation_config.eos_token_id = words.eos_token_id
    return model


def messages(tokens: int, question: str, run: int, sentence_tokens: int) -> list[dict[str, str]]:
    docs = f"Run {run}. " + SENTENCE * max(1, tokens // sentence_tokens)
    return [{"role": "user", "content": f"Sources:\n\n[1] bigtable.pdf, page 3\n{docs}\n\nQuestion: {question}"}]


def answer(backend: Any, prompt: list[dict[str, str]], tokens: int = ANSWER_TOKENS) -> dict[str, float]:
    """Time to the first text and to the whole answer."""
    torch.cuda.synchronize()
    start = time.perf_counter()
    first = None
    for _ in backend.stream(prompt, tokens):
        first = first or time.perf_counter()
    torch.cuda.synchronize()
    end = time.perf_counter()
    return {"first_s": (first or end) - start, "total_s": end - start}


def prompt_ids(backend: Any, prompt: list[dict[str, str]]) -> list[int]:
    """The prompt's ids as the backend makes them (before a72a7ec it had `_prompt_ids`)."""
    if hasattr(backend, "_prompt_ids"):
        return list(backend._prompt_ids(prompt))
    return list(backend._prompt(prompt).ids)


def row(backend: Any, tokens: int, sentence_tokens: int, run: int) -> dict[str, float]:
    """One first answer and its follow-up; pre-fill is the time to the first text less tokenising."""
    torch.cuda.reset_peak_memory_stats()
    prompt = messages(tokens, QUESTIONS[0], run, sentence_tokens)
    start = time.perf_counter()
    sent = len(prompt_ids(backend, prompt))
    tokenise_s = time.perf_counter() - start
    first = answer(backend, prompt)
    follow = answer(backend, messages(tokens, QUESTIONS[1], run, sentence_tokens))
    return {
        "sent": sent,
        "tokenise_s": tokenise_s,
        "prefill_s": first["first_s"] - tokenise_s,
        "total_s": first["total_s"],
        "decode_ms": 1000 * (first["total_s"] - first["first_s"]) / (ANSWER_TOKENS - 1),
        "follow_s": follow["total_s"],
        "follow_first_s": follow["first_s"],
        "follow_decode_ms": 1000 * (follow["total_s"] - follow["first_s"]) / (ANSWER_TOKENS - 1),
        "peak_gb": torch.cuda.max_memory_allocated() / 1e9,
    }


def kv_bytes_per_token() -> int:
    c = QWEN25_7B
    return c["num_hidden_layers"] * 2 * c["num_key_value_heads"] * (c["hidden_size"] // c["num_attention_heads"]) * 2


def table(name: str, backend: Any, plans: list[dict[str, Any]], sentence_tokens: int) -> None:
    start = time.perf_counter()
    row(backend, 1024, sentence_tokens, run=-1)  # warm-up: kernels compiled and chosen, allocator grown
    print(f"\n{name} (warm-up answer and follow-up: {time.perf_counter() - start:.1f} s)\n")
    print(
        "| corpus | mode | tokens sent | tokenise s | pre-fill s | % of peak | decode ms/token | answer s "
        "| follow-up first text s | follow-up decode ms/token | follow-up s | follow-up / answer | peak GB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for plan in plans:
        runs = [row(backend, plan["tokens"], sentence_tokens, run) for run in range(RUNS)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        n = int(med["sent"])
        share = 100 * n * flops_per_token(n) / med["prefill_s"] / 1e12 / PEAK_TFLOPS
        print(
            f"| {plan['corpus'] // 1024}K | {plan['mode']} | {n} | {med['tokenise_s']:.3f} | {med['prefill_s']:.3f} | "
            f"{share:.0f}% | {med['decode_ms']:.2f} | {med['total_s']:.3f} | {med['follow_first_s']:.3f} | "
            f"{med['follow_decode_ms']:.2f} | {med['follow_s']:.3f} | "
            f"{med['follow_s'] / med['total_s']:.2f} | {max(r['peak_gb'] for r in runs):.1f} |",
            flush=True,
        )
    text = "".join(backend.stream(messages(2000, QUESTIONS[0], 0, sentence_tokens), ANSWER_TOKENS))
    print(f"greedy answer over 2K tokens: sha1 {hashlib.sha1(text.encode()).hexdigest()[:12]} ({len(text)} chars)")


def break_even(backend: Any, sentence_tokens: int) -> None:
    """Decode time per token eager and replayed, the one-off cost of capturing a step, and the same text."""
    prompt = messages(2000, QUESTIONS[0], 0, sentence_tokens)
    answer(backend, prompt)

    def decode_s(threshold: int, fresh: bool) -> float:
        torch_decode.BREAK_EVEN_TOKENS = threshold
        runs = []
        for _ in range(RUNS):
            if fresh:
                backend._steppers.clear()
            timed = answer(backend, prompt)
            runs.append(timed["total_s"] - timed["first_s"])
        return statistics.median(runs)

    eager = decode_s(10**9, fresh=True) / (ANSWER_TOKENS - 1)
    first_capture = decode_s(2, fresh=True)
    replayed = decode_s(2, fresh=False)
    replay = replayed / (ANSWER_TOKENS - 1)
    capture = first_capture - replayed
    print(
        f"decode: eager {1000 * eager:.2f} ms/token, replayed {1000 * replay:.2f} ms/token, "
        f"capture {1000 * capture:.0f} ms once: pays back after {capture / (eager - replay):.1f} tokens"
    )
    replayed_text = "".join(backend.stream(prompt, ANSWER_TOKENS))
    backend._steppers.clear()
    torch_decode.BREAK_EVEN_TOKENS = 10**9
    eager_text = "".join(backend.stream(prompt, ANSWER_TOKENS))
    torch_decode.BREAK_EVEN_TOKENS = BREAK_EVEN
    print(f"greedy answer eager == replayed: {eager_text == replayed_text} ({len(eager_text)} chars)")


KERNEL_KINDS = (  # by the name's words: cuBLAS's and CUTLASS's products, then the attention kernels
    ("matrix products", ("gemm", "gemv", "nvjet", "xmma", "cutlass", "splitk")),
    ("attention", ("flash", "fmha", "cudnn", "attention", "sdpa")),
)


def kernel_kind(name: str) -> str:
    lowered = name.lower()
    return next((kind for kind, words in KERNEL_KINDS if any(w in lowered for w in words)), "other")


def kernels(run: Any) -> tuple[dict[str, float], dict[str, float], int]:
    """GPU milliseconds by kind and by kernel name, and how many kernels ran, over one call of `run`."""
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) as prof:
        run()
        torch.cuda.synchronize()
    by_kind: dict[str, float] = defaultdict(float)
    by_name: dict[str, float] = {}
    count = 0
    for event in prof.key_averages():
        if event.self_device_time_total > 0:  # kernels, copies and fills, not the host's calls that launch them
            by_kind[kernel_kind(event.key)] += event.self_device_time_total / 1000
            by_name[event.key] = event.self_device_time_total / 1000
            count += event.count
    return by_kind, by_name, count


def breakdown(backend: Any, sentence_tokens: int, tokens: int) -> None:
    """Where the GPU's time goes: an 8K pre-fill, and eager decode steps (each kernel then runs alone)."""
    prompt = messages(tokens, QUESTIONS[0], 7, sentence_tokens)
    by_kind, by_name, count = kernels(lambda: answer(backend, prompt, tokens=1))
    total = sum(by_kind.values())
    kinds = ", ".join(f"{k} {v:.1f} ms ({100 * v / total:.0f}%)" for k, v in sorted(by_kind.items()))
    print(f"pre-fill of {tokens} tokens, GPU time by kernel: {kinds}; {count} kernels")
    others = sorted(((v, k) for k, v in by_name.items() if kernel_kind(k) == "other"), reverse=True)[:8]
    for ms, name in others:
        print(f"  {ms:.2f} ms  {name[:110]}")
    steps = 16
    torch_decode.BREAK_EVEN_TOKENS = 10**9
    backend._steppers.clear()
    follow = messages(tokens, QUESTIONS[1], 7, sentence_tokens)
    by_kind, _, count = kernels(lambda: answer(backend, follow, tokens=steps + 1))
    torch_decode.BREAK_EVEN_TOKENS = BREAK_EVEN
    per_step = {k: v / steps for k, v in by_kind.items()}
    kinds = ", ".join(f"{k} {v:.2f} ms" for k, v in sorted(per_step.items()))
    print(f"eager decode step at {tokens} tokens, GPU time (the follow-up's pre-fill included): {kinds}")
    print(f"  {count / steps:.0f} kernels a step")


def limits(backend: Any, plans: list[dict[str, Any]]) -> None:
    """The bytes a decode step must read at each plan size, and the time that takes at the copy's rate."""
    model = backend._loaded()
    read = sum(p.numel() * p.element_size() for p in model.parameters())
    read -= model.get_input_embeddings().weight.numel() * 2  # a step reads one row of it
    rate = copy_gbs()
    weights_ms = 1000 * read / rate / 1e9
    print(f"copy bandwidth {rate:.0f} GB/s; weights a step reads {read / 1e9:.2f} GB: {weights_ms:.2f} ms")
    for plan in plans:
        kv = (plan["tokens"] + ANSWER_TOKENS) * kv_bytes_per_token()
        print(
            f"  {plan['corpus'] // 1024}K {plan['mode']}: + keys and values {kv / 1e9:.2f} GB: "
            f"read limit {1000 * (read + kv) / rate / 1e9:.2f} ms/token"
        )


def side(name: str, folder: str, tokenizer: str, plans: str) -> None:
    """Another commit's backend over the same rows, in its own process so its modules are its own."""
    env = {**os.environ, "PYTHONPATH": folder}
    subprocess.run([sys.executable, __file__, tokenizer, plans, "--table-only", name], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tokenizer")
    parser.add_argument("plans")
    parser.add_argument("--side", action="append", default=[], help="NAME=DIR, DIR holding lecto/ as a commit has it")
    parser.add_argument("--table-only", help=argparse.SUPPRESS)  # the title of the one table a second process runs
    args = parser.parse_args()
    import lecto.backends.torch_backend as module

    print(f"{module.__file__}; {torch.cuda.get_device_name()}; torch {torch.__version__}; ", end="")
    print(f"transformers {transformers.__version__}; cuDNN {torch.backends.cudnn.version()}", flush=True)
    plans = json.load(open(args.plans))
    folder = build(args.tokenizer)
    transformers.AutoModelForCausalLM.from_pretrained = random_weights
    start = time.perf_counter()
    backend = TorchBackend(ModelOptions(spec=f"hf:{folder}"))
    backend._loaded()
    print(f"loaded in {time.perf_counter() - start:.0f} s", flush=True)
    sentence_tokens = backend.count_tokens(SENTENCE)
    if not args.table_only:
        limits(backend, plans)
    table(args.table_only or "after (this checkout)", backend, plans, sentence_tokens)
    if args.table_only:
        return
    torch.cuda.empty_cache()  # the other processes get the memory this one is not using
    for named in args.side:
        name, folder = named.split("=", 1)
        side(name, folder, args.tokenizer, args.plans)
    break_even(backend, sentence_tokens)
    breakdown(backend, sentence_tokens, tokens=8192)


if __name__ == "__main__":
    main()
