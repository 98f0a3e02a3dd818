"""The torch backend's Triton kernels against the eager operations they replace, on fresh random inputs.

The rotary embedding and SiLU x up must give transformers' bits exactly (so greedy answers do
not move); the one-row product sums in its own order and is held to bf16 rounding of the exact
product. CUDA only: triton's kernels run on the GPU.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
HEADS, KV_HEADS, DIM = 28, 4, 128  # Qwen2.5-7B's attention


def angles(tokens: int, start: int) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin [1, tokens, DIM] as transformers' rotary embedding makes them, in bf16."""
    inv_freq = 1.0 / (1e6 ** (torch.arange(0, DIM, 2, device="cuda").float() / DIM))
    freqs = torch.arange(start, start + tokens, device="cuda").float()[:, None] * inv_freq
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(torch.bfloat16)[None], emb.sin().to(torch.bfloat16)[None]


@pytest.mark.parametrize("tokens", [1, 333])  # a decode step's query and key heads side by side, a pre-fill's
def test_rotary_in_place_gives_transformers_bits(tokens: int) -> None:
    from transformers.models.qwen2.modeling_qwen2 import apply_rotary_pos_emb

    from lecto.backends import torch_kernels

    qkv = torch.randn(1, tokens, (HEADS + 2 * KV_HEADS) * DIM, device="cuda", dtype=torch.bfloat16)
    q_end, k_end = HEADS * DIM, (HEADS + KV_HEADS) * DIM
    q, k = qkv[..., :q_end].view(1, tokens, HEADS, DIM), qkv[..., q_end:k_end].view(1, tokens, KV_HEADS, DIM)
    values = qkv[..., k_end:].clone()
    cos, sin = angles(tokens, start=90_000)
    expected_q, expected_k = apply_rotary_pos_emb(q.transpose(1, 2), k.transpose(1, 2), cos, sin)
    torch_kernels.rotate_(qkv[..., :k_end].view(1, tokens, HEADS + KV_HEADS, DIM), cos, sin)
    assert torch.equal(q.transpose(1, 2), expected_q)
    assert torch.equal(k.transpose(1, 2), expected_k)
    assert torch.equal(qkv[..., k_end:], values)


@pytest.mark.parametrize(("rows", "width"), [(1, 18944), (517, 18944), (3, 1000)])
def test_silu_mul_over_a_joined_product_s_halves_gives_torch_s_bits(rows: int, width: int) -> None:
    from lecto.backends import torch_kernels

    joined = 4 * torch.randn(1, rows, 2 * width, device="cuda", dtype=torch.bfloat16)
    gate, up = joined.chunk(2, dim=-1)
    assert torch.equal(torch_kernels.silu_mul(gate, up), F.silu(gate) * up)


@pytest.mark.parametrize(
    ("rows", "cols", "biased"), [(4608, 3584, True), (3584, 18944, False), (37888, 3584, False), (1000, 3000, True)]
)
def test_one_row_product_is_the_exact_product_rounded(rows: int, cols: int, biased: bool) -> None:
    from lecto.backends import torch_kernels

    weight = torch.randn(rows, cols, device="cuda", dtype=torch.bfloat16) / cols**0.5
    x = torch.randn(1, 1, cols, device="cuda", dtype=torch.bfloat16)
    bias = torch.randn(rows, device="cuda", dtype=torch.bfloat16) if biased else None
    out = torch_kernels.gemv(x, weight, bias)
    exact = x.double() @ weight.double().T + (bias.double() if bias is not None else 0)
    assert out.shape == (1, 1, rows)
    assert ((out.double() - exact).norm() / exact.norm()).item() < 5e-3
