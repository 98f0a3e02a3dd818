"""`lecto models`: the GGUF models already on this machine, by the names `--model` accepts."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.text import Text

from lecto.backends.models import Model, find_models
from lecto.cli import render
from lecto.cli.options import DebugOpt

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
    debug: DebugOpt = False,
) -> None:
    """List the GGUF models on this machine: bundled, Ollama, LM Studio, Hugging Face, LECTO_MODELS_PATH."""
    found = find_models()
    if json_out:
        sys.stdout.write(json.dumps([m.to_json() for m in found], ensure_ascii=False, indent=2) + "\n")
        return
    width = max(len(m.name) for m in found)
    show = render.console()
    for m in found:
        show.print(
            Text.assemble((render.safe(m.name.ljust(width)), "bold"), f"  {_size(m):>8}  ", render.safe(str(m.path)))
        )


def _size(m: Model) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if m.size >= scale:
            return f"{m.size / scale:.1f} {unit}"
    return f"{m.size} B"
