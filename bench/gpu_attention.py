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
from gpu_common import DIM, HEADS, KV_HEADS, ms, rand
from torch.nn.attention import SDPBackend, sdpa_kernel

from lecto.backends import torch_kv

CALLS = 50


def prefill(n: int) -> None:
    q, k, v = rand(1, HEADS, n, DIM), rand(1, KV_HEADS, n, DIM), rand(1, KV_HEADS, n, DIM)
    flops = 2 * n * n * DIM * HEADS  # causal: QKᵀ and PV over half the square
    for name, kernel in (("flash", SDPBackend.FLASH_ATTENTION), ("cudnn", SDPBackend.CUDNN_ATTENTION)):
        with sdpa_kernel([kernel]):
            t = ms(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True), CALLS, warm_up=3)
        print(f"pre-fill {n}: {name} {t:.2f} ms, {flops / t / 1e9:.0f} TFLOP/s")


def decode(view: int) -> None:
    keys, values = rand(KV_HEADS, view, DIM), rand(KV_HEADS, view, DIM)
    step = torch_kv.DecodeStep.over(view, torch.device("cuda"), torch.bfloat16)
    step.position.fill_(view - 100)
    step.mask()
    mask = (torch.arange(view, device="cuda") <= view - 100)[None, None, None]
    q = rand(1, HEADS, 1, DIM)
    packed = q.view(1, KV_HEADS, HEADS // KV_HEADS, DIM)
    sdpa = ms(
        lambda: F.scaled_dot_product_attention(packed, keys[None], values[None], attn_mask=mask), CALLS, warm_up=3
    )
    products = ms(lambda: torch_kv._split_products(step, q, keys, values, None), CALLS, warm_up=3)
    flash = ms(lambda: torch_kv._flash_decode(step, q, keys, values, None), CALLS, warm_up=3)
    read = 2 * (view - 99) * KV_HEADS * DIM * 2
    apart = torch_kv._flash_decode(step, q, keys, values, None) - torch_kv._split_products(step, q, keys, values, None)
    apart = apart.abs().max()
    print(
        f"decode, view {view}: SDPA with a mask {1000 * sdpa:.0f} us, products {1000 * products:.0f} us, "
        f"FlashAttention {1000 * flash:.0f} us ({read / flash / 1e6:.0f} GB/s), apart by {apart:.4f}"
    )


def main() -> None:
    print(torch.cuda.get_device_name(), torch.__version__)
    with torch.inference_mode():
        for n in (8192, 32768, 131072):
            prefill(n)
        for view in (3072, 9216, 32768, 131072):
            decode(view)


if __name__ == "__main__":
    main()
