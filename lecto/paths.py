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


def config_file() -> Path:
    """The user's settings (`lecto/config.toml` under `$XDG_CONFIG_HOME`, else `~/.config`)."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "lecto" / "config.toml"


def data_dir() -> Path:
    """What lecto keeps for the user, such as exported sessions (`$XDG_DATA_HOME/lecto`)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "lecto"
