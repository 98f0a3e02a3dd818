"""Hugging Face models through PyTorch: `--model hf:DIR`, or a `.gguf` with `--backend torch`.

CUDA in bf16 when a GPU is present, the CPU in float32 otherwise; attention through SDPA.
The key/value cache of the last prompt is kept, so a follow-up over the same documents
pre-fills only what differs (the question). torch and transformers are imported here only,
so the default llama.cpp path never needs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lecto.backends.registry import Message, ModelOptions, register_backend
from lecto.errors import ModelError

HF_PREFIX = "hf:"
# The same mild penalty as the llama.cpp backend, over the same look-back, so answers match.
REPEAT_PENALTY = 1.1
REPEAT_LAST = 64


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
            config = transformers.AutoConfig.from_pretrained(self.folder, **self._gguf)
        except (OSError, ValueError) as e:
            raise ModelError(f"cannot read the checkpoint ({e})", source=str(self.folder)) from e
        self.tokenizer_id = f"hf:{self.name}:{self.tokenizer.vocab_size}"
        self._window = min(config.max_position_embeddings, options.ctx or config.max_position_embeddings)
        self._model: Any = None
        self._cache: Any = None
        self._cached_ids: list[int] = []
        self.prefix_reused = 0  # tokens of the last prompt taken from the kept cache

    @property
    def context_window(self) -> int:
        return self._window

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False))

    def stream(self, messages: list[Message], max_tokens: int) -> Iterator[str]:
        ids = self._prompt_ids(messages)
        if len(ids) + max_tokens > self._window:
            raise ModelError(f"the prompt takes {len(ids)} tokens; the window is {self._window}")
        with self.torch.inference_mode():
            logits = self._prefill(ids)
            yield from self._decode(ids, logits, max_tokens)

    def token_logprobs(self, text: str) -> list[tuple[str, float]]:
        """Each token of `text` with its log-probability given the tokens before it."""
        ids = self.tokenizer.encode(text, add_special_tokens=False)
        with self.torch.inference_mode():
            out = self._loaded()(self.torch.tensor([ids], device=self.device))
            logprobs = self.torch.log_softmax(out.logits[0, :-1].float(), dim=-1)
        picked = logprobs.gather(1, self.torch.tensor(ids[1:], device=self.device)[:, None])[:, 0].tolist()
        return [(self.tokenizer.decode([t]), p) for t, p in zip(ids, [0.0, *picked], strict=True)]

    def _prompt_ids(self, messages: list[Message]) -> list[int]:
        rendered = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return self.tokenizer.encode(rendered, add_special_tokens=False)

    def _prefill(self, ids: list[int]) -> Any:
        """Run the prompt, starting from the longest prefix the kept cache already holds."""
        reused = _common_prefix(self._cached_ids, ids, limit=len(ids) - 1)
        if reused and self._cache is not None:
            self._cache.crop(reused - self._cache.get_seq_length())
        else:
            reused, self._cache = 0, None
        tail = self.torch.tensor([ids[reused:]], device=self.device)
        out = self._loaded()(tail, past_key_values=self._cache, use_cache=True, logits_to_keep=1)
        self._cache, self._cached_ids = out.past_key_values, list(ids)
        self.prefix_reused = reused
        return out.logits[0, -1]

    def _decode(self, ids: list[int], logits: Any, max_tokens: int) -> Iterator[str]:
        generated: list[int] = []
        shown = ""
        stop = set(_eos_ids(self._loaded(), self.tokenizer))
        for _ in range(max_tokens):
            token = _pick(logits, (ids + generated)[-REPEAT_LAST:])
            if token in stop:
                break
            generated.append(token)
            text = self.tokenizer.decode(generated, skip_special_tokens=True)
            if not text.endswith("\ufffd"):  # wait for the rest of a split character
                yield text[len(shown) :]
                shown = text
            out = self._loaded()(
                self.torch.tensor([[token]], device=self.device), past_key_values=self._cache, use_cache=True
            )
            self._cache = out.past_key_values
            self._cached_ids.append(token)
            logits = out.logits[0, -1]

    def _loaded(self) -> Any:
        if self._model is None:
            _, transformers = _libraries()
            self._model = transformers.AutoModelForCausalLM.from_pretrained(
                self.folder, dtype=self.dtype, attn_implementation="sdpa", **self._gguf
            ).to(self.device)
            self._model.eval()
        return self._model


def _pick(logits: Any, recent: list[int]) -> int:
    """Greedy choice after dividing down (or multiplying up) the scores of recent tokens."""
    scores = logits.float().clone()
    seen = list(set(recent))
    picked = scores[seen]
    scores[seen] = picked.where(picked < 0, picked / REPEAT_PENALTY).where(picked >= 0, picked * REPEAT_PENALTY)
    return int(scores.argmax())


def _eos_ids(model: Any, tokenizer: Any) -> list[int]:
    ids = model.generation_config.eos_token_id
    listed = ids if isinstance(ids, list) else [ids]
    return [i for i in [*listed, tokenizer.eos_token_id] if i is not None]


def _common_prefix(a: list[int], b: list[int], limit: int) -> int:
    n = 0
    for x, y in zip(a[:limit], b[:limit], strict=False):
        if x != y:
            break
        n += 1
    return n


def _claims(spec: str | None) -> bool:
    return spec is not None and spec.startswith(HF_PREFIX)


register_backend("torch", _claims)(TorchBackend)
