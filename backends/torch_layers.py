"""The torch backend's changes to a Llama-style model's layers: fewer, larger steps.

A decode step of a 7B model reads its 14 GB of weights in 3.3 ms on an H200, yet ran ~960
kernels; a pre-fill spends a fifth of its GPU time in small element-wise steps. So, once the
model is loaded:
- RMSNorm is torch's one fused kernel instead of transformers' six;
- the gate and up projections are one product, and so are the query, key and value
  projections (the weights become views of the joined ones: no more memory); SDPA's cuDNN
  kernel reads the query heads in place from the joined output;
- on CUDA the rotary embedding is applied in place in one kernel, SiLU(gate) x up is one
  kernel (torch_kernels.py), and a one-row product is a kernel that reads the weight at
  closer to the copy rate than cuBLAS's. On the CPU each is the eager operations
  transformers runs, in the same order, so the answers match transformers' own. On CUDA the
  joined products and the one-row kernel sum in another order than the separate cuBLAS
  products, so bf16 results may differ from the unchanged model's in the last bit.
A layer this does not recognise (biased MLP projections, per-head query norms) keeps
transformers' forward.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import torch
import torch.nn.functional as F

from lecto.backends import torch_kv


def rewrite(model: Any) -> None:
    """Rewrite the loaded model's norms, attention and MLP layers and its one-row products in place."""
    for module in model.modules():
        if type(module).__name__.endswith("RMSNorm") and hasattr(module, "variance_epsilon"):
            module.forward = partial(
                F.rms_norm, normalized_shape=module.weight.shape, weight=module.weight, eps=module.variance_epsilon
            )
        elif _is_attention(module):
            _join_attention_inputs(module)
        elif _is_mlp(module):
            _join_mlp_inputs(module)
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            module.forward = partial(linear, weight=module.weight, bias=module.bias)


def linear(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """`F.linear`, through the one-row kernel on CUDA when x holds one row (a decode step)."""
    if x.is_cuda and x.numel() == x.shape[-1] and x.dtype == weight.dtype:
        from lecto.backends import torch_kernels

        return torch_kernels.gemv(x, weight, bias)
    return F.linear(x, weight, bias)


def _is_attention(module: Any) -> bool:
    names = ("q_proj", "k_proj", "v_proj", "o_proj", "head_dim", "scaling", "layer_idx")
    return all(hasattr(module, n) for n in names) and not hasattr(module, "q_norm")


def _is_mlp(module: Any) -> bool:
    names = ("gate_proj", "up_proj", "down_proj", "act_fn")
    return all(hasattr(module, n) for n in names) and module.gate_proj.bias is None


def _joined(parts: list[torch.nn.Linear]) -> tuple[torch.Tensor, torch.Tensor | None]:
    """One weight (and bias) of the projections' rows; each projection's becomes a view of it."""
    weights = [p.weight for p in parts]
    biases = [p.bias for p in parts]
    with torch.no_grad():
        weight = torch.cat(weights)
        bias = torch.cat(biases) if all(b is not None for b in biases) else None
    start = 0
    for part in parts:
        end = start + part.out_features
        part.weight = torch.nn.Parameter(weight[start:end], requires_grad=False)
        if bias is not None:
            part.bias = torch.nn.Parameter(bias[start:end], requires_grad=False)
        start = end
    return weight, bias


def _join_attention_inputs(module: Any) -> None:
    if (module.q_proj.bias is None) != (module.k_proj.bias is None):
        return  # a model with some projections biased: none known; transformers' forward stays
    weight, bias = _joined([module.q_proj, module.k_proj, module.v_proj])
    module.forward = partial(_attention, module=module, weight=weight, bias=bias)


def _attention(
    hidden_states: torch.Tensor,
    position_embeddings: tuple[torch.Tensor, torch.Tensor],
    attention_mask: Any = None,
    *,
    module: Any,
    weight: torch.Tensor,
    bias: torch.Tensor | None,
    **kwargs: Any,
) -> tuple[torch.Tensor, None]:
    """transformers' Llama-style attention forward, the rotary embedding applied in place."""
    shape, dim = hidden_states.shape[:-1], module.head_dim
    cos, sin = position_embeddings
    qkv = linear(hidden_states, weight, bias)  # one product; the query and key heads side by side
    q_width, k_width = module.q_proj.out_features, module.k_proj.out_features
    rotate_(qkv[..., : q_width + k_width].view(*shape, -1, dim), cos, sin)
    q, k, v = qkv.split([q_width, k_width, qkv.shape[-1] - q_width - k_width], dim=-1)
    q, k, v = (t.view(*shape, -1, dim).transpose(1, 2) for t in (q, k, v))
    out, _ = torch_kv.attend(module, q, k, v, attention_mask, scaling=module.scaling, **kwargs)
    return module.o_proj(out.reshape(*shape, -1)), None


def rotate_(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> None:
    """The rotary embedding of x [batch, tokens, heads, head_dim] in place, as transformers computes it."""
    if x.is_cuda:
        from lecto.backends import torch_kernels

        torch_kernels.rotate_(x, cos, sin)
        return
    half = x.shape[-1] // 2
    cos, sin = cos.unsqueeze(2), sin.unsqueeze(2)
    x.copy_(x * cos + torch.cat((-x[..., half:], x[..., :half]), dim=-1) * sin)


def _join_mlp_inputs(module: Any) -> None:
    weight, _ = _joined([module.gate_proj, module.up_proj])
    silu = type(module.act_fn).__name__ in ("SiLUActivation", "SiLU")
    module.forward = partial(_mlp, weight=weight, act=module.act_fn if not silu else None, down=module.down_proj)


def _mlp(x: torch.Tensor, weight: torch.Tensor, act: Any, down: Any) -> torch.Tensor:
    """down(act(gate(x)) * up(x)) from one product; SiLU and the product one kernel on CUDA."""
    gate, up = linear(x, weight).chunk(2, dim=-1)
    if act is not None:
        return down(act(gate) * up)
    if x.is_cuda:
        from lecto.backends import torch_kernels

        return down(torch_kernels.silu_mul(gate, up))
    return down(F.silu(gate) * up)
