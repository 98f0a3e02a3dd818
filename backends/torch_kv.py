"""The key/value memory of the torch backend: one preallocated buffer a layer, owned by lecto.

transformers' caches change between releases, and its static cache makes SDPA copy every
grouped key head on every decode step (7 copies of the whole cache for Qwen2.5-7B). Here the
model's attention is a registered function that writes the new keys and values into these
buffers and attends over them itself:

- pre-fill attends over the filled slots, causal from the bottom right, so SDPA runs
  FlashAttention whether the cache was empty or held the documents already;
- a decode step attends over a fixed-size view with a bias that hides the slots past the
  current position: every step has the same shapes and addresses, so a CUDA graph can replay it.
  SDPA's kernels split a masked one-token query over too few blocks (4 on a 132-block H200,
  20 ms a token at 128K), so decode attention is two batched matrix products split along the
  keys, which read the keys and values once at full bandwidth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right

ATTENTION = "lecto"  # the attn_implementation name the model is loaded with
# Decode views are multiples of this many slots: a follow-up's slightly longer question rarely
# needs a new graph, and a step reads at most this many empty slots (3% at 32K).
VIEW_STEP = 1024


@dataclass
class KVBuffers:
    """Keys and values of the tokens seen so far, `length` of them, in slots of `capacity`."""

    keys: list[torch.Tensor]
    values: list[torch.Tensor]
    length: int = 0
    # Set only while a decode step runs: the device position it writes, the view it reads, and
    # the view's bias (0 up to the position, -inf past it).
    position: torch.Tensor | None = None
    view: int = 0
    bias: torch.Tensor | None = field(default=None, repr=False)

    @property
    def capacity(self) -> int:
        return self.keys[0].shape[2]


def allocate(config: Any, capacity: int, device: str, dtype: torch.dtype) -> KVBuffers:
    heads = config.num_key_value_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    shape = (1, heads, capacity, head_dim)
    layers = range(config.num_hidden_layers)
    # Zeros, not garbage: a masked slot still enters attention's sums, times a zero weight,
    # and a NaN there would survive that.
    return KVBuffers(
        keys=[torch.zeros(shape, device=device, dtype=dtype) for _ in layers],
        values=[torch.zeros(shape, device=device, dtype=dtype) for _ in layers],
    )


def grown(kv: KVBuffers, config: Any, capacity: int, keep: int) -> KVBuffers:
    """Buffers of at least `capacity` slots holding the first `keep` tokens of `kv`."""
    if capacity <= kv.capacity:
        kv.length = keep
        return kv
    bigger = allocate(config, capacity, kv.keys[0].device.type, kv.keys[0].dtype)
    for old, new in zip([*kv.keys, *kv.values], [*bigger.keys, *bigger.values], strict=True):
        new[:, :, :keep] = old[:, :, :keep]
    bigger.length = keep
    return bigger


def view_for(tokens: int, window: int) -> int:
    """The decode view for `tokens` positions: the next multiple of VIEW_STEP, within the model's window."""
    return max(tokens, min(window, -(-tokens // VIEW_STEP) * VIEW_STEP))


def attend(
    module: Any,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: Any,
    scaling: float | None = None,
    dropout: float = 0.0,
    kv: KVBuffers | None = None,
    **kwargs: Any,
) -> tuple[torch.Tensor, None]:
    """transformers' attention interface: the output as [batch, tokens, heads, head_dim]."""
    layer = module.layer_idx
    if kv is None:  # a call that keeps nothing, such as scoring a text
        out = _causal(query, key, value, scaling)
    elif kv.position is not None:
        out = _decode(kv, layer, query, key, value, scaling)
    else:
        out = _prefill(kv, layer, query, key, value, scaling)
    return out.transpose(1, 2).contiguous(), None


def _prefill(
    kv: KVBuffers, layer: int, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scale: float | None
) -> torch.Tensor:
    start, end = kv.length, kv.length + k.shape[2]
    kv.keys[layer][:, :, start:end] = k
    kv.values[layer][:, :, start:end] = v
    return _causal(q, kv.keys[layer][:, :, :end], kv.values[layer][:, :, :end], scale)


def _causal(q: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, scale: float | None) -> torch.Tensor:
    """Each query sees the keys up to its own position; the queries are the last of the keys."""
    later = q.shape[2] < keys.shape[2]
    causal: Any = causal_lower_right(q.shape[2], keys.shape[2]) if later else None
    return F.scaled_dot_product_attention(
        q, keys, values, attn_mask=causal, is_causal=not later, scale=scale, enable_gqa=True
    )


def _decode(
    kv: KVBuffers, layer: int, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scale: float | None
) -> torch.Tensor:
    """One query token: its grouped heads become rows against one key head, so no key is copied."""
    assert kv.position is not None and kv.bias is not None
    kv.keys[layer].index_copy_(2, kv.position, k)
    kv.values[layer].index_copy_(2, kv.position, v)
    keys, values = kv.keys[layer][0, :, : kv.view], kv.values[layer][0, :, : kv.view]
    _, heads, _, dim = q.shape
    groups, splits = keys.shape[0], kv.view // VIEW_STEP if kv.view % VIEW_STEP == 0 else 1
    grouped = q.view(groups, heads // groups, dim)
    scores = torch.baddbmm(kv.bias, grouped, keys.transpose(1, 2), alpha=scale or dim**-0.5)
    # Softmax's own kernel runs a block per row, 28 rows here; these reductions split the keys.
    weights = (scores - scores.amax(-1, keepdim=True)).exp()
    # Split along the keys so the product has many blocks to run, then add the parts up.
    parts = weights.view(groups, -1, splits, kv.view // splits).transpose(1, 2)
    out = torch.matmul(parts, values.view(groups, splits, -1, dim)).sum(1, dtype=torch.float32)
    out = out / weights.sum(-1, keepdim=True, dtype=torch.float32)
    return out.to(q.dtype).view(1, heads, 1, dim)


def register() -> None:
    import transformers

    transformers.AttentionInterface.register(ATTENTION, attend)
