"""Paths: folder walks stay inside the folder the user named, and a run writes nothing outside
the cache directory (no stray files in the working directory, the sources or the home folder)."""

from __future__ import annotations

import os
from pathlib import Path

from lecto.ingest.sources import load_corpus
from lecto.store import Store

SECRET = "The vault combination is 31-41-59."


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under `root` with its size and modification time, links not followed."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            st = os.lstat(Path(dirpath) / name)
            out[str(Path(dirpath, name).relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def test_links_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET + "\n")
    (outside / "deep" / "also-secret.txt").write_text(SECRET + "\n")
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "guide.md").write_text("The guide explains how to water ferns.\n")
    (repo / "leak.txt").symlink_to(outside / "secret.txt")
    (repo / "docs" / "escape").symlink_to(outside / "deep", target_is_directory=True)
    (repo / "up.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (repo / "docs" / "guide-link.md").symlink_to(repo / "docs" / "guide.md")

    corpus = load_corpus([str(repo)], Store(tmp_path / "cache"))

    assert all(SECRET not in c.text for c in corpus.chunks)
    assert [Path(d.source).name for d in corpus.documents] == ["guide-link.md"]  # sorted first, same text
    assert any("same content" in w for w in corpus.warnings), "a link inside the folder is still read"


def test_a_folder_of_only_outside_links_has_nothing_to_read(tmp_path: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "secret.txt").write_text(SECRET + "\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "leak.txt").symlink_to(tmp_path / "secret.txt")
    result = lecto("ask", str(repo), "What is the vault combination?", "--dry-run")
    assert result.returncode == 1
    assert result.stderr == f"lecto: {repo}: folder has no files to read\n"


def test_a_run_writes_only_inside_the_cache(tmp_path: Path, lecto, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    home, work, cache = tmp_path / "home", tmp_path / "work", tmp_path / "cache"
    home.mkdir()
    work.mkdir()
    (work / "notes.md").write_text("The ferns are watered every Tuesday.\n")
    for var, value in {"HOME": home, "XDG_CACHE_HOME": home / ".cache", "XDG_CONFIG_HOME": home / ".config"}.items():
        monkeypatch.setenv(var, str(value))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("LECTO_CACHE_DIR", str(cache))
    before = tree(tmp_path)

    asked = lecto("ask", "notes.md", "When are the ferns watered?", cwd=work)
    piped = lecto("ask", "-", "When are the ferns watered?", "--dry-run", input="Ferns: Tuesday.\n", cwd=work)

    assert asked.returncode == 0, asked.stderr
    assert piped.returncode == 0, piped.stderr
    after = {k: v for k, v in tree(tmp_path).items() if not k.startswith("cache/")}
    assert after == before
    assert list((cache / "stdin").iterdir()) == []


def test_a_damaged_file_in_a_folder_is_skipped_with_a_warning(tmp_path: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    (repo / "notes.md").write_text("The ferns are watered every Tuesday.\n")

    folder = lecto("ask", str(repo), "When are the ferns watered?", "--dry-run")
    alone = lecto("ask", str(repo / "broken.pdf"), "When are the ferns watered?", "--dry-run")

    assert folder.returncode == 0, folder.stderr
    assert folder.stderr.startswith(f"lecto: warning: {repo / 'broken.pdf'}: ")
    assert folder.stderr.rstrip().endswith(", skipped")
    assert "notes.md" in folder.stdout
    assert alone.returncode == 1
    assert len(alone.stderr.splitlines()) == 1
