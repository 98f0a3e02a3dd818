"""The one place where errors become what the user sees: one line on stderr and an exit code."""

from __future__ import annotations

import sys
import traceback

import typer

from lecto.errors import LectoError
from lecto.visible import visible

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def report(error: BaseException, *, debug: bool) -> int:
    if debug:
        # Plain frames only: locals would print document text.
        traceback.print_exception(error)
    if isinstance(error, LectoError):
        sys.stderr.write(f"lecto: {visible(str(error))}\n")
        return error.exit_code
    if isinstance(error, (KeyboardInterrupt, typer.Abort)):
        sys.stderr.write("lecto: interrupted\n")
        return EXIT_INTERRUPTED
    if isinstance(error, typer.TyperException):  # Typer's usage errors know how to show themselves
        error.show()  # type: ignore[attr-defined]
        return int(error.exit_code)  # type: ignore[attr-defined]
    sys.stderr.write(f"lecto: internal error: {type(error).__name__}: {error} (run with --debug for details)\n")
    return EXIT_ERROR
