"""What the GPU benchmarks share: the 7B model's shape, the peak they are measured against, CUDA-event timing.

Every GPU bench times the same way, so their numbers compare: `ms` runs `fn` `warm_up` times,
then `calls` times between two CUDA events on the current stream, and waits for the second.
The events are recorded in stream order, so the warm-up calls still queued do not count.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

PEAK_TFLOPS = 989.0  # dense bf16, the H100/H200 data sheet's number
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
HEADS, KV_HEADS, DIM = 28, 4, 128  # its attention: query heads, key heads, head width


def ms(fn: Callable[[], object], calls: int, warm_up: int = 1) -> float:
    """Milliseconds a call, the mean of `calls` back to back after `warm_up`."""
    for _ in range(warm_up):
        fn()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(calls):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / calls


def copy_gbs() -> float:
    """A 2 GiB device-to-device copy, bytes read and written counted, as decode reads its weights."""
    src = torch.empty(2 * 1024**3, dtype=torch.uint8, device="cuda")
    dst = torch.empty_like(src)
    return 2 * src.numel() / (ms(lambda: dst.copy_(src), 10, warm_up=3) / 1000) / 1e9


def flops_per_token(n: int) -> float:
    """2 × non-embedding parameters + causal attention (QKᵀ and PV over n/2 keys on average)."""
    c = QWEN25_7B
    d, layers = c["hidden_size"], c["num_hidden_layers"]
    kv = d // c["num_attention_heads"] * c["num_key_value_heads"]
    per_layer = d * d * 2 + d * kv * 2 + 3 * d * c["intermediate_size"]
    return 2 * per_layer * layers + 2 * 2 * (n / 2) * d * layers


def rand(*shape: int) -> torch.Tensor:
    return torch.randn(*shape, device="cuda", dtype=torch.bfloat16)
