"""Telegram Desktop's JSON export: one chat's `result.json` (`{"name", "type", "id", "messages"}`),
or a whole account's (`{"about", "personal_information", "chats": {"list": [...]}}`), each chat
then a channel of its own.

`text` is a string or a list of plain strings and entity objects (links, bold, mentions),
joined back into one string. A message's time is its `date` (the exporting computer's wall
clock), else its `date_unixtime` moved to that clock (by the offset between the two in a
message that has both; UTC when none has). Media are named by file where the export kept
the file (`[photo: photo_1.jpg]`), a forwarded message by its author (`(forwarded from Ana) …`).
Service messages (joins, calls, pins) are events, not anyone's messages, and are passed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from lecto.data import Kind
from lecto.ingest.chat.jsonfile import load_json, message_list
from lecto.ingest.chat.messages import BAD_MESSAGE, Message, Messages, from_epoch, from_iso, reply_note, to_parsed
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, register_ingester

_CHAT_TYPE = re.compile(
    rb'"type"\s*:\s*"(personal_chat|private_group|private_supergroup|public_supergroup|'
    rb'private_channel|public_channel|saved_messages|bot_chat)"'
)
# Media a message may carry instead of text, named the way the export names them.
_MEDIA = ("photo", "media_type", "file", "sticker_emoji", "poll", "location_information")
_MEDIA_KEYS = frozenset(_MEDIA)


@register_ingester
class TelegramIngester:
    name: ClassVar[str] = "telegram"
    version: ClassVar[int] = 2
    kind: ClassVar[Kind] = Kind.CHAT
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        if not head.lstrip().startswith(b"{"):
            return False
        account = b'"about"' in head and b'"personal_information"' in head
        return account or b'"date_unixtime"' in head or bool(_CHAT_TYPE.search(head))

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        data = load_json(path, source)
        chats = _chats(data, source)
        read = Messages(unit="message")
        for chat in chats:
            _read_chat(chat, read, len(chats) > 1)
        title = data.get("name") if len(chats) == 1 else None
        return to_parsed(read, source, str(title or Path(source).name), self.name)


def _chats(data: Any, source: str) -> list[dict[str, Any]]:
    """The one chat of a chat's export, or every chat of an account's."""
    listed = data.get("chats") if isinstance(data, dict) and "messages" not in data else None
    if isinstance(listed, dict) and isinstance(listed.get("list"), list):
        return [c for c in listed["list"] if isinstance(c, dict)]
    message_list(data, source)  # the error for a file with no messages
    return [data]


@dataclass(frozen=True)
class _Chat:
    """What every message of one chat shares."""

    prefix: str  # before each id, in an account's export of several chats
    channel: str | None
    offset: timedelta  # from UTC to the wall clock the export's `date`s are written in


def _read_chat(chat: dict[str, Any], read: Messages, named: bool) -> None:
    messages = chat.get("messages")
    messages = messages if isinstance(messages, list) else []
    # A chunk writes the channel as one word (`#Climbing-club Ivo: …`), so its name must be one.
    channel = "-".join(str(chat.get("name") or chat.get("id")).split()) if named else None
    shared = _Chat(f"{chat.get('id')}/" if named else "", channel, _offset(messages))
    by_id: dict[object, Message] = {}  # by the export's own id, for replies
    for raw in messages:
        if isinstance(raw, dict) and raw.get("type", "message") != "message":
            continue
        try:
            m = _message(raw, by_id, shared)
        except BAD_MESSAGE:
            read.malformed += 1
            continue
        by_id[raw["id"]] = m
        read.items.append(m)


def _offset(messages: list[Any]) -> timedelta:
    both = next((m for m in messages if isinstance(m, dict) and "date" in m and "date_unixtime" in m), None)
    try:
        return from_iso(both["date"]) - from_epoch(both["date_unixtime"]) if both else timedelta(0)
    except BAD_MESSAGE:
        return timedelta(0)


def _message(raw: dict[str, Any], by_id: dict[object, Message], chat: _Chat) -> Message:
    speaker = raw.get("from") or raw["from_id"]
    parent = by_id.get(raw.get("reply_to_message_id"))
    text = _text(raw.get("text", ""))
    said = text if _MEDIA_KEYS.isdisjoint(raw) else " ".join(part for part in (_media(raw), text) if part)
    when = from_iso(raw["date"]) if "date" in raw else from_epoch(raw["date_unixtime"]) + chat.offset
    mid = f"{chat.prefix}{raw['id']}" if chat.prefix else str(raw["id"])
    if forwarded := raw.get("forwarded_from"):  # someone else's words: not the sender's own
        said = f"(forwarded from {forwarded}) {said}"
    return Message(mid, when, str(speaker), reply_note(parent) + said, chat.channel)


def _text(text: str | list[Any]) -> str:
    if isinstance(text, str):
        return text
    return "".join(part if isinstance(part, str) else str(part["text"]) for part in text)


def _media(raw: dict[str, Any]) -> str:
    kind = next((key for key in _MEDIA if key in raw), None)
    if kind is None:
        return ""
    label = raw["media_type"] if kind == "media_type" else kind
    kept = raw.get("file_name") or raw.get("file") or raw.get("photo")
    if not isinstance(kept, str) or kept.startswith("("):  # "(File not included. Change data exporting settings…)"
        return f"[{label}]"
    return f"[{label}: {PurePosixPath(kept).name}]"
