"""The one place where errors become what the user sees: one line on stderr and an exit code.

Under `--json` (or `--jsonl`, `--format json|jsonl`) every command also prints the error on
stdout in one shape, `{"error": {"source", "message", "hint"}}`, so a script reading stdout
learns why there is no answer without parsing stderr.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from dataclasses import asdict, dataclass

import typer
from typer._click.exceptions import ClickException, UsageError

from lecto.errors import LectoError
from lecto.visible import visible

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
# What a shell reports for a command that SIGPIPE ended (128 + 13), as for `cat` or `grep` before `head`.
EXIT_PIPE_CLOSED = 141
_JSON_FORMATS = {"json", "jsonl"}


@dataclass(frozen=True)
class Failure:
    """An error as scripts see it."""

    source: str | None
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, dict[str, str | None]]:
        return {"error": asdict(self)}


def wants_json(argv: list[str]) -> bool:
    """Whether the command line asks for JSON output, read before (or without) Typer's parsing."""
    formats = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--format"]
    formats += [arg.removeprefix("--format=") for arg in argv if arg.startswith("--format=")]
    return bool({"--json", "--jsonl"} & set(argv)) or any(f.lower() in _JSON_FORMATS for f in formats)


def report(error: BaseException, *, debug: bool, json_out: bool = False) -> int:
    if debug:
        # Plain frames only: locals would print document text.
        traceback.print_exception(error)
    failure, code = _explain(error)
    if json_out:
        sys.stdout.write(json.dumps(failure.to_json(), ensure_ascii=False) + "\n")
    return code


# Typer converts option values through pydantic, whose messages for a refused value begin so.
_PYDANTIC_PREFIX = "Value error, "
# The capital that opens Typer's message and its reason ("Invalid value for '--budget': Input should…"), not a name's.
_SENTENCE_START = re.compile(r"(^|': )([A-Z])(?=[a-z])")


def _typers(error: ClickException) -> tuple[str, str | None]:
    """Typer's message for a bad command line in lecto's words (lower case, no pydantic prefix) and where help is."""
    message = error.format_message().replace(_PYDANTIC_PREFIX, "").rstrip(".")
    message = _SENTENCE_START.sub(lambda m: m[1] + m[2].lower(), message)
    ctx = error.ctx if isinstance(error, UsageError) else None
    return message, f"see '{ctx.command_path} -h'" if ctx else None


def _explain(error: BaseException) -> tuple[Failure, int]:
    """Say the error on stderr, as a person reads it, and return it as scripts read it."""
    if isinstance(error, LectoError):
        sys.stderr.write(f"lecto: {visible(str(error))}\n")
        return Failure(error.source, error.message, error.hint), error.exit_code
    if isinstance(error, (KeyboardInterrupt, typer.Abort)):
        sys.stderr.write("lecto: interrupted\n")
        return Failure(None, "interrupted"), EXIT_INTERRUPTED
    if isinstance(error, ClickException):  # a bad option or argument, as Typer found it
        message, hint = _typers(error)
        sys.stderr.write(f"lecto: {visible(message)} ({hint})\n" if hint else f"lecto: {visible(message)}\n")
        return Failure(None, message, hint), int(error.exit_code)
    sys.stderr.write(f"lecto: internal error: {type(error).__name__}: {error} (run with --debug for details)\n")
    return Failure(None, f"internal error: {type(error).__name__}: {error}", "run with --debug for details"), EXIT_ERROR
