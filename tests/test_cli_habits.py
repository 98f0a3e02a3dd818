"""What people expect of any command line tool: --version, -h, readable help, hints, one error shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from conftest import EXAMPLES
from lecto.cli.app import app
from lecto.cli.options import PlainHelp

HANDBOOK = str(EXAMPLES / "garden-handbook.md")


def test_version(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"lecto {version('lecto')}\n"


@pytest.mark.parametrize("command", [[], ["ask"], ["inspect"], ["tui"], ["models"], ["cache"], ["cache", "info"]])
def test_short_help_is_plain(lecto, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = lecto(*command, "-h")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"Usage: lecto {' '.join(command)}".rstrip())
    assert "<bool>" not in r.stdout and "list[str]" not in r.stdout


def _leaves(group: TyperGroup, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    out = []
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            out += _leaves(command, (*path, name))
        else:
            out.append(((*path, name), command))
    return out


LEAVES = _leaves(typer.main.get_command(app))  # type: ignore[arg-type]


@pytest.mark.parametrize("path,command", LEAVES, ids=[" ".join(path) for path, _ in LEAVES])
def test_every_command_prints_plain_help_with_its_examples_as_written(lecto, path, command) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(command, PlainHelp)
    r = lecto(*path, "-h")
    assert r.returncode == 0, r.stderr
    assert f"\nExamples:\n\n  lecto {path[0]}" in r.stdout


# What answering, reading and drawing take to import: half a second that a usage error need not wait for;
# and pydantic, through which Typer would convert every option (a tenth of a second; see cli/convert.py).
HEAVY = (
    "lecto.session",
    "lecto.ingest",
    "lecto.store",
    "lecto.backends",
    "lecto.answer",
    "lecto.context",
    "rich",
    "pydantic",
)
_IMPORTED_BY = """
import sys
from lecto.__main__ import run
sys.argv = ["lecto", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
print("imported:", *sorted(m for m in sys.modules if m.startswith({heavy})), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["-h"],
        ["ask", "-h"],
        ["ask", HANDBOOK, "  "],
        ["ask", "--mode", "FULL", "--budget", "900", "--max-wait", "2.5", "--cache-dir", "/tmp/c", HANDBOOK, ""],
        ["cache", "info", "-h"],
        ["log", "-h"],
    ],
    ids=" ".join,
)
def test_help_version_and_usage_errors_import_no_model_ingest_or_store(args: list[str]) -> None:
    script = _IMPORTED_BY.format(heavy=HEAVY)
    r = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60)
    assert r.stderr.splitlines()[-1] == "imported:"


def test_ask_help_names_arguments_and_keeps_examples_as_written(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--help")
    assert r.returncode == 0, r.stderr
    assert "Usage: lecto ask [OPTIONS] SOURCE... QUESTION\n" in r.stdout
    assert '\n  lecto ask examples/garden-handbook.md "How much is the yearly plot fee?"\n' in r.stdout


@pytest.mark.parametrize(
    "args",
    [[HANDBOOK, "How much is the yearly plot fee?"], ["How much is the yearly plot fee?", HANDBOOK]],
    ids=["source-first", "question-first"],
)
def test_a_file_or_question_without_a_command_hints_at_ask(lecto, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = lecto(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1
    assert f"did you mean `lecto ask {HANDBOOK} 'How much is the yearly plot fee?'`?" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "--mode", "sideways"], "lecto: invalid value for '--mode': 'sideways' is not one of 'auto', 'full',"),
        (["ask", "--budget", "many"], "lecto: invalid value for '--budget': input should be a valid integer"),
        (["ask", "--colour"], "lecto: no such option: --colour"),
        (["tui", "--max-wait", "soon"], "lecto: invalid value for '--max-wait': input should be a valid number"),
    ],
    ids=["choice", "number", "option", "tui"],
)
def test_a_bad_option_is_one_line_in_lecto_s_words(lecto, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    r = lecto(*args, HANDBOOK, "How much is the yearly plot fee?")
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(message)
    assert r.stderr.endswith(f"(see 'lecto {args[0]} -h')\n")


@pytest.mark.parametrize("question", ["", "   ", "\t\n"], ids=["empty", "spaces", "whitespace"])
def test_an_empty_question_is_a_usage_error_before_anything_is_read(lecto, question: str) -> None:  # type: ignore[no-untyped-def]
    # The source does not exist: exit 2, not the missing file's 1, shows nothing was read.
    r = lecto("ask", "no-such-file.pdf", question)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr == 'lecto: the question is empty (ask it after the sources: lecto ask FILE "question")\n'


def test_a_question_forgotten_after_the_sources_is_a_usage_error(lecto) -> None:  # type: ignore[no-untyped-def]
    # Else the second file's name would be asked as the question, and answered.
    r = lecto("ask", HANDBOOK, HANDBOOK)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.startswith(f"lecto: the last argument is the question, and {HANDBOOK!r} names a file or folder")


def test_the_reading_room_over_a_missing_file_is_an_error_before_it_opens(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "missing.pdf"
    r = lecto("tui", HANDBOOK, str(missing), timeout=60)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr == f"lecto: {missing}: no such file or folder\n"


def test_a_folder_with_nothing_readable_is_an_error_naming_it(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "binaries"
    folder.mkdir()
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 8)
    r = lecto("ask", "--dry-run", str(folder), "What is in it?")
    assert r.returncode == 1
    assert r.stderr.startswith(f"lecto: {folder}: no readable document in it")


@pytest.mark.parametrize(
    ("args", "code", "source"),
    [
        (["ask", "--json", "missing.pdf", "What?"], 1, "missing.pdf"),
        (["ask", "--format", "jsonl", "missing.pdf", "What?"], 1, "missing.pdf"),
        (["ask", "--json", "--mode", "sideways", HANDBOOK, "What?"], 2, None),
        (["ask", "--json", HANDBOOK, " "], 2, None),
        (["inspect", "--json", "--model", "ollama:no-such-model", HANDBOOK], 2, None),
    ],
    ids=["ask-missing", "jsonl-missing", "ask-usage", "ask-empty-question", "inspect-unknown-model"],
)
def test_errors_under_json_have_one_shape_on_stdout(lecto, args: list[str], code: int, source: str | None) -> None:  # type: ignore[no-untyped-def]
    r = lecto(*args)
    assert r.returncode == code
    out = json.loads(r.stdout)
    assert set(out) == {"error"} and set(out["error"]) == {"source", "message", "hint"}
    assert out["error"]["source"] == source and out["error"]["message"]


def test_dry_run_json_says_planned(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--dry-run", "--json", HANDBOOK, "How much is the yearly plot fee?")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "planned" and out["answer"] is None


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path: Path, cache_dir: Path) -> None:
    # `lecto inspect DIR | head -1`: more than a pipe holds, so lecto writes after the reader has gone.
    for i in range(1500):
        (tmp_path / f"note-{i}.txt").write_text(f"Note {i}: the plot fee is {i} euros.\n")
    child = subprocess.Popen(
        [sys.executable, "-m", "lecto", "inspect", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1", "LECTO_CACHE_DIR": str(cache_dir)},
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline()
    child.stdout.close()
    # What a shell reports for `cat` or `grep` stopped so, not lecto's error code 1, and no traceback.
    assert (child.wait(timeout=600), child.stderr.read()) == (141, b"")
