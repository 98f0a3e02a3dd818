"""Hugging Face models through PyTorch: `--model hf:DIR`, or a `.gguf` with `--backend torch`.

CUDA in bf16 when a GPU is present, the CPU in float32 otherwise. lecto owns the key/value
memory (`torch_kv.py`): the prompt is pre-filled in one pass (on an H200 cuDNN's attention
then runs a 7B model's 124K-token prompt in about 8 s; pieces of 32K took 12 s, as only
FlashAttention takes a query that starts past the first key), and the keys and values of the
last prompt stay, so a follow-up over the same documents pre-fills only what differs (the
question) and tokenises only the text after what it shares with the last prompt
(`torch_prompt.py`). The model's layers run fewer, fused steps (`torch_layers.py`). Decoding
replays a captured CUDA graph per token (`torch_decode.py`), its attention FlashAttention's
split-key decode kernel over the filled slots.
torch and transformers are imported only once this backend is used, so the default llama.cpp
path never needs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from lecto.backends import token_prefix, torch_prompt
from lecto.backends.registry import Message, ModelOptions, register_backend
from lecto.backends.torch_prompt import PromptTokens
from lecto.errors import ModelError

HF_PREFIX = "hf:"


def _libraries() -> tuple[Any, Any]:
    try:
        import torch
        import transformers
    except ImportError as e:
        raise ModelError("the torch backend needs PyTorch", hint='pip install -e ".[torch]"') from e
    return torch, transformers


def _location(spec: str | None) -> tuple[Path, dict[str, str]]:
    """The checkpoint folder and, for a GGUF file, the `gguf_file` argument transformers takes."""
    if spec is None:
        from lecto.backends.llama import bundled_model

        path = bundled_model()
    else:
        path = Path(spec.removeprefix(HF_PREFIX)).expanduser()
    if not path.exists():
        raise ModelError("model not found", source=str(path))
    if path.is_dir():
        return path, {}
    return path.parent, {"gguf_file": path.name}


class TorchBackend:
    backend = "torch"

    def __init__(self, options: ModelOptions):
        self.torch, transformers = _libraries()
        self.folder, self._gguf = _location(options.spec)
        self.name = self._gguf.get("gguf_file", self.folder.name).removesuffix(".gguf")
        self.device = "cuda" if self.torch.cuda.is_available() else "cpu"
        self.dtype = self.torch.bfloat16 if self.device == "cuda" else self.torch.float32
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(self.folder, **self._gguf)
            self.config = transformers.AutoConfig.from_pretrained(self.folder, **self._gguf)
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot read the checkpoint ({e})", source=str(self.folder)) from e
        if any(kind != "full_attention" for kind in getattr(self.config, "layer_types", None) or []):
            raise ModelError("sliding-window attention is not supported by the torch backend", source=self.name)
        self.tokenizer_id = f"hf:{self.name}:{self.tokenizer.vocab_size}"
        window = self.config.max_position_embeddings
        self._window = min(window, options.ctx or window)
        self._model: Any = None
        self._kv: Any = None
        self._steppers: dict[int, Any] = {}  # decode view -> its device state and graph
        self._cached_ids: list[int] = []
        self._last_prompt = PromptTokens()  # the last pre-filled prompt's text and ids
        self.prefix_reused = 0  # tokens of the last prompt taken from the kept cache

    @property
    def context_window(self) -> int:
        return self._window

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False))

    def count_many(self, texts: Sequence[str]) -> list[int]:
        # One call: the fast tokenizer encodes a batch on all cores.
        return [len(ids) for ids in self.tokenizer(list(texts), add_special_tokens=False)["input_ids"]]

    def stream(self, messages: list[Message], max_tokens: int) -> Iterator[str]:
        prompt = self._prompt(messages)
        ids = prompt.ids
        if len(ids) + max_tokens > self._window:
            raise ModelError(f"the prompt takes {len(ids)} tokens; the window is {self._window}")
        with self.torch.inference_mode():
            view = self._room(ids, max_tokens)
            logits = self._prefill(ids)
            self._last_prompt = prompt
            yield from self._decode(ids, logits, view, max_tokens)

    def token_logprobs(self, text: str) -> list[tuple[str, float]]:
        """Each token of `text` with its log-probability given the tokens before it."""
        ids = self.tokenizer.encode(text, add_special_tokens=False)
        with self.torch.inference_mode():
            out = self._loaded()(self.torch.tensor([ids], device=self.device), use_cache=False)
            logprobs = self.torch.log_softmax(out.logits[0, :-1].float(), dim=-1)
        picked = logprobs.gather(1, self.torch.tensor(ids[1:], device=self.device)[:, None])[:, 0].tolist()
        return [(self.tokenizer.decode([t]), p) for t, p in zip(ids, [0.0, *picked], strict=True)]

    def _prompt(self, messages: list[Message]) -> PromptTokens:
        rendered = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return torch_prompt.tokens(self.tokenizer, rendered, self._last_prompt)

    def _room(self, ids: list[int], max_tokens: int) -> int:
        """Keep the longest prefix the buffers already hold; make room for the prompt and answer."""
        from lecto.backends import torch_kv

        reused = token_prefix.shared(self._cached_ids, ids[:-1])  # the last is read again: its logits start the answer
        if reused < len(ids) - reused:
            # New documents behind the same chat template: pre-fill from the first slot, where
            # SDPA runs cuDNN's attention (1.8x FlashAttention's rate on an H200), the only
            # kernel it gives a query that starts after the first key.
            reused = 0
        view = torch_kv.view_for(len(ids) + max_tokens, self._window)
        if self._kv is None:
            self._kv = torch_kv.allocate(self.config, view, self.device, self.dtype)
        elif view > self._kv.capacity:
            self._steppers.clear()  # their graphs read the old buffers
        self._kv = torch_kv.grown(self._kv, self.config, view, keep=reused)
        self.prefix_reused = reused
        return view

    def _prefill(self, ids: list[int]) -> Any:
        """Run the prompt past the kept prefix; the last position's logits."""
        start = self._kv.length
        out = self._loaded()(
            self.torch.tensor([ids[start:]], device=self.device),
            position_ids=self.torch.arange(start, len(ids), device=self.device)[None],
            kv=self._kv,
            use_cache=False,
            logits_to_keep=1,
        )
        self._kv.length, self._cached_ids = len(ids), list(ids)
        return out.logits[0, -1]

    def _decode(self, ids: list[int], logits: Any, view: int, max_tokens: int) -> Iterator[str]:
        from lecto.backends.torch_decode import Detokenizer, Stepper

        if view not in self._steppers:
            self._steppers[view] = Stepper(self._loaded(), self._kv, view)
        stepper = self._steppers[view]
        stepper.start(logits, ids)
        text = Detokenizer(self.tokenizer)
        stop = set(_eos_ids(self._loaded(), self.tokenizer))
        for left in range(max_tokens - 1, -1, -1):
            token = int(stepper.token)
            if token in stop:
                return
            if piece := text.push(token):
                yield piece
            if left:
                stepper.step(left)
                self._cached_ids.append(token)
                self._kv.length += 1

    def _loaded(self) -> Any:
        if self._model is None:
            from lecto.backends import torch_kv, torch_layers

            _, transformers = _libraries()
            torch_kv.register()
            self._model = transformers.AutoModelForCausalLM.from_pretrained(
                self.folder, dtype=self.dtype, attn_implementation=torch_kv.ATTENTION, **self._gguf
            ).to(self.device)
            self._model.eval()
            torch_layers.rewrite(self._model)
        return self._model


def _eos_ids(model: Any, tokenizer: Any) -> list[int]:
    ids = model.generation_config.eos_token_id
    listed = ids if isinstance(ids, list) else [ids]
    return [i for i in [*listed, tokenizer.eos_token_id] if i is not None]


def _claims(spec: str | None) -> bool:
    return spec is not None and spec.startswith(HF_PREFIX)


register_backend("torch", _claims)(TorchBackend)
