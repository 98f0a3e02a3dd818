"""Zipped chat exports, read as the apps deliver them: WhatsApp's (`_chat.txt` or `WhatsApp Chat
with Ann.txt` beside the photos and voice notes), a Slack workspace, any one chat export zipped.

Only what the export's own ingester reads is unpacked, into a temporary folder removed after;
media stay in the archive and are listed by name in the document's `meta["media"]`. The archive
is checked as a folder would be, before anything is unpacked: its number of entries, the size of
what is unpacked (the file size limit), how far an entry expands (a zip bomb), and entry names
that would land outside it. A zip that holds no chat export is an error that says so.
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import ClassVar

from lecto.data import Kind
from lecto.errors import SourceError
from lecto.ingest.chat import discord, table, telegram, whatsapp  # noqa: F401  (their versions make this one's)
from lecto.ingest.chat.slack import SlackIngester
from lecto.ingest.limits import FILE_SIZE, FOLDER_FILES, ZIP_RATIO
from lecto.ingest.registry import (
    DEFAULT_OPTIONS,
    HEAD_BYTES,
    FolderIngester,
    Ingester,
    IngestOptions,
    Parsed,
    detect,
    ingesters,
    register_ingester,
)

# A local file header, or the end record that is all an empty archive holds.
_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Where a single-file chat export can be: these endings are looked into, media never are.
_CHAT_FILES = (".txt", ".json", ".jsonl", ".csv")
# What macOS's Finder adds to every zip it makes: never part of the export.
_OS_LITTER = ("__MACOSX/", ".DS_Store")
# Small entries may expand far (a text of repeated lines) without being a bomb.
_RATIO_FLOOR = 1 << 20
_BLOCK = 1 << 16
_ENCRYPTED = 0x1  # the general-purpose flag bit of an entry that needs a password
_NOT_AN_EXPORT = "zip archive holds no chat export lecto reads"
# Any other archive (a zipped repository, papers) is read once unpacked: the hint says so.
_WHAT_IS = (
    "unzip it and name the folder to read its files; a zipped WhatsApp chat .txt, Slack workspace (users.json and"
    " channels.json), Telegram or Discord JSON is read as it is"
)


def is_zip(head: bytes) -> bool:
    return head.startswith(_MAGIC)


@dataclass(frozen=True)
class _Export:
    """What in the archive is the chat: the entries to unpack under `root`, and who reads them."""

    reader: Ingester | FolderIngester
    root: str  # "" or a folder inside the archive ending in "/"
    entries: list[zipfile.ZipInfo]


def _chat_versions() -> int:
    """Every chat reader's version, so a cached zip is read again when any of them changes."""
    return sum(i.version for i in ingesters() if i.kind is Kind.CHAT) + SlackIngester.version


@register_ingester
class ZippedChatIngester:
    name: ClassVar[str] = "chat-zip"
    version: ClassVar[int] = 100 + _chat_versions()
    kind: ClassVar[Kind] = Kind.CHAT
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        return is_zip(head)

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        with _archive(path, source) as archive:
            files = _files(archive, source)
            export = _find(archive, files, source)
            with tempfile.TemporaryDirectory(prefix="lecto-zip-") as tmp:
                target = _unpack(archive, export, Path(tmp), source)
                parsed = export.reader.parse(target, source, options)
        taken = {e.filename for e in export.entries}
        parsed.meta["media"] = [f.filename for f in files if f.filename not in taken]
        return parsed


@contextmanager
def _archive(path: Path, source: str) -> Iterator[zipfile.ZipFile]:
    """The open archive; a damaged one, an encrypted one or an unknown compression is a `SourceError`."""
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except (zipfile.BadZipFile, EOFError, zlib.error) as e:
        raise SourceError(f"damaged zip archive ({e})", source=source) from e
    except OSError as e:  # an offset past the file's end, found by the ingest fuzz run; or the disk
        raise SourceError(f"cannot read zip archive ({e.strerror or e})", source=source) from e
    except NotImplementedError as e:  # deflate64, or lzma/bz2 missing from this Python
        raise SourceError(f"zip archive uses a compression lecto cannot read ({e})", source=source) from e


def _files(archive: zipfile.ZipFile, source: str) -> list[zipfile.ZipInfo]:
    """The archive's files, checked: not too many, none named to land outside it; folders, links and
    macOS litter left out."""
    entries = archive.infolist()
    if len(entries) > FOLDER_FILES.value():
        raise FOLDER_FILES.refuse(f"zip archive has {len(entries):,} entries", source)
    for e in entries:
        parts = PurePosixPath(e.filename.replace("\\", "/")).parts
        if e.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise SourceError(f"zip entry {e.filename!r} points outside the archive", source=source)
    return [e for e in entries if not e.is_dir() and not _is_link(e) and not _litter(e.filename)]


def _is_link(entry: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(entry.external_attr >> 16)


def _litter(name: str) -> bool:
    return name.startswith(_OS_LITTER[0]) or PurePosixPath(name).name == _OS_LITTER[1]


def _find(archive: zipfile.ZipFile, files: list[zipfile.ZipInfo], source: str) -> _Export:
    """The one chat export in the archive: a Slack workspace's folder, else the one file a chat ingester reads."""
    names = {f.filename for f in files}
    for f in files:
        root = f.filename.removesuffix("users.json")
        if f.filename.endswith("users.json") and (not root or root.endswith("/")) and f"{root}channels.json" in names:
            under = [g for g in files if g.filename.startswith(root) and g.filename.endswith(".json")]
            return _Export(SlackIngester(), root, under)
    chats = [(f, reader) for f in files if (reader := _chat_reader(archive, f, source))]
    if not chats:
        raise SourceError(_NOT_AN_EXPORT, source=source, hint=_WHAT_IS)
    if len(chats) > 1:
        shown = ", ".join(f.filename for f, _ in chats[:3])
        raise SourceError(
            f"zip archive holds {len(chats)} chat exports ({shown})", source=source, hint="unzip it and name the folder"
        )
    ((entry, reader),) = chats
    return _Export(reader, entry.filename.removesuffix(PurePosixPath(entry.filename).name), [entry])


def _chat_reader(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, source: str) -> Ingester | None:
    if not entry.filename.lower().endswith(_CHAT_FILES):
        return None
    _check(entry, source)
    with archive.open(entry) as f:
        head = f.read(HEAD_BYTES)
    reader = detect(Path(entry.filename), head)
    if reader is None or reader.kind is not Kind.CHAT or isinstance(reader, ZippedChatIngester):
        return None  # not a chat (a README, a chat-like text lecto cannot read), or a zip in the zip
    return reader


def _check(entry: zipfile.ZipInfo, source: str) -> None:
    """An entry about to be read: not locked, not a bomb."""
    if entry.flag_bits & _ENCRYPTED:
        raise SourceError("zip archive is encrypted", source=source, hint="unzip it with its password first")
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > _RATIO_FLOOR and ratio > ZIP_RATIO.value():
        raise ZIP_RATIO.refuse(f"zip entry {entry.filename!r} expands {ratio:,.0f} to 1", source)


def _unpack(archive: zipfile.ZipFile, export: _Export, into: Path, source: str) -> Path:
    """The export's entries written under `into`; the path its reader is given (a file, or the workspace folder)."""
    total = sum(e.file_size for e in export.entries)
    if total > FILE_SIZE.value():
        raise FILE_SIZE.refuse(f"zip archive's chat unpacks to {total / (1 << 20):,.0f} MB", source)
    for entry in export.entries:
        _check(entry, source)
        out = into.joinpath(*PurePosixPath(entry.filename[len(export.root) :]).parts)
        out.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(entry) as src, out.open("wb") as dst:
            while block := src.read(_BLOCK):  # zipfile stops at the declared size and checks the CRC
                dst.write(block)
    if isinstance(export.reader, SlackIngester):
        return into
    return into / PurePosixPath(export.entries[0].filename[len(export.root) :])
