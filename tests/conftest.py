"""Shared fixtures: the shared corpus, an isolated cache, `lecto` run as a real process, and a scripted reader."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PAPERS = CORPUS / "papers"
CHAT = CORPUS / "chat"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("LECTO_CACHE_DIR", str(path))
    return path


def run_lecto(
    *args: str, input: str | bytes | None = None, cwd: Path | None = None, timeout: float = 600, **popen: object
) -> subprocess.CompletedProcess[str]:
    """`python -m lecto ARGS` in a child process, so exit codes and streams are the real ones."""
    data = input.decode() if isinstance(input, bytes) else input
    return subprocess.run(
        [sys.executable, "-m", "lecto", *args],
        input=data,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=timeout,
        **popen,  # type: ignore[arg-type]
    )


@pytest.fixture
def lecto(cache_dir: Path):  # type: ignore[no-untyped-def]
    return run_lecto


def chat_messages(chunk: Any) -> list[tuple[str, str]]:
    """(message id, its text with its header) for each message of a chat chunk, from its location."""
    from lecto.kinds import kind_of

    units = kind_of(chunk.span.kind).units(chunk)
    return [(mid, chunk.text[u.start : u.end]) for mid, u in zip(chunk.span.location.message_ids, units, strict=True)]


@dataclass
class ScriptedReader:
    """A backend for lecto's own choice logic: the n-th pair it is given scores `scores[n]` (0 past them),
    and it records every passage it read."""

    scores: list[float] = field(default_factory=list)
    read: list[str] = field(default_factory=list)
    parameters: int = 135_000_000
    name: str = "reader"
    backend: str = "scripted"
    tokenizer_id: str = "words"
    context_window: int = 4096

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def stream(self, messages, max_tokens):  # type: ignore[no-untyped-def]
        raise AssertionError("a grounded answer generates nothing")

    def continuation_logprobs(self, pairs: list[tuple[str, str]]) -> list[float]:
        self.read += [passage for passage, _ in pairs]
        return [self.scores[i] if i < len(self.scores) else 0.0 for i in range(len(pairs))]
