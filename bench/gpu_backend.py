"""lecto's torch backend on one CUDA GPU with a 7B model: pre-fill, decode, follow-up, memory.

A random-initialised Qwen2.5-7B (its real shapes, bf16) stands in for a trained one: speed does
not depend on the weights. It is saved to disk and opened as `--model hf:DIR` would open it,
with the bundled model's tokenizer; the output rows past that tokenizer's vocabulary (and its
end-of-text rows) are zeroed, so every answer is 64 tokens of text the tokenizer can write,
while decode still reads the whole 152K-row output matrix. Prompt sizes are lecto's own plans
(bench/gpu_plans.json, made by bench/backends_plans.py). Each row: a first answer over fresh
documents (the first words differ each run, so nothing is reused), then a follow-up over the
same documents; medians of 3 after a warm-up. `--before FILE` runs another torch_backend.py
(an earlier commit's, saved by `git show`) over the same rows in the same process.

    python3 bench/gpu_backend.py TOKENIZER_DIR bench/gpu_plans.json [--before OLD.py]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
import transformers

from lecto.backends import torch_decode
from lecto.backends.registry import ModelOptions
from lecto.backends.torch_backend import TorchBackend

ANSWER_TOKENS = 64  # a short cited answer
BREAK_EVEN = torch_decode.BREAK_EVEN_TOKENS
RUNS = 3
PEAK_TFLOPS = 989.0  # dense bf16, the H100/H200 data sheet's number
WEIGHT_READ_TBS = 4.8  # H200 memory bandwidth, the data sheet's number
SENTENCE = "Bigtable keeps its tablets in GFS, and one master assigns each tablet to a server. "
QUESTIONS = ("Where are tablets kept?", "Who assigns a tablet to a server?")
QWEN25_7B = dict(
    hidden_size=3584,
    intermediate_size=18944,
    num_hidden_layers=28,
    num_attention_heads=28,
    num_key_value_heads=4,
    vocab_size=152064,
    max_position_embeddings=131072,
    rope_theta=1e6,
    tie_word_embeddings=False,
)


def build(tokenizer_dir: str) -> str:
    folder = tempfile.mkdtemp(prefix="qwen7b-random-")
    shutil.copytree(tokenizer_dir, folder, dirs_exist_ok=True)
    words = transformers.AutoTokenizer.from_pretrained(folder)
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = transformers.AutoModelForCausalLM.from_config(
            transformers.Qwen2Config(**QWEN25_7B), dtype=torch.bfloat16
        )
    with torch.no_grad():
        model.lm_head.weight[len(words) :] = 0
        model.lm_head.weight[words.all_special_ids] = 0
    model.generation_config.eos_token_id = words.eos_token_id
    model.save_pretrained(folder)
    del model
    torch.cuda.empty_cache()
    return folder


def messages(tokens: int, question: str, run: int, sentence_tokens: int) -> list[dict[str, str]]:
    docs = f"Run {run}. " + SENTENCE * max(1, tokens // sentence_tokens)
    return [{"role": "user", "content": f"Sources:\n\n[1] bigtable.pdf, page 3\n{docs}\n\nQuestion: {question}"}]


def answer(backend: Any, prompt: list[dict[str, str]]) -> dict[str, float]:
    """Time to the first text, the whole answer, and the tokens written."""
    torch.cuda.synchronize()
    start = time.perf_counter()
    first = None
    for _ in backend.stream(prompt, ANSWER_TOKENS):
        first = first or time.perf_counter()
    torch.cuda.synchronize()
    end = time.perf_counter()
    return {"first_s": (first or end) - start, "total_s": end - start}


def row(backend: Any, tokens: int, sentence_tokens: int, run: int) -> dict[str, float]:
    """One first answer and its follow-up; pre-fill is the time to the first text less tokenising."""
    torch.cuda.reset_peak_memory_stats()
    prompt = messages(tokens, QUESTIONS[0], run, sentence_tokens)
    start = time.perf_counter()
    sent = len(backend._prompt_ids(prompt))
    tokenise_s = time.perf_counter() - start
    first = answer(backend, prompt)
    follow = answer(backend, messages(tokens, QUESTIONS[1], run, sentence_tokens))
    decode_ms = 1000 * (first["total_s"] - first["first_s"]) / (ANSWER_TOKENS - 1)
    return {
        "sent": sent,
        "tokenise_s": tokenise_s,
        "prefill_s": first["first_s"] - tokenise_s,
        "total_s": first["total_s"],
        "decode_ms": decode_ms,
        "follow_s": follow["total_s"],
        "follow_first_s": follow["first_s"],
        "reused": backend.prefix_reused,
        "peak_gb": torch.cuda.max_memory_allocated() / 1e9,
    }


def flops_per_token(n: int) -> float:
    """2 × non-embedding parameters + causal attention (QKᵀ and PV over n/2 keys on average)."""
    c = QWEN25_7B
    d, layers = c["hidden_size"], c["num_hidden_layers"]
    kv = d // c["num_attention_heads"] * c["num_key_value_heads"]
    per_layer = d * d * 2 + d * kv * 2 + 3 * d * c["intermediate_size"]
    return 2 * per_layer * layers + 2 * 2 * (n / 2) * d * layers


def table(name: str, backend: Any, plans: list[dict[str, Any]], sentence_tokens: int) -> None:
    row(backend, 1024, sentence_tokens, run=-1)  # warm-up: kernels chosen, allocator grown
    print(f"\n{name}\n")
    print(
        "| corpus | mode | tokens sent | tokenise s | pre-fill s | % of peak | decode ms/token | answer s "
        "| follow-up first text s | follow-up s | follow-up / answer | peak GB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for plan in plans:
        runs = [row(backend, plan["tokens"], sentence_tokens, run) for run in range(RUNS)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        n = int(med["sent"])
        share = 100 * n * flops_per_token(n) / med["prefill_s"] / 1e12 / PEAK_TFLOPS
        print(
            f"| {plan['corpus'] // 1024}K | {plan['mode']} | {n} | {med['tokenise_s']:.3f} | {med['prefill_s']:.3f} | "
            f"{share:.0f}% | {med['decode_ms']:.2f} | {med['total_s']:.3f} | {med['follow_first_s']:.3f} | "
            f"{med['follow_s']:.3f} | "
            f"{med['follow_s'] / med['total_s']:.2f} | {max(r['peak_gb'] for r in runs):.1f} |",
            flush=True,
        )


def break_even(folder: str, sentence_tokens: int) -> None:
    """Decode time per token eager and replayed, and the one-off cost of capturing a step."""
    backend = TorchBackend(ModelOptions(spec=f"hf:{folder}"))
    prompt = messages(2000, QUESTIONS[0], 0, sentence_tokens)
    answer(backend, prompt)  # load and warm up

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


def older(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("torch_backend_before", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TorchBackend


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tokenizer")
    parser.add_argument("plans")
    parser.add_argument("--before", help="another torch_backend.py to run over the same rows")
    args = parser.parse_args()
    print(f"device: {torch.cuda.get_device_name()}; torch {torch.__version__}; transformers {transformers.__version__}")
    start = time.perf_counter()
    folder = build(args.tokenizer)
    print(f"random 7B built and saved in {time.perf_counter() - start:.0f} s")
    run(folder, json.load(open(args.plans)), args.before)


def run(folder: str, plans: list[dict[str, Any]], before: str | None) -> None:
    sentence_tokens = TorchBackend(ModelOptions(spec=f"hf:{folder}")).count_tokens(SENTENCE)
    print(f"weight-read limit per token: {1000 * 15.23e9 / WEIGHT_READ_TBS / 1e12:.2f} ms")
    break_even(folder, sentence_tokens)
    torch.cuda.empty_cache()
    backends = [("after (this commit)", TorchBackend)]
    if before:
        backends.append((f"before ({Path(before).name})", older(before)))
    for name, cls in backends:
        start = time.perf_counter()
        backend = cls(ModelOptions(spec=f"hf:{folder}"))
        backend._loaded()
        print(f"{name}: loaded in {time.perf_counter() - start:.0f} s")
        table(name, backend, plans, sentence_tokens)
        del backend
        torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
