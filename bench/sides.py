"""Another commit's lecto beside this checkout's, for before/after runs in one benchmark.

`git worktree add /tmp/lecto-before <commit>`, then put `package_folder(Path("/tmp/lecto-before"))`
first on PYTHONPATH (or sys.path). Imports nothing of lecto, so a process can still choose its side.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

# The checkout's package folders, as the editable install maps them under `lecto.`.
PACKAGES = ("cli", "tui", "ingest", "context", "backends", "answer")


def package_folder(worktree: Path) -> Path:
    """A folder holding `lecto/` as the other commit installs it: its lecto/ files and subpackages, as symlinks."""
    root = Path(tempfile.mkdtemp(prefix="lecto-pkg-"))
    pkg = root / "lecto"
    pkg.mkdir()
    for f in (worktree / "lecto").iterdir():
        (pkg / f.name).symlink_to(f)
    for name in PACKAGES:
        (pkg / name).symlink_to(worktree / name)
    return root
