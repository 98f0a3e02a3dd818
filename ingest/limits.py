"""How much one source may be, so a huge or hostile input is refused up front instead of filling memory.

Each limit names the environment variable that raises it; the refusal says both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from lecto.errors import SourceError, UsageError


@dataclass(frozen=True)
class Limit:
    env: str
    default: int
    unit: str  # how the user writes it: "MB" or "files"
    scale: int = 1

    def value(self) -> int:
        raw = os.environ.get(self.env)
        if raw is None:
            return self.default * self.scale
        try:
            return int(raw) * self.scale
        except ValueError as e:
            raise UsageError(f"{self.env} must be a whole number of {self.unit}, not {raw!r}") from e

    def refuse(self, what: str, source: str) -> SourceError:
        return SourceError(
            f"{what}, over the {self.value() // self.scale:,} {self.unit} limit",
            source=source,
            hint=f"set {self.env} to raise it",
        )


# Parsing holds the text several times over (a 100 MB line peaked at 364 MB): 256 MB stays near 1 GB.
FILE_SIZE = Limit("LECTO_MAX_FILE_MB", 256, "MB", 1 << 20)
# A folder is read file by file; past this it is more likely a home directory or node_modules than a corpus.
FOLDER_FILES = Limit("LECTO_MAX_FILES", 20_000, "files")
# A chat export compresses about 5 to 1 and media not at all; an entry past this is a zip bomb.
ZIP_RATIO = Limit("LECTO_MAX_ZIP_RATIO", 100, "to 1")
