"""The `lecto` command: assembles the subcommands and turns errors into one-line messages."""

from __future__ import annotations

import signal
import sys

import typer

from lecto.cli import ask as ask_cmd
from lecto.cli import cache as cache_cmd
from lecto.cli import inspect as inspect_cmd
from lecto.cli import tui as tui_cmd
from lecto.cli.errors import EXIT_INTERRUPTED, report

app = typer.Typer(
    name="lecto",
    cls=tui_cmd.SourcesOpenTheReadingRoom,
    help="Answer questions about long documents with a local model, and show where every answer came from.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
app.command(epilog=ask_cmd.EXAMPLES)(ask_cmd.ask)
app.add_typer(cache_cmd.app, name="cache")
app.command(epilog=inspect_cmd.EXAMPLES)(inspect_cmd.inspect)
app.command(epilog=tui_cmd.EXAMPLES)(tui_cmd.tui)


@app.callback()
def root() -> None:
    """Answer questions about long documents with a local model, and show where every answer came from."""


def main() -> None:
    try:
        code = app(prog_name="lecto", standalone_mode=False)
        if code == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into a silent Exit(130); say why we stopped
            code = report(KeyboardInterrupt(), debug=False)
    except BaseException as error:  # noqa: BLE001 - every failure leaves through report()
        if isinstance(error, SystemExit):
            raise
        code = report(error, debug="--debug" in sys.argv[1:])
    # The work is done and reported; a Ctrl-C now would only interrupt the model's teardown
    # and print "Exception ignored in Llama.__del__" noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code or 0)
