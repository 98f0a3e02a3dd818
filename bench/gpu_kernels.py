"""The torch backend's Triton kernels alone on one CUDA GPU, against the eager operations they replace.

- one-row products (a decode step's) of a 7B model's shapes: cuBLAS (`F.linear`) and the Triton
  kernel over a grid of block sizes, in GB/s of weight read. Each is timed inside a replayed
  CUDA graph over enough copies of the weight that none is read from the 60 MB L2 twice, as a
  step reads each layer's weights once;
- the rotary embedding and SiLU x up of an 8K-token pre-fill (and of one decode token), eager
  and fused, in microseconds per layer.

    python3 bench/gpu_kernels.py
"""

from __future__ import annotations

import statistics

import torch
import torch.nn.functional as F
import triton
from gpu_common import copy_gbs
from transformers.models.qwen2.modeling_qwen2 import apply_rotary_pos_emb

from lecto.backends import torch_kernels

SHAPES = (  # (rows, cols, biased): the joined q/k/v, o, joined gate/up, down projections and the output head
    (4608, 3584, True),
    (3584, 3584, False),
    (37888, 3584, False),
    (3584, 18944, False),
    (152064, 3584, False),
)
BLOCKS = (  # (rows, columns, warps) a program: lecto's choices and their neighbours
    (2, 512, 4), (4, 256, 4), (4, 512, 4), (4, 1024, 4), (8, 256, 4),
    (8, 512, 4), (8, 1024, 4), (16, 512, 4), (16, 1024, 8),
)  # fmt: skip
ROTATED_BYTES = 512 * 1024**2  # copies of a weight in turn: this many bytes, several times the L2


def graph_us(fn, calls: int) -> float:
    """Microseconds per call of `fn(i)` for i in range(calls), captured once and replayed."""
    for i in range(calls):
        fn(i)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for i in range(calls):
            fn(i)
    times = []
    for _ in range(7):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        graph.replay()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end) * 1000 / calls)
    return statistics.median(times[2:])


def gemv_rows(rate: float) -> None:
    print(f"copy {rate:.0f} GB/s\n")
    print("| rows x cols | MB | cuBLAS GB/s | lecto's blocks GB/s | best blocks (n, k, warps) GB/s |")
    print("|---|---|---|---|---|")
    for rows, cols, biased in SHAPES:
        gemv_row(rows, cols, biased)


def gemv_row(rows: int, cols: int, biased: bool) -> None:
    size = rows * cols * 2
    copies = max(2, -(-ROTATED_BYTES // size))
    weights = [torch.randn(rows, cols, device="cuda", dtype=torch.bfloat16) for _ in range(copies)]
    x = torch.randn(1, 1, cols, device="cuda", dtype=torch.bfloat16)
    bias = torch.randn(rows, device="cuda", dtype=torch.bfloat16) if biased else None
    out = torch.empty(rows, device="cuda", dtype=torch.bfloat16)

    def gbs(fn) -> float:
        return size / graph_us(fn, copies) / 1e3

    def blocks(n: int, k: int, warps: int) -> float:
        return gbs(
            lambda i: torch_kernels._gemv[(triton.cdiv(rows, n),)](
                weights[i], x, out if bias is None else bias, out, rows, cols, cols,
                HAS_BIAS=bias is not None, EVEN_K=cols % k == 0, BLOCK_N=n, BLOCK_K=k, num_warps=warps,
            )
        )  # fmt: skip

    cublas = gbs(lambda i: F.linear(x, weights[i], bias))
    ours = gbs(lambda i: torch_kernels.gemv(x, weights[i], bias))
    tried = {config: blocks(*config) for config in BLOCKS}
    best = max(tried, key=tried.__getitem__)
    exact = x.double() @ weights[0].double().T + (bias.double() if bias is not None else 0)
    error = ((torch_kernels.gemv(x, weights[0], bias).double() - exact).norm() / exact.norm()).item()
    print(
        f"| {rows} x {cols} | {size / 1e6:.0f} | {cublas:.0f} | {ours:.0f} (error {error:.1e}) "
        f"| {best} {tried[best]:.0f} |",
        flush=True,
    )


def eager_rotary(q: torch.Tensor, k: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> None:
    apply_rotary_pos_emb(q.transpose(1, 2), k.transpose(1, 2), cos, sin)


def fused_rotary(q: torch.Tensor, k: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> None:
    torch_kernels.rotate_(q, cos, sin)
    torch_kernels.rotate_(k, cos, sin)


def elementwise_rows() -> None:
    print("\n| step | tokens | eager us/layer | fused us/layer | same bits |")
    print("|---|---|---|---|---|")
    for tokens in (8192, 1):
        rotary_row(tokens)
        silu_row(tokens)


def rotary_row(tokens: int, layers: int = 28) -> None:
    """One layer's queries and keys each, in turn."""
    q = [torch.randn(1, tokens, 28, 128, device="cuda", dtype=torch.bfloat16) for _ in range(layers)]
    k = [torch.randn(1, tokens, 4, 128, device="cuda", dtype=torch.bfloat16) for _ in range(layers)]
    cos = torch.randn(1, tokens, 128, device="cuda", dtype=torch.bfloat16)
    sin = torch.randn(1, tokens, 128, device="cuda", dtype=torch.bfloat16)
    eager = graph_us(lambda i: eager_rotary(q[i], k[i], cos, sin), layers)
    fused = graph_us(lambda i: fused_rotary(q[i], k[i], cos, sin), layers)
    expected = apply_rotary_pos_emb(q[0].transpose(1, 2), k[0].transpose(1, 2), cos, sin)[0]
    torch_kernels.rotate_(q[0], cos, sin)
    same = torch.equal(q[0].transpose(1, 2), expected)
    print(f"| rotary (q and k) | {tokens} | {eager:.1f} | {fused:.1f} (two launches) | {same} |")


def silu_row(tokens: int, layers: int = 4) -> None:
    joined = [torch.randn(1, tokens, 2 * 18944, device="cuda", dtype=torch.bfloat16) for _ in range(layers)]
    halves = [j.chunk(2, dim=-1) for j in joined]
    apart = [(g.contiguous(), u.contiguous()) for g, u in halves]
    eager = graph_us(lambda i: F.silu(apart[i][0]) * apart[i][1], layers)
    fused = graph_us(lambda i: torch_kernels.silu_mul(*halves[i]), layers)
    same = torch.equal(torch_kernels.silu_mul(*halves[0]), F.silu(halves[0][0]) * halves[0][1])
    print(f"| SiLU x up | {tokens} | {eager:.1f} (two products' outputs) | {fused:.1f} (joined halves) | {same} |")


def main() -> None:
    print(f"{torch.cuda.get_device_name()}; torch {torch.__version__}; triton {triton.__version__}", flush=True)
    gemv_rows(copy_gbs())
    elementwise_rows()


if __name__ == "__main__":
    main()
