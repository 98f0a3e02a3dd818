"""The GGUF models already on this machine, and the names `--model` knows them by.

Ollama, LM Studio and the Hugging Face cache each keep models in their own layout (Ollama
under content-addressed blobs named by a manifest), so a user who has pulled `qwen2.5:7b`
would otherwise have to dig out a file named `sha256-…`. Each store is one finder in a
registry; `lecto models` lists what they find and `--model ollama:qwen2.5:7b` opens it.
Nothing here reads more than a file's first bytes: listing is instant however big the models.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from lecto.errors import UsageError

GGUF_MAGIC = b"GGUF"
# Ollama's own registry and namespace, left out of its names as `ollama list` leaves them out.
OLLAMA_REGISTRY = "registry.ollama.ai"
OLLAMA_LIBRARY = "library"
OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model"
OLLAMA_DEFAULT_TAG = "latest"
# Vision projectors and the later parts of a split model are not models one can open alone.
_NOT_A_MODEL = ("mmproj",)
_LATER_PART = "-00001-of-"


class Store(StrEnum):
    """Where a model was found; its value is the prefix of the model's name."""

    BUNDLED = "bundled"
    OLLAMA = "ollama"
    LMSTUDIO = "lmstudio"
    HF = "hf"
    LOCAL = "local"  # a folder named in LECTO_MODELS_PATH


@dataclass(frozen=True)
class Model:
    name: str  # what `--model` accepts, e.g. "ollama:qwen2.5:7b"
    store: Store
    path: Path
    size: int  # bytes

    def to_json(self) -> dict[str, str | int]:
        return {"name": self.name, "store": self.store.value, "path": str(self.path), "size": self.size}


Finder = Callable[[], Iterator[Model]]
_FINDERS: dict[Store, Finder] = {}


def finder(store: Store) -> Callable[[Finder], Finder]:
    def wrap(find: Finder) -> Finder:
        _FINDERS[store] = find
        return find

    return wrap


def find_models() -> list[Model]:
    """Every model on the machine, store by store, each store's sorted by name."""
    return [m for find in _FINDERS.values() for m in sorted(find(), key=lambda m: m.name)]


def resolve(spec: str) -> Model | None:
    """The model a store name names; None when `spec` is no store name (a path, `openai:…`, `hf:DIR`)."""
    store, _, rest = spec.partition(":")
    if store not in {s.value for s in Store} or (store == Store.HF and Path(rest).expanduser().is_dir()):
        return None
    models = list(_FINDERS[Store(store)]())
    wanted = _ollama_name(rest) if store == Store.OLLAMA else rest
    exact = [m for m in models if m.name in (spec, f"{store}:{wanted}")]
    inside = [m for m in models if m.name.startswith(f"{store}:{rest.rstrip('/')}/")]
    chosen = exact or inside
    if len(chosen) == 1:
        return chosen[0]
    if chosen:
        names = ", ".join(m.name for m in chosen)
        raise UsageError(f"--model {spec} names {len(chosen)} models", hint=f"choose one: {names}")
    close = difflib.get_close_matches(spec, [m.name for m in models], n=1)
    hint = f"did you mean {close[0]}? lecto models lists them" if close else "lecto models lists them"
    raise UsageError(f"no model named {spec} on this machine", hint=hint)


def is_gguf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == GGUF_MAGIC
    except OSError:
        return False


def _model(name: str, store: Store, path: Path) -> Model:
    return Model(name, store, path, path.stat().st_size)


def _ggufs(folder: Path) -> Iterator[Path]:
    """The GGUF model files under `folder`, without projectors or the later parts of split models."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*.gguf")):
        later = "-of-" in path.name and _LATER_PART not in path.name
        if not path.name.lower().startswith(_NOT_A_MODEL) and not later and is_gguf(path):
            yield path


@finder(Store.BUNDLED)
def _bundled() -> Iterator[Model]:
    from lecto.backends.llama import bundled_model  # the llama backend owns where its default lives

    yield _model(Store.BUNDLED.value, Store.BUNDLED, bundled_model())


def ollama_dirs() -> list[Path]:
    """`OLLAMA_MODELS`, else the user's store and the Linux service's."""
    if env := os.environ.get("OLLAMA_MODELS"):
        return [Path(env).expanduser()]
    return [Path.home() / ".ollama" / "models", Path("/usr/share/ollama/.ollama/models")]


@finder(Store.OLLAMA)
def _ollama() -> Iterator[Model]:
    for root in ollama_dirs():
        manifests = root / "manifests"
        if not manifests.is_dir():
            continue
        for manifest in sorted(p for p in manifests.rglob("*") if p.is_file()):
            blob = _ollama_blob(root, manifest)
            if blob is not None:
                yield _model(f"{Store.OLLAMA}:{_ollama_label(manifest.relative_to(manifests))}", Store.OLLAMA, blob)


def _ollama_blob(root: Path, manifest: Path) -> Path | None:
    """The model layer a manifest names, as a blob file (`sha256:abc` is stored as `blobs/sha256-abc`)."""
    try:
        layers = json.loads(manifest.read_text(encoding="utf-8")).get("layers", [])
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return None
    for layer in layers:
        if isinstance(layer, dict) and layer.get("mediaType") == OLLAMA_MODEL_LAYER:
            blob = root / "blobs" / str(layer.get("digest", "")).replace(":", "-")
            return blob if is_gguf(blob) else None
    return None


def _ollama_label(relative: Path) -> str:
    """`registry.ollama.ai/library/qwen2.5/7b` as Ollama names it: `qwen2.5:7b`."""
    *place, model, tag = relative.parts
    if place[:1] == [OLLAMA_REGISTRY]:
        place = place[1:]
    if place == [OLLAMA_LIBRARY]:
        place = []
    return "/".join([*place, model]) + f":{tag}"


def _ollama_name(rest: str) -> str:
    return rest if ":" in rest else f"{rest}:{OLLAMA_DEFAULT_TAG}"


def lmstudio_dirs() -> list[Path]:
    home = Path.home()
    return [home / ".lmstudio" / "models", home / ".cache" / "lm-studio" / "models"]


@finder(Store.LMSTUDIO)
def _lmstudio() -> Iterator[Model]:
    for root in lmstudio_dirs():
        for path in _ggufs(root):
            yield _model(f"{Store.LMSTUDIO}:{path.relative_to(root).as_posix()}", Store.LMSTUDIO, path)


def hf_cache() -> Path:
    """The Hugging Face hub cache, where `huggingface-cli download` puts models."""
    if env := os.environ.get("HF_HUB_CACHE"):
        return Path(env).expanduser()
    if env := os.environ.get("HF_HOME"):
        return Path(env).expanduser() / "hub"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "huggingface" / "hub"


@finder(Store.HF)
def _hf() -> Iterator[Model]:
    for repo in sorted(hf_cache().glob("models--*")):
        snapshot = _hf_snapshot(repo)
        if snapshot is None:
            continue
        name = repo.name.removeprefix("models--").replace("--", "/")
        for path in _ggufs(snapshot):
            # The snapshot holds links into blobs/; the path shown is the link, named as the file.
            yield _model(f"{Store.HF}:{name}/{path.relative_to(snapshot).as_posix()}", Store.HF, path)


def _hf_snapshot(repo: Path) -> Path | None:
    """The revision `refs/main` names, else the newest one downloaded."""
    try:
        main = (repo / "refs" / "main").read_text(encoding="utf-8").strip()
    except OSError:
        main = ""
    if main and (repo / "snapshots" / main).is_dir():
        return repo / "snapshots" / main
    snapshots = sorted((repo / "snapshots").glob("*"), key=lambda p: p.stat().st_mtime)
    return snapshots[-1] if snapshots else None


def local_dirs() -> list[Path]:
    return [Path(p).expanduser() for p in os.environ.get("LECTO_MODELS_PATH", "").split(os.pathsep) if p]


@finder(Store.LOCAL)
def _local() -> Iterator[Model]:
    for root in local_dirs():
        for path in _ggufs(root):
            yield _model(f"{Store.LOCAL}:{path.relative_to(root).as_posix()}", Store.LOCAL, path)
