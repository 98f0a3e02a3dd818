"""llama.cpp prompt states on disk, so the next `lecto ask` over the same documents skips their pre-fill.

llama-cpp-python asks its cache for the stored state sharing the longest token prefix with
a new prompt and evaluates only the rest. The prompt is the template, then the documents,
then the question, so the key — the model's own tokens — already names (model, corpus,
template); one folder per model file keeps models apart. Its own `LlamaDiskCache` writes to
stderr and stores a 100 MB logits buffer per entry; this one stores the state alone and
evicts the least recently used entries past a size bound.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from llama_cpp.llama_cache import BaseLlamaCache

# A few corpora's states for the bundled model (tens of MB each); least recently used go first.
CAPACITY_BYTES = 1 << 30


class DiskPrefixCache(BaseLlamaCache):
    def __init__(self, folder: Path, scores_shape: tuple[int, int], capacity_bytes: int = CAPACITY_BYTES):
        super().__init__(capacity_bytes)
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._scores_shape = scores_shape

    @property
    def cache_size(self) -> int:
        return sum(p.stat().st_size for p in self.folder.glob("*.state"))

    def __getitem__(self, key: Sequence[int]) -> Any:
        path = self._longest(tuple(key))
        if path is None:
            raise KeyError("no stored prefix")
        state = pickle.loads(path.read_bytes())
        path.touch()  # recently used
        rows, vocab = self._scores_shape
        state.scores = np.zeros((min(state.n_tokens, rows), vocab), dtype=np.single)
        return state

    def __contains__(self, key: Sequence[int]) -> bool:
        return self._longest(tuple(key)) is not None

    def __setitem__(self, key: Sequence[int], value: Any) -> None:
        name = hashlib.sha256(np.asarray(key, dtype=np.int32).tobytes()).hexdigest()[:32]
        value.scores = np.zeros((0, 0), dtype=np.single)  # recomputed on use; 100 MB otherwise
        np.save(self.folder / f"{name}.npy", np.asarray(key, dtype=np.int32))
        tmp = self.folder / f"{name}.tmp"
        tmp.write_bytes(pickle.dumps(value))
        tmp.replace(self.folder / f"{name}.state")  # readers never see half a state
        self._evict()

    def _longest(self, key: tuple[int, ...]) -> Path | None:
        best, best_len = None, 0
        for tokens_file in self.folder.glob("*.npy"):
            state = tokens_file.with_suffix(".state")
            stored = np.load(tokens_file)
            n = min(len(stored), len(key))
            same = int(np.argmin(np.append(stored[:n] == np.asarray(key[:n]), False)))
            if same > best_len and state.exists():
                best, best_len = state, same
        return best

    def _evict(self) -> None:
        states = sorted(self.folder.glob("*.state"), key=lambda p: p.stat().st_mtime_ns)
        while len(states) > 1 and self.cache_size > self.capacity_bytes:  # the newest always stays
            oldest = states.pop(0)
            oldest.unlink(missing_ok=True)
            oldest.with_suffix(".npy").unlink(missing_ok=True)
