"""Model failures: a missing, truncated or non-GGUF model file, a model file that is a folder, and a
window too small for the prompt each end in one line on stderr, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecto.backends.llama import bundled_model


@pytest.fixture
def note(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text("The lighthouse has one hundred and twelve steps.\n")
    return path


def _missing(tmp_path: Path) -> tuple[Path, str]:
    return tmp_path / "absent.gguf", "model file not found"


def _not_gguf(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "notes.gguf"
    path.write_text("These are notes, not a model.\n")
    return path, "cannot load the model"


def _truncated(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "cut.gguf"
    with bundled_model().open("rb") as f:
        path.write_bytes(f.read(3 << 20))  # the header and part of the tensors
    return path, "cannot load the model"


def _empty(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "empty.gguf"
    path.write_bytes(b"")
    return path, "cannot load the model"


def _folder(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "model.gguf"
    path.mkdir()
    return path, "model file not found"


@pytest.mark.parametrize("make", [_missing, _not_gguf, _truncated, _empty, _folder])
def test_bad_model_file_is_one_line(make, note: Path, tmp_path: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    model, expected = make(tmp_path)
    result = lecto("ask", str(note), "How many steps?", "--model", str(model))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"lecto: {model}: {expected}")


def test_window_smaller_than_the_prompt_overhead(note: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    result = lecto("ask", str(note), "How many steps does the lighthouse have? " * 20, "--ctx", "256")
    assert result.returncode == 1
    # Refused by the planner before any generation (the speed probe fits small windows).
    assert result.stderr.startswith("lecto: the model's window leaves no room for documents")
    assert len(result.stderr.splitlines()) == 1
