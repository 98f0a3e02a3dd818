"""Pre-fill variants tried for issue 20 and dropped: attention and product shapes alone on one CUDA GPU.

Attention over Qwen2.5-7B's heads (28 query, 4 key heads, 128 wide) at 30,913 and 124,431
tokens, the query laid out as the backend's product gives it ([tokens, heads, dim] seen as
[heads, tokens, dim]) and the keys as slices of lecto's buffers: SDPA's own choice, cuDNN and
FlashAttention 2 forced, the query contiguous or read from a joined q/k/v product, one call a
key head, and the prompt in 2-8 pieces whose attention is cuDNN's over the earlier keys (no
mask) and over its own causal square, merged by their log-sum-exp (what chunked pre-fill
through cuDNN would run). Products of a pre-fill's shapes: whole, in pieces of rows or of
columns, gate and up apart, and through cuBLASLt. Each row is the mean of 3-10 calls after one.

    python3 bench/gpu_prefill_tried.py
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from gpu_common import DIM, HEADS, KV_HEADS, ms, rand
from torch.nn.attention import SDPBackend, sdpa_kernel

CUDNN_WITH_LSE = torch.ops.aten._scaled_dot_product_cudnn_attention


def sdpa(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, backend: SDPBackend | None = None) -> torch.Tensor:
    if backend is None:
        return F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    with sdpa_kernel([backend]):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)


def with_lse(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool) -> tuple[torch.Tensor, torch.Tensor]:
    out, lse = CUDNN_WITH_LSE(q, k, v, None, True, 0.0, causal, False)[:2]
    return out, lse.view(*lse.shape[:3], 1)


def pieces(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, count: int) -> torch.Tensor:
    n = q.shape[2]
    cuts = [round(n * i / count) for i in range(count + 1)]
    outs = [sdpa(q[:, :, : cuts[1]], k[:, :, : cuts[1]], v[:, :, : cuts[1]], SDPBackend.CUDNN_ATTENTION)]
    for a, b in zip(cuts[1:], cuts[2:], strict=False):
        earlier, earlier_lse = with_lse(q[:, :, a:b], k[:, :, :a], v[:, :, :a], causal=False)
        square, square_lse = with_lse(q[:, :, a:b], k[:, :, a:b], v[:, :, a:b], causal=True)
        top = torch.maximum(earlier_lse, square_lse)
        w1, w2 = (earlier_lse - top).exp(), (square_lse - top).exp()
        outs.append(((earlier.float() * w1 + square.float() * w2) / (w1 + w2)).to(q.dtype))
    return torch.cat(outs, dim=2)


def per_key_head(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    group = HEADS // KV_HEADS
    parts = [
        sdpa(q[:, group * h : group * (h + 1)], k[:, h : h + 1], v[:, h : h + 1], SDPBackend.CUDNN_ATTENTION)
        for h in range(KV_HEADS)
    ]
    return torch.cat(parts, dim=1)


def attention(n: int) -> None:
    capacity = -(-(n + 64) // 1024) * 1024
    q = rand(1, n, HEADS * DIM).view(1, n, HEADS, DIM).transpose(1, 2)
    joined = rand(1, n, (HEADS + 2 * KV_HEADS) * DIM)[..., : HEADS * DIM].view(1, n, HEADS, DIM).transpose(1, 2)
    k, v = rand(1, KV_HEADS, capacity, DIM)[:, :, :n], rand(1, KV_HEADS, capacity, DIM)[:, :, :n]
    flops, calls = 2 * n * n * DIM * HEADS, 3 if n > 60000 else 10
    reference = sdpa(q, k, v, SDPBackend.CUDNN_ATTENTION)
    rows: dict[str, Callable[[], torch.Tensor]] = {
        "SDPA's choice": lambda: sdpa(q, k, v),
        "cuDNN": lambda: sdpa(q, k, v, SDPBackend.CUDNN_ATTENTION),
        "FlashAttention 2": lambda: sdpa(q, k, v, SDPBackend.FLASH_ATTENTION),
        "cuDNN, query contiguous": lambda: sdpa(q.contiguous(), k, v, SDPBackend.CUDNN_ATTENTION),
        "cuDNN, one call a key head": lambda: per_key_head(q, k, v),
    }
    rows.update({f"cuDNN in {p} pieces, merged": (lambda p=p: pieces(q, k, v, p)) for p in (2, 3, 4, 8)})
    for name, fn in rows.items():
        t = ms(fn, calls)
        apart = (fn().float() - reference.float()).abs().max().item()
        print(f"attention {n}: {name}: {t:.2f} ms, {flops / t / 1e9:.0f} TFLOP/s, apart from cuDNN's by {apart:.1e}")
    t = ms(lambda: sdpa(joined, k, v, SDPBackend.CUDNN_ATTENTION), calls)
    print(f"attention {n}: cuDNN, query read from a joined q/k/v product: {t:.2f} ms, {flops / t / 1e9:.0f} TFLOP/s")
    half = n // 2
    t = ms(lambda: with_lse(q[:, :, half:], k[:, :, :half], v[:, :, :half], causal=False), calls)
    dense = 4 * half * half * DIM * HEADS
    print(f"attention {n}: cuDNN, later half against earlier half, no mask: {dense / t / 1e9:.0f} TFLOP/s")


def in_rows(x: torch.Tensor, weight: torch.Tensor, out: torch.Tensor, rows: int) -> None:
    for a in range(0, x.shape[0], rows):
        torch.matmul(x[a : a + rows], weight.T, out=out[a : a + rows])


def products(m: int) -> None:
    x, hidden = rand(m, 3584), rand(m, 18944)
    gate_up, down, query = rand(37888, 3584), rand(3584, 18944), rand(3584, 3584)
    out, out_down = rand(m, 37888), rand(m, 3584)
    calls = 10 if m < 60000 else 3
    gu, d, qf = 2 * m * 37888 * 3584, 2 * m * 3584 * 18944, 2 * m * 3584 * 3584
    rows: list[tuple[str, float, Callable[[], object]]] = [
        ("query, 10 calls", qf, lambda: F.linear(x, query)),
        ("gate/up joined", gu, lambda: F.linear(x, gate_up)),
        ("gate and up apart", gu, lambda: (F.linear(x, gate_up[:18944]), F.linear(x, gate_up[18944:]))),
        *[(f"gate/up in rows of {r}", gu, lambda r=r: in_rows(x, gate_up, out, r)) for r in (2048, 4096, 8192, 16384)],
        *[
            (f"gate/up in columns of {c}", gu, lambda c=c: [F.linear(x, w) for w in gate_up.split(c)])
            for c in (9472, 4736)
        ],
        ("down", d, lambda: F.linear(hidden, down)),
        *[(f"down in rows of {r}", d, lambda r=r: in_rows(hidden, down, out_down, r)) for r in (4096, 8192)],
    ]
    for name, flops, fn in rows:
        print(f"product {m} tokens: {name}: {flops / ms(fn, calls) / 1e9:.0f} TFLOP/s", flush=True)
    torch.backends.cuda.preferred_blas_library("cublaslt")
    for name, flops, fn in rows[1:2] + rows[-3:-2]:
        print(f"product {m} tokens: {name}, cuBLASLt: {flops / ms(fn, calls) / 1e9:.0f} TFLOP/s", flush=True)
    torch.backends.cuda.preferred_blas_library("cublas")


def main() -> None:
    print(torch.__version__, torch.backends.cudnn.version(), torch.cuda.get_device_name(), flush=True)
    with torch.inference_mode():
        for n in (30913, 124431):
            attention(n)
        for m in (30913, 124431):
            products(m)


if __name__ == "__main__":
    main()
