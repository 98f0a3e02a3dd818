"""Document prefixes kept on disk: the next process loads them, answers stay the same, the folder stays bounded."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lecto.backends import ModelOptions
from lecto.backends.llama import LlamaBackend

DOC = "Lighthouse log.\n\nThe lighthouse keeper of Nimbrook is Ada Varga. She lit the lamp every night in 1887.\n" * 8


def ask(prefix_dir: Path, question: str) -> str:
    backend = LlamaBackend(ModelOptions(spec=None, ctx=1024, prefix_dir=prefix_dir))
    return "".join(backend.stream([{"role": "user", "content": f"{DOC}\nQuestion: {question}"}], 16))


def test_next_process_loads_the_stored_prefix_and_answers_alike(tmp_path: Path) -> None:
    fresh = ask(tmp_path / "a", "Who is the keeper?")
    states = list((tmp_path / "a").rglob("*.state"))
    assert len(states) == 1
    before = states[0].stat().st_mtime_ns
    again = ask(tmp_path / "a", "Who is the keeper?")
    # After loading a state llama.cpp evaluates the prompt's last token alone, which rounds
    # unlike the batch a fresh pre-fill runs it in, so a later token may differ; the answer may not.
    assert "Ada Varga" in fresh
    assert again.split(".")[0] == fresh.split(".")[0]
    assert states[0].stat().st_mtime_ns > before or len(list((tmp_path / "a").rglob("*.state"))) == 2


def test_cache_evicts_the_least_recently_used(tmp_path: Path) -> None:
    from lecto.backends.prefix_cache import DiskPrefixCache

    backend = LlamaBackend(ModelOptions(spec=None, ctx=1024))
    llm = backend._model()
    cache = DiskPrefixCache(tmp_path, llm.scores.shape, capacity_bytes=1)
    llm.eval(llm.tokenize(b"The lighthouse keeper"))
    cache[[1, 2, 3]] = llm.save_state()
    cache[[1, 2, 4]] = llm.save_state()
    kept = list(tmp_path.glob("*.state"))
    assert len(kept) == 1
    assert np.load(kept[0].with_suffix(".npy")).tolist() == [1, 2, 4]
    assert [9] not in cache
