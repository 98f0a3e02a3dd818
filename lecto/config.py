"""The user's defaults from `$XDG_CONFIG_HOME/lecto/config.toml`: the model, mode, budget and wait.

```toml
model = "ollama:qwen2.5:7b"
mode = "retrieve"
budget = 6000
max_wait = 20
```

A flag beats an environment variable, which beats this file, which beats lecto's own
default: the file only fills the commands' defaults, so each command reads it the same way.
A file that cannot be used is an error naming it, never silently ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from lecto.data import Mode
from lecto.errors import ConfigError
from lecto.paths import config_file


@dataclass(frozen=True)
class Config:
    model: str | None = None
    mode: Mode | None = None
    budget: int | None = None
    max_wait: float | None = None

    def settings(self) -> dict[str, object]:
        """The settings the file gives, by the name of the option they default."""
        return {name: getattr(self, name) for name in CONFIG_SETTINGS if getattr(self, name) is not None}


# The options the file can default, by their parameter names.
CONFIG_SETTINGS = frozenset(f.name for f in fields(Config))


def load_config(path: Path | None = None) -> Config:
    path = path or config_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read ({getattr(e, 'strerror', None) or e})", source=str(path)) from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"not valid TOML ({e})", source=str(path)) from e
    return _checked(raw, str(path))


def _checked(raw: dict[str, object], source: str) -> Config:
    if unknown := sorted(set(raw) - CONFIG_SETTINGS):
        raise ConfigError(
            f"unknown setting {unknown[0]!r}", source=source, hint=f"known: {', '.join(sorted(CONFIG_SETTINGS))}"
        )
    model, mode, budget, wait = (raw.get(k) for k in ("model", "mode", "budget", "max_wait"))
    if model is not None and not isinstance(model, str):
        raise ConfigError("model must be a string", source=source)
    if mode is not None and mode not in {m.value for m in Mode}:
        raise ConfigError(f"mode must be one of {', '.join(m.value for m in Mode)}", source=source)
    if budget is not None and (type(budget) is not int or budget < 1):
        raise ConfigError("budget must be a whole number of tokens, at least 1", source=source)
    if wait is not None and (type(wait) not in (int, float) or wait < 0):  # type: ignore[operator]
        raise ConfigError("max_wait must be a number of seconds, at least 0", source=source)
    return Config(model, Mode(mode) if mode else None, budget, float(wait) if wait is not None else None)  # type: ignore[arg-type]
