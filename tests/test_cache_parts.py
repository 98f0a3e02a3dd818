"""`lecto cache info` accounts for every part on disk, and `lecto cache clear --PART` empties that part alone.

The cache is built from real parts: a parsed document, llama.cpp prefix states from the bundled
model, vectors, a speed and a logged question in the real SQLite file.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES
from lecto.backends import ModelOptions
from lecto.backends.llama import LlamaBackend
from lecto.data import Mode, Status
from lecto.ingest import load_corpus
from lecto.store import PREFIX_DIR, Part, Store
from lecto.store.log import Entry
from lecto.store.speed import Speed

# An eighth of one prefix state of a one-line prompt: the named parts hold nearly all of the folder.
OTHER_AT_MOST = 128 << 10


def populate(cache: Path) -> None:
    backend = LlamaBackend(ModelOptions(spec=None, ctx=1024, prefix_dir=cache / PREFIX_DIR))
    "".join(backend.stream([{"role": "user", "content": "The pond has seven koi. How many koi?"}], 4))
    store = Store(cache)
    corpus = load_corpus([str(EXAMPLES / "garden-handbook.md")], store)
    store.put_vectors({c.id: np.ones(384, dtype=np.float32).tobytes() for c in corpus.chunks}, "minilm")
    store.put_speed("gguf:model.gguf:1|llama.cpp|host|x86_64", Speed(300.0, 20.0, time.time()))
    store.add_to_log(Entry(0, 0, time.time(), ["/h.md"], "How much?", "40 euros [1].", Status.ANSWERED, Mode.FULL, "m"))
    store.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("built") / "cache"
    populate(cache)
    return cache


@pytest.fixture
def cache(built: Path, cache_dir: Path) -> Path:
    shutil.copytree(built, cache_dir)
    return cache_dir


def on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_the_parts_add_up_to_the_folder_and_name_nearly_all_of_it(cache: Path) -> None:
    store = Store(cache)
    info = store.info()

    assert info.bytes == sum(info.parts.values()) == on_disk(cache)
    assert info.parts[Part.PREFIX] == on_disk(cache / PREFIX_DIR) > 1 << 19
    assert all(info.parts[p] > 0 for p in (Part.DOCUMENTS, Part.VECTORS, Part.SPEED, Part.LOG))
    assert info.parts[Part.OTHER] <= OTHER_AT_MOST
    assert info.questions == 1 and len(info.speeds) == 1


def test_cache_info_json_lists_every_part(cache: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    result = lecto("cache", "info", "--json")

    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert set(info["parts"]) == {p.value for p in Part}
    assert info["bytes"] == sum(part["bytes"] for part in info["parts"].values())
    assert info["parts"]["prefix"]["bytes"] > 1 << 19
    assert info["parts"]["documents"]["documents"] == {"text": 1}
    assert [s["prefill_tps"] for s in info["parts"]["speed"]["speeds"]] == [300.0]
    assert info["parts"]["log"]["questions"] == 1


def counts(cache: Path) -> dict[Part, int]:
    """How much each clearable part holds: rows, or the prefix folder's files."""
    store = Store(cache)
    info = store.info()
    held = {
        Part.DOCUMENTS: sum(info.documents.values()),
        Part.PREFIX: len(list((cache / PREFIX_DIR).rglob("*.state"))),
        Part.VECTORS: store.db.execute("SELECT count(*) FROM embeddings").fetchone()[0],
        Part.SPEED: len(info.speeds),
        Part.LOG: info.questions,
    }
    store.close()
    return held


@pytest.mark.parametrize("part", [Part.DOCUMENTS, Part.PREFIX, Part.VECTORS, Part.SPEED, Part.LOG])
def test_clearing_one_part_leaves_the_others(cache: Path, lecto, part: Part) -> None:  # type: ignore[no-untyped-def]
    before = counts(cache)
    assert all(before.values())

    result = lecto("cache", "clear", f"--{part.value}")

    assert result.returncode == 0, result.stderr
    after = counts(cache)
    assert after == {**before, part: 0}
