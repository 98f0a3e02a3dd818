"""Option values converted as Typer converts them, without importing pydantic to do it.

Typer 0.29 converts every parameter's value, its default included, through a pydantic
`TypeAdapter`, and importing pydantic takes longer than the rest of `lecto ask -h` (about
0.13 s of 0.3 s). The values lecto's options take, text, whole and decimal numbers, its enums and
paths, convert with Python's own types to what Typer would return, through Typer's own choice
and path checks; `convert_plainly` sets that up for a command's parameters. Anything not
converted exactly so (a malformed number, one out of range, an unknown choice, another type)
goes to Typer's conversion, which says what is wrong in its own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import Context, Parameter
from typer._coercion import RuntimeParam, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path, lenient_issubclass
from typer.core import _TyperParameter
from typer.models import ParameterInfo

# What pydantic's lax mode reads as a number, and no more: no "1e3", "inf", "1_000" or spaces,
# which Typer's conversion then accepts or refuses as it always has.
_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?(\d+\.?\d*|\.\d+)")


def convert_plainly(params: list[Parameter]) -> None:
    """Have each of a command's own parameters convert its value as `Plain` does."""
    for param in params:
        if isinstance(param, _TyperParameter) and not isinstance(param._runtime_param, Plain) and _plain_kind(param):
            descriptor = param.type_descriptor
            param._runtime_param = Plain(descriptor.parameter_info, descriptor.annotation)


def _plain_kind(param: _TyperParameter) -> bool:
    """Not a file opened for the command, nor a value its own parser reads: those stay Typer's."""
    descriptor = param.type_descriptor
    return descriptor.file_annotation is None and descriptor.parameter_info.parser is None


@dataclass(frozen=True)
class Plain(RuntimeParam):
    """A value converted with Python's types where that gives what Typer's conversion would."""

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        converted = _convert(value, self.annotation, self.parameter_info, param, ctx)
        if converted is None:  # a value is never None here: RuntimeParam.coerce returned None already
            return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)
        return converted


def _convert(value: Any, annotation: Any, info: ParameterInfo, param: _TyperParameter, ctx: Context) -> Any:
    """`value` as `annotation`, or None where Typer's conversion should decide."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        items = [_convert(v, item, info, param, ctx) for v in value]
        return None if any(v is None for v in items) else items
    if annotation is str:
        return value if isinstance(value, str) else None
    if annotation is bool:
        return value if isinstance(value, bool) else None
    if annotation in (int, float):
        return _number(value, annotation, info)
    if lenient_issubclass(annotation, Enum):
        return _choice(value, annotation, info, ctx)
    if lenient_issubclass(annotation, Path) and info.path_type is None:
        return _path(value, annotation, info, param, ctx)
    return None


def _number(value: Any, kind: type[int] | type[float], info: ParameterInfo) -> int | float | None:
    if isinstance(value, str) and (_INT if kind is int else _FLOAT).fullmatch(value):
        number = kind(value)
    elif type(value) in (int, float) and (kind is float or type(value) is int):
        number = kind(value)
    else:
        return None
    in_range = (info.min is None or number >= info.min) and (info.max is None or number <= info.max)
    return number if in_range and not info.clamp else None


def _choice(value: Any, enum: type[Enum], info: ParameterInfo, ctx: Context) -> Enum | None:
    try:
        return coerce_cli_choice(value, choices=tuple(enum), case_sensitive=info.case_sensitive, ctx=ctx)
    except ValueError:  # not one of them: Typer's conversion says so, listing the choices
        return None


def _path(value: Any, kind: type[Path], info: ParameterInfo, param: _TyperParameter, ctx: Context) -> Any:
    if isinstance(value, str) and value:
        value = kind(value)  # what pydantic makes of a path's text; Typer's own checks follow
    if not isinstance(value, kind):
        return None
    return coerce_cli_path(value, info, path_type=kind, param=param, ctx=ctx)
