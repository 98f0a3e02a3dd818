"""Options shared by several commands, declared once as `Annotated` types, and the settings they build."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from lecto.backends import ModelOptions
from lecto.paths import cache_dir
from lecto.session import Settings

ModelOpt = Annotated[
    Optional[str],
    typer.Option(
        "--model",
        "-m",
        envvar="LECTO_MODEL",
        help="A .gguf file (default: the bundled SmolLM2-135M-Instruct).",
        show_default=False,
    ),
]
CtxOpt = Annotated[Optional[int], typer.Option("--ctx", min=256, help="Cap the model's context window (tokens).")]
GpuLayersOpt = Annotated[
    int, typer.Option("--gpu-layers", min=-1, help="Layers to offload to a GPU (llama.cpp built with CUDA; -1 = all).")
]
CacheDirOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--cache-dir", envvar="LECTO_CACHE_DIR", help="Where parsed documents are cached.", show_default=False
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]


def settings(model: str | None, ctx: int | None, gpu_layers: int, cache: Path | None) -> Settings:
    return Settings(cache_dir=cache_dir(cache), model=ModelOptions(spec=model, ctx=ctx, gpu_layers=gpu_layers))
