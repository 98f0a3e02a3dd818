"""The one place where errors become what the user sees: one line on stderr and an exit code.

Under `--json` (or `--jsonl`, `--format json|jsonl`) every command also prints the error on
stdout in one shape, `{"error": {"source", "message", "hint"}}`, so a script reading stdout
learns why there is no answer without parsing stderr.
"""

from __future__ import annotations

import json
import sys
import traceback
from dataclasses import asdict, dataclass

import typer

from lecto.errors import LectoError
from lecto.visible import visible

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
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


def _explain(error: BaseException) -> tuple[Failure, int]:
    """Say the error on stderr, as a person reads it, and return it as scripts read it."""
    if isinstance(error, LectoError):
        sys.stderr.write(f"lecto: {visible(str(error))}\n")
        return Failure(error.source, error.message, error.hint), error.exit_code
    if isinstance(error, (KeyboardInterrupt, typer.Abort)):
        sys.stderr.write("lecto: interrupted\n")
        return Failure(None, "interrupted"), EXIT_INTERRUPTED
    if isinstance(error, typer.TyperException):  # Typer's usage errors know how to show themselves
        error.show()  # type: ignore[attr-defined]
        return Failure(None, error.format_message()), int(error.exit_code)  # type: ignore[attr-defined]
    sys.stderr.write(f"lecto: internal error: {type(error).__name__}: {error} (run with --debug for details)\n")
    return Failure(None, f"internal error: {type(error).__name__}: {error}", "run with --debug for details"), EXIT_ERROR
