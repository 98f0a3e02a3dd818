"""`lecto models`: the GGUF models already on this machine, by the names `--model` accepts.

The default (`*`, `"default": true`) is the model `lecto ask` opens without `--model`: the
one `LECTO_MODEL` or the config file names, else the bundled one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from lecto.cli.options import DebugOpt

if TYPE_CHECKING:
    from lecto.backends.models import Model

EXAMPLES = """
Examples:

  lecto models

  lecto ask --model ollama:qwen2.5:7b paper.pdf "What does the protocol guarantee?"

  LECTO_MODELS_PATH=~/models lecto models --json

Looked in: lecto's bundled model, Ollama's store ($OLLAMA_MODELS or ~/.ollama/models),
LM Studio's models folder (~/.lmstudio/models), the Hugging Face cache ($HF_HUB_CACHE,
$HF_HOME/hub or ~/.cache/huggingface/hub) and every folder in $LECTO_MODELS_PATH.
"""


def models(
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object a model, in a list.")] = False,
    # Read as `ask` reads it (LECTO_MODEL, then the config file), only to mark the default.
    model: Annotated[Optional[str], typer.Option("--model", envvar="LECTO_MODEL", hidden=True)] = None,
    debug: DebugOpt = False,
) -> None:
    """List the GGUF models on this machine: bundled, Ollama, LM Studio, Hugging Face, LECTO_MODELS_PATH."""
    from rich.text import Text  # the model stores and Rich load only now (see cli/options.py)

    from lecto.backends.models import find_models
    from lecto.cli import render

    found = find_models()
    default = _default(found, model)
    if json_out:
        rows = [m.to_json() | {"default": m is default} for m in found]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    width = max(len(m.name) for m in found)
    show = render.console()
    for m in found:
        mark = "*" if m is default else " "
        name = (render.safe(m.name.ljust(width)), "bold")
        show.print(Text.assemble(f"{mark} ", name, f"  {_size(m):>8}  ", render.safe(str(m.path))))


def _default(found: list[Model], spec: str | None) -> Model | None:
    """The listed model `--model` would open when not given: the one named, else the bundled one."""
    from lecto.backends.models import Store

    if spec is None:
        return next((m for m in found if m.store is Store.BUNDLED), None)
    path = Path(spec).expanduser()
    return next((m for m in found if m.name == spec or (path.exists() and m.path.samefile(path))), None)


def _size(m: Model) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if m.size >= scale:
            return f"{m.size / scale:.1f} {unit}"
    return f"{m.size} B"
