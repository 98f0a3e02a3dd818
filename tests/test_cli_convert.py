"""Options converted without pydantic (cli/convert.py) end as Typer's own conversion ends them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from conftest import EXAMPLES
from lecto.cli.app import app
from lecto.cli.convert import Plain
from lecto.data import Mode

ASK = typer.main.get_command(app).commands["ask"]  # type: ignore[attr-defined]
PARAMS = {p.name: p for p in ASK.params}

# (ask's parameter, a value as the command line or a default gives it). Out of range, malformed,
# unknown: Typer's conversion decides, and the plain one must not decide otherwise.
CASES = [
    ("args", ("paper.pdf", "What is it?")),
    ("args", ("", "   ")),
    ("model", "ollama:qwen2.5:7b"),
    ("model", ""),
    ("budget", "4000"),
    ("budget", "-3"),
    ("budget", "0"),
    ("budget", "1"),
    ("budget", "4.0"),
    ("budget", "+5"),
    ("budget", " 5"),
    ("budget", "1_000"),
    ("budget", "1e3"),
    ("budget", "many"),
    ("budget", 7),
    ("gpu_layers", 0),
    ("gpu_layers", "-1"),
    ("gpu_layers", "-2"),
    ("max_wait", "20"),
    ("max_wait", "2.5"),
    ("max_wait", ".5"),
    ("max_wait", "5."),
    ("max_wait", "-0.1"),
    ("max_wait", "1e3"),
    ("max_wait", "inf"),
    ("max_wait", "nan"),
    ("max_wait", "soon"),
    ("mode", Mode.AUTO),
    ("mode", "full"),
    ("mode", "FULL"),
    ("mode", "sideways"),
    ("output", "jsonl"),
    ("cache_dir", "/tmp/lecto-cache"),
    ("cache_dir", str(EXAMPLES)),
    ("cache_dir", str(EXAMPLES / "garden-handbook.md")),
    ("cache_dir", "~/cache"),
    ("cache_dir", ""),
    ("cache_dir", Path("relative/cache")),
]


def _outcome(convert: Any, param: Any, value: Any) -> tuple[str, Any]:
    try:
        result = convert._coerce_value(value, param=param, ctx=Context(ASK))
    except BadParameter as e:
        return "refused", e.format_message()
    return type(result).__name__, result


@pytest.mark.parametrize(("name", "value"), CASES, ids=[f"{n}={v!r}" for n, v in CASES])
def test_a_value_converts_as_typer_converts_it(name: str, value: Any) -> None:
    param = PARAMS[name]
    typers = build_runtime_param(param.type_descriptor)
    plain = Plain(param.type_descriptor.parameter_info, param.type_descriptor.annotation)
    assert _outcome(plain, param, value) == _outcome(typers, param, value)
