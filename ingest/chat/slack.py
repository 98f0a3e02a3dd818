"""A Slack workspace export: a folder with users.json, channels.json and `<channel>/<date>.json`.

Speakers are real names from users.json; `<@U02>` mentions become `@Name`. The id is the
channel and Slack's `ts`. A thread reply (its `thread_ts` differs from its `ts`) names the
message that opened the thread. Bot and integration posts are messages too: their author is the
name they post under (`username`, the bot's profile), their text what their `attachments` and
`blocks` show. Shared files are named (`[file: Q3 report (q3.pdf)]`). Private channels and
direct messages (groups.json, mpims.json, dms.json) are read like channels. Join, topic and pin
notices are not messages. A day file that is not valid JSON is skipped with a warning.
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
# `<#C01|general>`, `<!here>`, `<https://x.org|the site>`, `<https://x.org>`: what the reader saw.
_LINK = re.compile(r"<([#!@]?)(?:[^<>|]*\|)?([^<>]*)>")
# Subtypes that tell of a change to the channel, not something anyone said.
_NOTICES = frozenset(
    f"{scope}_{event}"
    for scope in ("channel", "group")
    for event in ("join", "leave", "topic", "purpose", "name", "archive", "unarchive")
) | {"bot_add", "bot_remove", "bot_enable", "bot_disable", "pinned_item", "unpinned_item", "tombstone"}
# Edits and deletions logged as events of their own: the post they change is already read.
_EDITS = frozenset({"message_changed", "message_deleted", "message_replied"})
_NOT_POSTS = _NOTICES | _EDITS
# Rich text whose elements are the pieces of one line (words, mentions, links).
_INLINE = frozenset({"rich_text_section", "rich_text_quote", "rich_text_preformatted"})
# What a post may carry besides its text.
_EXTRAS = ("attachments", "files", "file")
# The conversation lists of an export; a direct message's folder is named by its id.
_CONVERSATIONS = ("channels.json", "groups.json", "mpims.json", "dms.json")


@register_folder_ingester
class SlackIngester:
    name: ClassVar[str] = "slack"
    version: ClassVar[int] = 2
    kind: ClassVar[Kind] = Kind.CHAT

    def accepts_folder(self, path: Path) -> bool:
        return (path / "users.json").is_file() and (path / "channels.json").is_file()

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        users = _users(load_json(path / "users.json", f"{source}/users.json"))
        channels = _channels(path, source)
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


def _channels(path: Path, source: str) -> list[str]:
    named: list[str] = []
    for listing in _CONVERSATIONS:
        if listing == "channels.json" or (path / listing).is_file():
            data = load_json(path / listing, f"{source}/{listing}")
            named += [str(c.get("name") or c["id"]) for c in _dicts(data) if "name" in c or "id" in c]
    return [name for name in dict.fromkeys(named) if (path / name).is_dir()]


def _dicts(data: Any) -> list[dict[str, Any]]:
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


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
        if isinstance(raw, dict) and (raw.get("type") != "message" or raw.get("subtype") in _NOT_POSTS):
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
    parent = threads.get(raw["thread_ts"]) if raw.get("thread_ts", ts) != ts else None
    text = reply_note(parent) + "\n".join(part for part in _parts(raw, users) if part)
    # A `ts`'s fraction orders posts within a second; it is no part of when they were sent.
    sent = from_epoch(ts).replace(microsecond=0)
    return Message(f"{folder}/{ts}", sent, _speaker(raw, users), text, channel)


def _speaker(raw: dict[str, Any], users: dict[str, str]) -> str:
    """The name the post shows: a bot's own (`username`, its profile) before the user who installed it.

    A bot's name is remembered under its id (in `users`), for its posts that carry only the id.
    """
    if raw.get("subtype") != "bot_message" and (known := users.get(raw.get("user", ""))):
        return known  # most posts: a person in users.json
    bot, profile = raw.get("bot_profile") or {}, raw.get("user_profile") or {}
    person = [users.get(raw.get("user", "")), profile.get("real_name"), profile.get("name"), raw.get("user")]
    own = [raw.get("username"), bot.get("name")]
    bot_post = raw.get("subtype") == "bot_message" or not raw.get("user")
    names = [*(own + person if bot_post else person + own), users.get(raw.get("bot_id", "")), raw.get("bot_id")]
    name = next((str(n) for n in names if n), None)
    if name is None:
        raise KeyError("user")
    if raw.get("bot_id") and any(own):
        users.setdefault(str(raw["bot_id"]), name)
    return name


def _parts(raw: dict[str, Any], users: dict[str, str]) -> list[str]:
    """The post's text (else what its blocks show), its attachments' text and the files it shares."""
    text = _plain(str(raw.get("text") or ""), users) or _blocks(raw.get("blocks"), users)
    if raw.keys().isdisjoint(_EXTRAS):
        return [text]
    attached = [_attachment(a, users) for a in _dicts(raw.get("attachments"))]
    files = [_file(f) for f in [*_dicts(raw.get("files")), *_dicts([raw.get("file")])]]
    return [text, *attached, *files]


def _plain(text: str, users: dict[str, str]) -> str:
    text = _MENTION.sub(lambda m: "@" + users.get(m[1], m[1]), text)
    return html.unescape(_LINK.sub(_link, text)).strip()


def _link(m: re.Match[str]) -> str:
    sign, shown = m[1], m[2]
    return {"#": "#", "!": "@"}.get(sign, "") + shown


def _attachment(a: dict[str, Any], users: dict[str, str]) -> str:
    fields = [f"{f.get('title', '')}: {f.get('value', '')}".strip(": ") for f in _dicts(a.get("fields"))]
    shown = [str(a[key]) for key in ("pretext", "author_name", "title", "text") if a.get(key)] + fields
    return _plain("\n".join(shown or [str(a.get("fallback") or "")]), users)


def _file(f: dict[str, Any]) -> str:
    name, title = f.get("name"), f.get("title")
    if not name and not title:
        return "[file]"  # a file deleted since (Slack keeps a tombstone without its name)
    return f"[file: {title} ({name})]" if title and name and title != name else f"[file: {title or name}]"


def _blocks(blocks: Any, users: dict[str, str]) -> str:
    """The text of Block Kit blocks: sections, headers, context lines and rich text, one line each."""
    return "\n".join(line for block in _dicts(blocks) if (line := _block(block, users).strip()))


def _block(node: Any, users: dict[str, str]) -> str:
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "user":
        return "@" + users.get(str(node.get("user_id")), str(node.get("user_id")))
    if kind == "link":
        return str(node.get("text") or node.get("url") or "")
    if kind == "emoji":
        return f":{node.get('name')}:"
    if isinstance(node.get("text"), str):
        return _plain(node["text"], users) if kind == "mrkdwn" else node["text"]
    inline = "" if kind in _INLINE else "\n"  # a rich text section's pieces run on; blocks and fields are lines
    elements = inline.join(_block(e, users) for e in _dicts(node.get("elements")))
    fields = "\n".join(_block(f, users) for f in _dicts(node.get("fields")))
    return "\n".join(part for part in (_block(node.get("text"), users), elements, fields) if part)
