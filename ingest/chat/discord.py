"""DiscordChatExporter JSON (`{"guild", "channel", "messages": [...]}`): one channel's messages.

The id is Discord's snowflake, the speaker the author's nickname (else name). Replies name
the message they answer; attachments are listed by file name, stickers by name, and a bot's
embeds (title, description, fields) are its text. Slash-command replies are messages; join,
pin and call notices are not.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from lecto.data import Kind
from lecto.ingest.chat.jsonfile import load_json, message_list
from lecto.ingest.chat.messages import BAD_MESSAGE, Message, Messages, from_iso, reply_note, to_parsed
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, register_ingester

_HEAD = re.compile(rb'^\s*\{\s*"guild"\s*:')
_SPOKEN = {"Default", "Reply", "ApplicationCommand", "ChatInputCommand", "ContextMenuCommand"}


@register_ingester
class DiscordIngester:
    name: ClassVar[str] = "discord"
    version: ClassVar[int] = 2
    kind: ClassVar[Kind] = Kind.CHAT
    priority: ClassVar[int] = 10

    def accepts(self, path: Path, head: bytes) -> bool:
        return bool(_HEAD.match(head)) and b'"channel"' in head

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        data = load_json(path, source)
        read = Messages(unit="message")
        by_id: dict[str, Message] = {}
        for raw in message_list(data, source):
            if isinstance(raw, dict) and raw.get("type", "Default") not in _SPOKEN:
                continue
            try:
                m = _message(raw, by_id)
            except BAD_MESSAGE:
                read.malformed += 1
                continue
            by_id[m.id] = m
            read.items.append(m)
        channel = data.get("channel") or {}
        title = channel.get("name") if isinstance(channel, dict) else None
        return to_parsed(read, source, title or Path(source).name, self.name)


def _message(raw: dict[str, Any], by_id: dict[str, Message]) -> Message:
    author = raw["author"]
    speaker = author.get("nickname") or author["name"]
    parent = by_id.get(str((raw.get("reference") or {}).get("messageId")))
    return Message(str(raw["id"]), from_iso(raw["timestamp"]), str(speaker), reply_note(parent) + _said(raw))


def _said(raw: dict[str, Any]) -> str:
    """The text, a bot's embeds under it, then what is attached."""
    if not (raw.get("attachments") or raw.get("stickers") or raw.get("embeds")):
        return str(raw.get("content") or "")
    files = [f"[attachment: {a['fileName']}]" for a in raw.get("attachments") or ()]
    stickers = [f"[sticker: {s['name']}]" for s in raw.get("stickers") or ()]
    embeds = [_embed(e) for e in raw.get("embeds") or ()]
    said = "\n".join(part for part in [str(raw.get("content") or ""), *embeds] if part)
    return " ".join(part for part in [said, *files, *stickers] if part)


def _embed(embed: dict[str, Any]) -> str:
    """What a rich embed shows: its author, title, description and fields, a line each."""
    fields = [f"{f.get('name', '')}: {f.get('value', '')}".strip(": ") for f in embed.get("fields") or ()]
    shown = [(embed.get("author") or {}).get("name"), embed.get("title"), embed.get("description"), *fields]
    return "\n".join(str(part) for part in shown if part)
