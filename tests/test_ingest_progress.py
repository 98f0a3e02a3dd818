"""The progress bar: drawn on a terminal's stderr while slow sources are read, never anywhere else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import PAPERS, ROOT

# Three papers, about 45 pages: several seconds of cold reading, past the bar's one-second delay.
SLOW = [PAPERS / f"{name}.pdf" for name in ("the-google-file-system", "bitcoin", "paxos-made-simple")]
SLOW += [PAPERS / "bigtable-a-distributed-storage-system-for-structured-data.pdf"]


def _run(args: list[str], stderr: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.Popen(
        [sys.executable, "-m", "lecto", *args], stdout=subprocess.PIPE, stderr=stderr, cwd=ROOT, env=env
    )


def _on_a_terminal(args: list[str]) -> tuple[int, bytes, bytes]:
    """Run with stderr on a pseudo-terminal and stdout on a pipe: (exit code, stdout, what the terminal got)."""
    terminal, child_end = os.openpty()
    process = _run(args, child_end)
    os.close(child_end)
    drawn = b""
    while True:
        try:
            block = os.read(terminal, 65536)
        except OSError:  # the child closed its end
            break
        if not block:
            break
        drawn += block
    stdout = process.stdout.read() if process.stdout else b""
    os.close(terminal)
    return process.wait(timeout=600), stdout, drawn


def test_a_terminal_gets_a_bar_and_stdout_stays_plain(cache_dir: Path) -> None:
    code, stdout, drawn = _on_a_terminal(["inspect", "--json", *map(str, SLOW)])
    assert code == 0, drawn
    assert b"\x1b[" in drawn and b"lecto: reading " in drawn
    assert b"/14 pages" in drawn  # Bigtable's count of pages
    assert b"\x1b" not in stdout
    assert len(json.loads(stdout)["documents"]) == len(SLOW)


def test_stderr_to_a_file_gets_no_bar(cache_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "stderr.txt"
    with log.open("wb") as sink:
        process = _run(["inspect", *map(str, SLOW)], sink.fileno())
        stdout = process.stdout.read() if process.stdout else b""
        assert process.wait(timeout=600) == 0, log.read_text()
    assert log.read_bytes() == b""
    assert b"\x1b" not in stdout and b"4 document(s)" in stdout


def test_a_cached_source_draws_nothing_on_a_terminal(cache_dir: Path) -> None:
    paper = str(PAPERS / "bitcoin.pdf")
    assert _on_a_terminal(["inspect", paper])[0] == 0
    code, _, drawn = _on_a_terminal(["inspect", paper])
    assert code == 0 and b"lecto: reading" not in drawn
