"""A Slack workspace export: a folder with users.json, channels.json and `<channel>/<date>.json`.

Speakers are real names from users.json; `<@U02>` mentions become `@Name`. The id is the
channel and Slack's `ts`. A thread reply (its `thread_ts` differs from its `ts`) names the
message that opened the thread. Join and topic notices are not messages. A day file that is
not valid JSON is skipped with a warning.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any, ClassVar

from lecto.data import Kind
from lecto.errors import SourceError
from lecto.ingest.chat.jsonfile import load_json
from lecto.ingest.chat.messages import BAD_MESSAGE, Message, Messages, from_epoch, reply_note, to_parsed
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, register_folder_ingester

_DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")
_MENTION = re.compile(r"<@(\w+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<(?:[#!][^|>]*\|)?([^>]*)>")
_NOTICES = {"channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "bot_add"}


@register_folder_ingester
class SlackIngester:
    name: ClassVar[str] = "slack"
    version: ClassVar[int] = 1
    kind: ClassVar[Kind] = Kind.CHAT

    def accepts_folder(self, path: Path) -> bool:
        return (path / "users.json").is_file() and (path / "channels.json").is_file()

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        users = _users(load_json(path / "users.json", f"{source}/users.json"))
        channels = _channels(path, load_json(path / "channels.json", f"{source}/channels.json"))
        read = Messages(unit="message")
        broken: list[str] = []
        for channel in channels:
            for day in sorted(p for p in (path / channel).glob("*.json") if _DAY_FILE.fullmatch(p.name)):
                _read_day(day, users, channel if len(channels) > 1 else None, read, broken)
        parsed = to_parsed(read, source, Path(source).name, self.name)
        parsed.warnings += [f"{source}/{name}: not valid JSON, skipped" for name in broken]
        return parsed


def _users(data: Any) -> dict[str, str]:
    users = data if isinstance(data, list) else []
    return {str(u["id"]): _user_name(u) for u in users if isinstance(u, dict) and "id" in u}


def _user_name(user: dict[str, Any]) -> str:
    profile = user.get("profile")
    shown = profile.get("real_name") if isinstance(profile, dict) else None
    return str(user.get("real_name") or shown or user.get("name") or user["id"])


def _channels(path: Path, data: Any) -> list[str]:
    named = [str(c["name"]) for c in data if isinstance(c, dict) and "name" in c] if isinstance(data, list) else []
    return [name for name in named if (path / name).is_dir()]


def _read_day(day: Path, users: dict[str, str], channel: str | None, read: Messages, broken: list[str]) -> None:
    try:
        items = json.loads(day.read_text(encoding="utf-8", errors="replace"))
    except (json.JSONDecodeError, RecursionError):
        broken.append(f"{day.parent.name}/{day.name}")
        return
    if not isinstance(items, list):
        raise SourceError("day file is not a list of messages", source=str(day))
    threads: dict[str, Message] = {}
    for raw in items:
        if isinstance(raw, dict) and (raw.get("type") != "message" or raw.get("subtype") in _NOTICES):
            continue
        try:
            m = _message(raw, users, day.parent.name, channel, threads)
        except BAD_MESSAGE:
            read.malformed += 1
            continue
        threads.setdefault(raw["ts"], m)
        read.items.append(m)


def _message(
    raw: dict[str, Any], users: dict[str, str], folder: str, channel: str | None, threads: dict[str, Message]
) -> Message:
    ts = raw["ts"]
    speaker = users.get(raw.get("user", ""), "") or (raw.get("user_profile") or {}).get("real_name") or raw["user"]
    parent = threads.get(raw["thread_ts"]) if raw.get("thread_ts", ts) != ts else None
    text = _MENTION.sub(lambda m: "@" + users.get(m[1], m[1]), str(raw.get("text", "")))
    text = reply_note(parent) + html.unescape(_LINK.sub(r"\1", text))
    return Message(f"{folder}/{ts}", from_epoch(ts), str(speaker), text, channel)
