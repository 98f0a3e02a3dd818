"""The key/value memory of the torch backend: one preallocated buffer a layer, owned by lecto.

transformers' caches change between releases, and its static cache makes SDPA copy every
grouped key head on every decode step (7 copies of the whole cache for Qwen2.5-7B). Here the
model's attention is a registered function that writes the new keys and values into these
buffers and attends over them itself:

- pre-fill attends over the filled slots, causal from the bottom right, so SDPA runs
  FlashAttention whether the cache was empty or held the documents already;
- a decode step attends over a fixed-size view of the buffers, told on the device how many of
  its slots are filled: every step has the same shapes and addresses, so a CUDA graph can
  replay it. SDPA's kernels split a masked one-token query over too few blocks (4 on a
  132-block H200, 20 ms a token at 128K). On CUDA the step calls FlashAttention's
  variable-length kernel directly: it takes the filled length as a device tensor, reads only
  those slots, packs the grouped query heads as rows of their key head and splits the keys
  over the GPU's blocks (flash-decoding). Elsewhere it is two batched matrix products split
  along the keys, with a bias that hides the slots past the position.
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
    step: DecodeStep | None = None  # set only while a decode step runs

    @property
    def capacity(self) -> int:
        return self.keys[0].shape[2]


@dataclass
class DecodeStep:
    """Where a decode step writes and what it reads, as device tensors a replayed graph updates in place."""

    position: torch.Tensor  # the slot the new token's key and value go to
    view: int  # the step attends over the first `view` slots
    bias: torch.Tensor = field(repr=False)  # the products' mask: 0 up to the position, -inf past it
    used: torch.Tensor = field(repr=False)  # FlashAttention's: the position + 1 slots that hold keys, int32
    starts: tuple[torch.Tensor, torch.Tensor] = field(repr=False)  # the one query's and its keys' offsets

    @classmethod
    def over(cls, view: int, device: torch.device, dtype: torch.dtype) -> DecodeStep:
        def offsets(n: int) -> torch.Tensor:
            return torch.tensor([0, n], dtype=torch.int32, device=device)

        return cls(
            position=torch.zeros(1, dtype=torch.long, device=device),
            view=view,
            bias=torch.zeros(view, dtype=dtype, device=device),
            used=torch.zeros(1, dtype=torch.int32, device=device),
            starts=(offsets(1), offsets(view)),
        )

    def mask(self) -> None:
        """Hide the slots past the position from both kinds of decode attention."""
        self.used.copy_(self.position + 1)
        slots = torch.arange(self.view, device=self.position.device)
        self.bias.zero_().masked_fill_(slots > self.position, float("-inf"))


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
    elif kv.step is not None:
        out = _decode(kv, kv.step, layer, query, key, value, scaling)
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
    kv: KVBuffers, step: DecodeStep, layer: int, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scale: float | None
) -> torch.Tensor:
    """One query token against the view; the output as [batch, heads, 1, head_dim]."""
    kv.keys[layer].index_copy_(2, step.position, k)
    kv.values[layer].index_copy_(2, step.position, v)
    keys, values = kv.keys[layer][0, :, : step.view], kv.values[layer][0, :, : step.view]
    attend_view = _flash_decode if keys.is_cuda else _split_products
    return attend_view(step, q, keys, values, scale)


def _flash_decode(
    step: DecodeStep, q: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, scale: float | None
) -> torch.Tensor:
    """FlashAttention over the used slots of [heads, slots, dim] buffers, seen as one sequence of `view` keys."""
    _, heads, _, dim = q.shape
    query_starts, key_starts = step.starts
    out = torch.ops.aten._flash_attention_forward(
        q.reshape(1, heads, dim),
        keys.transpose(0, 1),
        values.transpose(0, 1),
        query_starts,
        key_starts,
        1,
        step.view,
        0.0,
        False,
        False,
        scale=scale,
        seqused_k=step.used,
    )[0]
    return out.view(1, heads, 1, dim)


def _split_products(
    step: DecodeStep, q: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, scale: float | None
) -> torch.Tensor:
    """Grouped heads as rows against their one key head, so no key is copied; the keys split for the product."""
    _, heads, _, dim = q.shape
    view = step.view
    groups, splits = keys.shape[0], view // VIEW_STEP if view % VIEW_STEP == 0 else 1
    grouped = q.view(groups, heads // groups, dim)
    scores = torch.baddbmm(step.bias, grouped, keys.transpose(1, 2), alpha=scale or dim**-0.5)
    # Softmax's own kernel runs a block per row, 28 rows here; these reductions split the keys.
    weights = (scores - scores.amax(-1, keepdim=True)).exp()
    # Split along the keys so the product has many blocks to run, then add the parts up.
    parts = weights.view(groups, -1, splits, view // splits).transpose(1, 2)
    out = torch.matmul(parts, values.view(groups, splits, -1, dim)).sum(1, dtype=torch.float32)
    out = out / weights.sum(-1, keepdim=True, dtype=torch.float32)
    return out.to(q.dtype).view(1, heads, 1, dim)


def register() -> None:
    import transformers

    transformers.AttentionInterface.register(ATTENTION, attend)
