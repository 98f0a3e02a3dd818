"""The config file: it sets the defaults, a flag or a variable still wins, a bad file is one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES
from lecto.backends.llama import bundled_model

HANDBOOK = str(EXAMPLES / "garden-handbook.md")
QUESTION = "How much is the yearly plot fee?"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("LECTO_MODEL", raising=False)
    path = tmp_path / "config" / "lecto" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


def _plan(lecto, *flags: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    r = lecto("ask", "--dry-run", "--json", *flags, HANDBOOK, QUESTION)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_the_file_sets_mode_and_budget(lecto, config: Path) -> None:  # type: ignore[no-untyped-def]
    config.write_text('mode = "retrieve"\nbudget = 300\nmax_wait = 0\n')
    out = _plan(lecto)
    assert (out["mode"], out["context"]["budget_tokens"]) == ("retrieve", 300)


def test_a_flag_beats_the_file(lecto, config: Path) -> None:  # type: ignore[no-untyped-def]
    config.write_text('mode = "retrieve"\nbudget = 300\n')
    out = _plan(lecto, "--budget", "900", "--mode", "full")
    assert (out["mode"], out["context"]["budget_tokens"]) == ("full", 900)


def test_the_variable_beats_the_file_for_the_model(lecto, config: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config.write_text('model = "ollama:not-pulled"\n')
    named = tmp_path / "named.gguf"
    named.symlink_to(bundled_model())
    monkeypatch.setenv("LECTO_MODEL", str(named))
    assert _plan(lecto)["model"]["name"] == "named"


def test_the_file_chooses_the_model(lecto, config: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "chosen.gguf").symlink_to(bundled_model())
    monkeypatch.setenv("LECTO_MODELS_PATH", str(tmp_path / "models"))
    config.write_text('model = "local:chosen.gguf"\n')
    assert _plan(lecto)["model"]["name"] == "chosen"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("budget = [1, 2\n", "not valid TOML"),
        ('colour = "blue"\n', "unknown setting 'colour'"),
        ('mode = "sideways"\n', "mode must be one of"),
        ("budget = -5\n", "budget must be a whole number"),
        ('max_wait = "soon"\n', "max_wait must be a number"),
    ],
    ids=["toml", "unknown", "mode", "budget", "wait"],
)
def test_a_bad_file_is_one_line_naming_it(lecto, config: Path, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    config.write_text(text)
    r = lecto("ask", "--dry-run", HANDBOOK, QUESTION)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"lecto: {config}: {message}")


@pytest.mark.parametrize("args", [["ask", "-h"], ["tui", "-h"], ["-h"], ["--version"], ["cache", "info"]], ids=" ".join)
def test_a_bad_file_leaves_help_and_the_commands_that_do_not_read_it_working(lecto, config: Path, args) -> None:  # type: ignore[no-untyped-def]
    config.write_text('mode = "sideways"\n')
    r = lecto(*args)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
