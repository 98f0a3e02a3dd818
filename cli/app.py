"""The `lecto` command: assembles the subcommands and turns errors into one-line messages."""

from __future__ import annotations

import os
import signal
import sys
from typing import Annotated

import typer

from lecto.cli import ask as ask_cmd
from lecto.cli import cache as cache_cmd
from lecto.cli import inspect as inspect_cmd
from lecto.cli import log as log_cmd
from lecto.cli import models as models_cmd
from lecto.cli import tui as tui_cmd
from lecto.cli.errors import EXIT_INTERRUPTED, EXIT_PIPE_CLOSED, report, wants_json
from lecto.cli.options import PlainHelp
from lecto.config import Config, load_config
from lecto.errors import ConfigError

app = typer.Typer(
    name="lecto",
    cls=tui_cmd.SourcesOpenTheReadingRoom,
    help="Answer questions about long documents with a local model, and show where every answer came from.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command(
    cls=PlainHelp, epilog=ask_cmd.EXAMPLES, short_help="Answer a question from documents, with checked citations."
)(ask_cmd.ask)
app.add_typer(cache_cmd.app, name="cache", short_help="See or clear the cache.")
app.command(cls=PlainHelp, epilog=inspect_cmd.EXAMPLES, short_help="Show what lecto reads from each source.")(
    inspect_cmd.inspect
)
app.command(cls=PlainHelp, epilog=log_cmd.EXAMPLES)(log_cmd.log)
app.command(
    cls=PlainHelp, epilog=tui_cmd.EXAMPLES, short_help="Open the reading room: ask, follow up, check citations."
)(tui_cmd.tui)
app.command(cls=PlainHelp, epilog=models_cmd.EXAMPLES, short_help="List the GGUF models on this machine.")(
    models_cmd.models
)


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version  # 80 ms to import: only when asked

        sys.stdout.write(f"lecto {version('lecto')}\n")
        raise typer.Exit()


@app.callback()
def root(
    _: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Answer questions about long documents with a local model, and show where every answer came from."""


def _defaults(command: typer.core.TyperGroup, config: Config) -> dict[str, dict[str, object]]:
    """The config file's settings as each command's option defaults (a flag or variable still wins)."""
    settings = config.settings()
    return {
        name: {key: value for key, value in settings.items() if key in {p.name for p in sub.params}}
        for name, sub in command.commands.items()
    }


def _config() -> tuple[Config, ConfigError | None]:
    """The config file's settings, or none and why the file cannot be used.

    A bad file is reported by the command that reads it (`PlainHelp.invoke`), once its
    arguments are parsed: help, `--version` and the commands that take none of its settings
    still work, so the user can read how to fix it.
    """
    try:
        return load_config(), None
    except ConfigError as e:
        return Config(), e


def main() -> None:
    argv = sys.argv[1:]
    try:
        command = typer.main.get_command(app)
        config, broken = _config()
        code = command.main(
            argv, prog_name="lecto", standalone_mode=False, default_map=_defaults(command, config), obj=broken
        )
        if code == EXIT_INTERRUPTED:  # Typer turns Ctrl-C into a silent Exit(130); say why we stopped
            code = report(KeyboardInterrupt(), debug=False, json_out=wants_json(argv))
    except BrokenPipeError:
        # The reader stopped reading (`lecto log | head -1`): nothing is wrong, and nothing more can be said on
        # stdout. End as a command that SIGPIPE stopped, without Python's "Exception ignored" on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_PIPE_CLOSED
    except BaseException as error:  # noqa: BLE001 - every failure leaves through report()
        if isinstance(error, SystemExit):
            raise
        code = report(error, debug="--debug" in argv, json_out=wants_json(argv))
    # The work is done and reported; a Ctrl-C now would only interrupt the model's teardown
    # and print "Exception ignored in Llama.__del__" noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code or 0)
