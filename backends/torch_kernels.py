"""Triton kernels for the torch backend on CUDA: the layer's small steps in one pass each.

A 7B pre-fill spends about a fifth of its GPU time outside the matrix products and attention,
most of it in the rotary embedding (eager: two slices, a negation, a concatenation, four
broadcast products and two sums per layer) and the MLP's SiLU and product; a decode step is
~960 kernel launches, each a few microseconds even replayed. Here the rotary embedding is one
in-place pass over the queries and keys, and SiLU(gate) x up one pass. Both round where
transformers' eager operations round (each product and sum to the model's dtype; SiLU as
torch computes it: x / (1 + exp(-x)) in float32, correctly rounded division, libdevice's
exp), so they give the bits those give (tests/test_backends_torch_kernels.py).

A decode step's products have one row: `gemv` reads the weight once, in rows of 16-byte
loads, where cuBLAS's one-row products reach about two thirds of the copy rate on an H200.
Its sums run in another order than cuBLAS's, so its rounding differs from the eager path's.

Imported only on CUDA: triton comes with PyTorch's CUDA builds.
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl
from triton.language.extra import libdevice

# SiLU x up: elements per program; the width of one row of a 7B MLP is 18,944.
SILU_BLOCK = 1024
# Heads per rotary program at most: a 7B model's 28 query heads (or 32 with the keys) in one.
ROTARY_HEADS = 32


@triton.jit
def _rounded(x, BF16: tl.constexpr):
    """float32 x rounded to the model's dtype (to nearest, ties to even) and back.

    For bf16 in integer steps: a plain conversion there and back is folded away by the
    compiler, which then fuses the product into the sum and rounds once where eager rounds twice.
    """
    if BF16:
        bits = x.to(tl.uint32, bitcast=True)
        bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
        return bits.to(tl.float32, bitcast=True)
    else:
        return x.to(tl.float16).to(tl.float32)


@triton.jit
def _rotary(
    x, cos, sin, heads, half, x_token, x_head, angle_token,
    BF16: tl.constexpr, BLOCK_D: tl.constexpr, BLOCK_H: tl.constexpr,
):  # fmt: skip
    token = tl.program_id(0).to(tl.int64)
    head = tl.program_id(1) * BLOCK_H + tl.arange(0, BLOCK_H)
    d = tl.arange(0, BLOCK_D)
    inside = (head[:, None] < heads) & (d[None, :] < half)
    first = x + token * x_token + head[:, None] * x_head + d[None, :]
    x1 = tl.load(first, mask=inside).to(tl.float32)
    x2 = tl.load(first + half, mask=inside).to(tl.float32)
    angles = token * angle_token + d
    on = d < half
    c1 = tl.load(cos + angles, mask=on).to(tl.float32)[None, :]
    c2 = tl.load(cos + angles + half, mask=on).to(tl.float32)[None, :]
    s1 = tl.load(sin + angles, mask=on).to(tl.float32)[None, :]
    s2 = tl.load(sin + angles + half, mask=on).to(tl.float32)[None, :]
    # x * cos + rotate_half(x) * sin, rotate_half(x) = (-x2, x1): each product and the sum rounded
    # to x's dtype, as transformers' separate operations round them.
    kind = x.dtype.element_ty
    o1 = (_rounded(x1 * c1, BF16) + _rounded(-x2 * s1, BF16)).to(kind)
    o2 = (_rounded(x2 * c2, BF16) + _rounded(x1 * s2, BF16)).to(kind)
    tl.store(first, o1, mask=inside)
    tl.store(first + half, o2, mask=inside)


def rotate_(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> None:
    """Apply the rotary embedding to x [1, tokens, heads, head_dim] in place; cos, sin [1, tokens, head_dim].

    x is bf16 or fp16, as the backend runs a model on CUDA.
    """
    _, tokens, heads, dim = x.shape
    assert x.dtype in (torch.bfloat16, torch.float16) and x.stride(-1) == 1
    assert cos.stride(-1) == 1 and sin.stride(-1) == 1 and cos.stride(1) == sin.stride(1)
    block_h = min(triton.next_power_of_2(heads), ROTARY_HEADS)
    grid = (tokens, triton.cdiv(heads, block_h))
    half = dim // 2
    _rotary[grid](
        x, cos, sin, heads, half, x.stride(1), x.stride(2), cos.stride(1),
        BF16=x.dtype == torch.bfloat16, BLOCK_D=triton.next_power_of_2(half), BLOCK_H=block_h,
    )  # fmt: skip


@triton.jit
def _silu_mul(gate, up, out, width, gate_row, up_row, out_row, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    col = tl.program_id(1) * BLOCK + tl.arange(0, BLOCK)
    inside = col < width
    g = tl.load(gate + row * gate_row + col, mask=inside).to(tl.float32)
    u = tl.load(up + row * up_row + col, mask=inside).to(tl.float32)
    kind = out.dtype.element_ty
    act = libdevice.div_rn(g, 1.0 + libdevice.exp(-g)).to(kind)  # torch's silu, rounded as it rounds
    tl.store(out + row * out_row + col, (act.to(tl.float32) * u).to(kind), mask=inside)


def silu_mul(gate: torch.Tensor, up: torch.Tensor) -> torch.Tensor:
    """SiLU(gate) * up over [..., width] inputs whose rows may be strided (the halves of one product)."""
    width = gate.shape[-1]
    g, u = gate.reshape(-1, width), up.reshape(-1, width)
    assert g.stride(-1) == 1 and u.stride(-1) == 1
    out = torch.empty(g.shape, dtype=gate.dtype, device=gate.device)
    grid = (g.shape[0], triton.cdiv(width, SILU_BLOCK))
    _silu_mul[grid](g, u, out, width, g.stride(0), u.stride(0), out.stride(0), BLOCK=SILU_BLOCK)
    return out.view(gate.shape)


@triton.jit
def _gemv(
    w, x, bias, out, rows, cols, w_row,
    HAS_BIAS: tl.constexpr, EVEN_K: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
):  # fmt: skip
    n = tl.program_id(0) * BLOCK_N + tl.arange(0, BLOCK_N)
    inside = n < rows
    k = tl.arange(0, BLOCK_K)
    at = w + n.to(tl.int64)[:, None] * w_row + k[None, :]
    acc = tl.zeros((BLOCK_N, BLOCK_K), dtype=tl.float32)
    for i in range(0, tl.cdiv(cols, BLOCK_K)):
        start = i * BLOCK_K
        if EVEN_K:
            xs = tl.load(x + start + k)
            ws = tl.load(at + start, mask=inside[:, None])
        else:
            on = start + k < cols
            xs = tl.load(x + start + k, mask=on, other=0.0)
            ws = tl.load(at + start, mask=inside[:, None] & on[None, :], other=0.0)
        acc += ws.to(tl.float32) * xs.to(tl.float32)[None, :]
    y = tl.sum(acc, axis=1)
    if HAS_BIAS:
        y += tl.load(bias + n, mask=inside).to(tl.float32)
    tl.store(out + n, y.to(out.dtype.element_ty), mask=inside)


def gemv_blocks(rows: int, cols: int) -> tuple[int, int]:
    """Rows and columns of the weight each program reads a pass: enough programs to keep every block busy."""
    return (8 if rows >= 8192 else 4), (512 if cols % 512 == 0 else 256)


def gemv(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """`F.linear` for one row: x [..., cols] holding one row, weight [rows, cols]."""
    rows, cols = weight.shape
    assert weight.stride(1) == 1
    flat = x.reshape(cols)
    out = torch.empty((*x.shape[:-1], rows), dtype=x.dtype, device=x.device)
    block_n, block_k = gemv_blocks(rows, cols)
    _gemv[(triton.cdiv(rows, block_n),)](
        weight, flat, out if bias is None else bias, out, rows, cols, weight.stride(0),
        HAS_BIAS=bias is not None, EVEN_K=cols % block_k == 0, BLOCK_N=block_n, BLOCK_K=block_k,
    )  # fmt: skip
    return out
