"""Telegram Desktop's `result.json` for one chat (`{"name", "type", "id", "messages": [...]}`).

`text` is a string or a list of plain strings and entity objects (links, bold, mentions),
joined back into one string. Service messages (joins, calls, pins) are not messages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from lecto.data import Kind
from lecto.ingest.chat.jsonfile import load_json, message_list
from lecto.ingest.chat.messages import BAD_MESSAGE, Message, Messages, from_iso, reply_note, to_parsed
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, register_ingester

_CHAT_TYPE = re.compile(
    rb'"type"\s*:\s*"(personal_chat|private_group|private_supergroup|public_supergroup|'
    rb'private_channel|public_channel|saved_messages|bot_chat)"'
)
# Media a message may carry instead of text, named the way the export names them.
_MEDIA = ("photo", "media_type", "file", "sticker_emoji", "poll", "location_information")


@register_ingester
class TelegramIngester:
    name: ClassVar[str] = "telegram"
    version: ClassVar[int] = 1
    kind: ClassVar[Kind] = Kind.CHAT
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        return head.lstrip().startswith(b"{") and (b'"date_unixtime"' in head or bool(_CHAT_TYPE.search(head)))

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        data = load_json(path, source)
        read = Messages(unit="message")
        by_id: dict[str, Message] = {}
        for raw in message_list(data, source):
            if isinstance(raw, dict) and raw.get("type", "message") != "message":
                continue
            try:
                m = _message(raw, by_id)
            except BAD_MESSAGE:
                read.malformed += 1
                continue
            by_id[m.id] = m
            read.items.append(m)
        return to_parsed(read, source, str(data.get("name") or Path(source).name), self.name)


def _message(raw: dict[str, Any], by_id: dict[str, Message]) -> Message:
    speaker = raw.get("from") or raw["from_id"]
    parent = by_id.get(str(raw.get("reply_to_message_id")))
    text = reply_note(parent) + (_text(raw["text"]) or _media(raw))
    return Message(str(raw["id"]), from_iso(raw["date"]), str(speaker), text)


def _text(text: str | list[Any]) -> str:
    if isinstance(text, str):
        return text
    return "".join(part if isinstance(part, str) else str(part["text"]) for part in text)


def _media(raw: dict[str, Any]) -> str:
    kind = next((key for key in _MEDIA if key in raw), None)
    if kind is None:
        return ""
    return f"[{raw['media_type'] if kind == 'media_type' else kind}]"
