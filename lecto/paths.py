"""Every directory lecto uses comes from here, following XDG.

`LECTO_CACHE_DIR` (or `--cache-dir`) moves the whole cache, which is how tests isolate it.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    if override:
        return Path(override).expanduser()
    if env := os.environ.get("LECTO_CACHE_DIR"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lecto"
