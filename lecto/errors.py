"""Typed errors. Anything raised as a `LectoError` becomes one line on stderr in `cli/`."""

from __future__ import annotations


class LectoError(Exception):
    """An error the user can act on. `source` names the file it is about, if any."""

    exit_code = 1

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.source}: {self.message}" if self.source else self.message
        return f"{text} ({self.hint})" if self.hint else text


class UsageError(LectoError):
    exit_code = 2


class SourceError(LectoError):
    """A source cannot be read or parsed."""


class ModelError(LectoError):
    """The model cannot be loaded or failed while generating."""


class BudgetError(LectoError):
    """The requested context plan cannot fit the model's window."""


class StoreError(LectoError):
    """The cache cannot be opened or written."""


class ConfigError(LectoError):
    """The config file cannot be read, or holds a setting lecto does not know or cannot use."""
