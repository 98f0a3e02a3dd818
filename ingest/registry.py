"""The ingester plug point: a `Protocol` and a registry, so a new format is one new file.

Formats are detected by content first (a PDF's magic bytes, a chat export's shape) and by
name only where content cannot tell (source code vs plain text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar, Protocol

from lecto.data import Kind, Location

# Enough to see a PDF header, a JSON export's opening keys or a chat line's timestamp.
HEAD_BYTES = 4096


class Unit(StrEnum):
    """What a progress count counts."""

    PAGES = "pages"
    FILES = "files"


class Progress(Protocol):
    """Told how far the reading of `source` has got, so a slow ingest can show a bar."""

    def __call__(self, source: str, done: int, total: int, unit: Unit) -> None: ...


@dataclass(frozen=True)
class IngestOptions:
    """How to read sources. The password opens an encrypted PDF and is never stored."""

    password: str | None = None
    ocr: bool = False  # read pages without a text layer with OCR (ocrmypdf or tesseract)
    progress: Progress | None = None

    def report(self, source: str, done: int, total: int, unit: Unit) -> None:
        if self.progress:
            self.progress(source, done, total, unit)


DEFAULT_OPTIONS = IngestOptions()


@dataclass
class Piece:
    """A chunk before it has an id: its text and where it lives in the source."""

    text: str
    location: Location


@dataclass
class Parsed:
    title: str
    pieces: list[Piece]
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


class Ingester(Protocol):
    name: ClassVar[str]
    version: ClassVar[int]  # bump when output changes, so cached documents are re-parsed
    kind: ClassVar[Kind]
    priority: ClassVar[int]  # lower is asked first; the plain-text fallback goes last

    def accepts(self, path: Path, head: bytes) -> bool: ...

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed: ...


_INGESTERS: list[Ingester] = []


def register_ingester(cls: type[Ingester]) -> type[Ingester]:
    _INGESTERS.append(cls())
    _INGESTERS.sort(key=lambda i: i.priority)
    return cls


def ingesters() -> list[Ingester]:
    return list(_INGESTERS)


def detect(path: Path, head: bytes) -> Ingester | None:
    return next((i for i in _INGESTERS if i.accepts(path, head)), None)


class FolderIngester(Protocol):
    """A format whose one document is a whole folder (a Slack export: users.json, channel/date.json)."""

    name: ClassVar[str]
    version: ClassVar[int]
    kind: ClassVar[Kind]

    def accepts_folder(self, path: Path) -> bool: ...

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed: ...


_FOLDER_INGESTERS: list[FolderIngester] = []


def register_folder_ingester(cls: type[FolderIngester]) -> type[FolderIngester]:
    _FOLDER_INGESTERS.append(cls())
    return cls


def detect_folder(path: Path) -> FolderIngester | None:
    return next((i for i in _FOLDER_INGESTERS if i.accepts_folder(path)), None)
