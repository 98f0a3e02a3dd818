"""Chat logs as tables: JSON lines (`{"id", "time", "speaker", "text"}`) and CSV with a header row.

Common column names are understood (`timestamp`, `author`, `message`, …). Without an id
column a message's id is its line (JSON lines) or row (CSV) number. Times are ISO 8601 or
Unix seconds.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from lecto.data import Kind
from lecto.errors import SourceError
from lecto.ingest.chat.messages import BAD_MESSAGE, Message, Messages, from_iso, to_parsed
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, register_ingester
from lecto.ingest.text import looks_like_text, read_text

_ID = ("id", "message_id", "msg_id")
_TIME = ("time", "timestamp", "date", "datetime", "ts", "created_at")
_SPEAKER = ("speaker", "author", "from", "sender", "user", "name")
_TEXT = ("text", "message", "content", "body")


def _column(row: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    return next((key for key in row if key.strip().lower() in names), None)


def _is_chat(row: Any) -> bool:
    return isinstance(row, dict) and all(_column(row, names) for names in (_TIME, _SPEAKER, _TEXT))


def _message(row: Mapping[str, Any], n: int) -> Message:
    id_key = _column(row, _ID)
    speaker, text = row[_column(row, _SPEAKER)], row[_column(row, _TEXT)]  # type: ignore[index]
    if not isinstance(speaker, str) or not speaker.strip() or not isinstance(text, str):
        raise ValueError("no speaker or text")
    time = row[_column(row, _TIME)]  # type: ignore[index]
    when = from_iso(float(time) if isinstance(time, str) and time.replace(".", "", 1).isdigit() else time)
    mid = row.get(id_key) if id_key else None
    return Message(str(mid) if mid not in (None, "") else str(n), when, speaker.strip(), text)


def _read(rows: Iterable[tuple[int, Any]], unit: str) -> Messages:
    read = Messages(unit=unit)
    for n, row in rows:
        try:
            read.items.append(_message(row, n))
        except BAD_MESSAGE:
            read.malformed += 1
    return read


@register_ingester
class JsonLinesIngester:
    name: ClassVar[str] = "chat-jsonl"
    version: ClassVar[int] = 1
    kind: ClassVar[Kind] = Kind.CHAT
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        first = head.lstrip().split(b"\n", 1)[0]
        try:
            return looks_like_text(head) and _is_chat(json.loads(first))
        except (ValueError, RecursionError):
            return False

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        lines = read_text(path, source).splitlines()
        rows = ((n, _json(line)) for n, line in enumerate(lines, start=1) if line.strip())
        return to_parsed(_read(rows, "line"), source, Path(source).name, self.name)


def _json(line: str) -> Any:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None  # counted as malformed by `_read`


@register_ingester
class CsvIngester:
    name: ClassVar[str] = "chat-csv"
    version: ClassVar[int] = 1
    kind: ClassVar[Kind] = Kind.CHAT
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        if not looks_like_text(head):
            return False
        # splitlines, not split("\n"): csv refuses a lone "\r" inside a line (found by the ingest fuzz run).
        first = next(iter(head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()), "")
        columns = next(csv.reader([first]), [])
        return _is_chat(dict.fromkeys(columns, ""))

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        reader = csv.DictReader(io.StringIO(read_text(path, source).lstrip("\ufeff"), newline=""))
        rows = ((n, row) for n, row in enumerate(reader, start=1) if any(row.values()))
        try:
            return to_parsed(_read(rows, "row"), source, Path(source).name, self.name)
        except csv.Error as e:  # a NUL byte past the sniffed head, a field over csv's 128 KB limit
            raise SourceError(f"malformed CSV ({e})", source=source) from e
