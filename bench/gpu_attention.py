"""The attention kernels the torch backend chooses between, timed alone on one CUDA GPU.

Pre-fill: SDPA's FlashAttention and cuDNN kernels over a causal prompt of Qwen2.5-7B's heads
(28 query heads, 4 key heads, 128 wide). Decode: one token against a masked view of the key
buffers, through SDPA with a mask (grouped heads packed as rows) and through lecto's own
key-split products (backends/torch_kv.py). Each time is the mean of 50 calls after 3.

    python3 bench/gpu_attention.py
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

from lecto.backends import torch_kv

HEADS, KV_HEADS, DIM = 28, 4, 128
CALLS = 50


def ms(fn) -> float:
    for _ in range(3):
        fn()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(CALLS):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / CALLS


def rand(*shape: int) -> torch.Tensor:
    return torch.randn(*shape, device="cuda", dtype=torch.bfloat16)


def prefill(n: int) -> None:
    q, k, v = rand(1, HEADS, n, DIM), rand(1, KV_HEADS, n, DIM), rand(1, KV_HEADS, n, DIM)
    flops = 2 * n * n * DIM * HEADS  # causal: QKᵀ and PV over half the square
    for name, kernel in (("flash", SDPBackend.FLASH_ATTENTION), ("cudnn", SDPBackend.CUDNN_ATTENTION)):
        with sdpa_kernel([kernel]):
            t = ms(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True))
        print(f"pre-fill {n}: {name} {t:.2f} ms, {flops / t / 1e9:.0f} TFLOP/s")


def decode(view: int) -> None:
    k, v = rand(1, KV_HEADS, view, DIM), rand(1, KV_HEADS, view, DIM)
    position = view - 100
    kv = torch_kv.KVBuffers(keys=[k], values=[v], position=torch.tensor([position], device="cuda"), view=view)
    slots = torch.arange(view, device="cuda")
    kv.bias = torch.zeros(view, device="cuda", dtype=torch.bfloat16).masked_fill_(slots > position, float("-inf"))
    mask = (slots <= position)[None, None, None]
    q, k1, v1 = rand(1, HEADS, 1, DIM), rand(1, KV_HEADS, 1, DIM), rand(1, KV_HEADS, 1, DIM)
    packed = q.view(1, KV_HEADS, HEADS // KV_HEADS, DIM)
    sdpa = ms(lambda: F.scaled_dot_product_attention(packed, k, v, attn_mask=mask))
    ours = ms(lambda: torch_kv._decode(kv, 0, q, k1, v1, None))
    read = 2 * view * KV_HEADS * DIM * 2
    rate = read / ours / 1e6
    print(f"decode, view {view}: SDPA with a mask {1000 * sdpa:.0f} us, lecto {1000 * ours:.0f} us ({rate:.0f} GB/s)")


def main() -> None:
    print(torch.cuda.get_device_name(), torch.__version__)
    with torch.inference_mode():
        for n in (8192, 32768, 131072):
            prefill(n)
        for view in (3072, 9216, 32768, 131072):
            decode(view)


if __name__ == "__main__":
    main()
