"""Conversation windows: consecutive messages packed into chunks that a question can cite.

A window ends at a long silence (a new conversation usually starts there) or at the size
cap. Every message is written as `[2023-05-08 13:58] Caroline: text` with its absolute date,
so the model can reason about time, and continuation lines are indented. The location keeps
each message's place in the chunk's text, its header's length, when it was sent and by whom
(lecto/kinds/chat.py), so no reader takes the text apart again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from lecto.ingest.chunking import MAX_CHARS, split_long
from lecto.ingest.registry import Piece
from lecto.kinds import Unit
from lecto.kinds.chat import ChatLocation

if TYPE_CHECKING:
    from lecto.ingest.chat.messages import Message

# Two hours of silence: long enough for a lull inside one talk, short enough to split separate days.
SESSION_GAP = timedelta(hours=2)
_INDENT = "  "


def windows(messages: list[Message], max_chars: int = MAX_CHARS) -> list[Piece]:
    """Pieces of consecutive messages, never across a long silence or a change of channel."""
    pieces: list[Piece] = []
    batch: list[tuple[Message, str, int]] = []
    size = 0
    for m in messages:
        head, parts = _entries(m, max_chars)
        for entry in parts:
            if batch and (size + len(entry) + 1 > max_chars or _breaks(batch[-1][0], m)):
                pieces.append(_piece(batch))
                batch, size = [], 0
            batch.append((m, entry, head))
            size += len(entry) + 1
    if batch:
        pieces.append(_piece(batch))
    return pieces


def _breaks(previous: Message, m: Message) -> bool:
    return m.channel != previous.channel or m.time - previous.time > SESSION_GAP


def _entries(m: Message, max_chars: int) -> tuple[int, list[str]]:
    """Its header's length, and the message as it appears in a chunk: one over the cap is cut into parts, each
    with its header."""
    header = f"[{m.time:%Y-%m-%d %H:%M}] {_channel(m)}{_one_line(m.speaker)}: "
    body = "\n".join(line.strip() for line in m.text.strip().splitlines() if line.strip()) or "(no text)"
    parts = split_long(body, max(max_chars - len(header), 100)) if len(header) + len(body) > max_chars else [body]
    return len(header), [header + part.replace("\n", "\n" + _INDENT) for part in parts]


def _channel(m: Message) -> str:
    return f"#{_one_line(m.channel)} " if m.channel else ""


def _one_line(name: str) -> str:
    return " ".join(name.split()) or "unknown"


def _piece(batch: list[tuple[Message, str, int]]) -> Piece:
    units = []
    start = 0
    for m, entry, head in batch:
        units.append(Unit(start, start + len(entry), head, m.time.isoformat(), m.speaker))
        start += len(entry) + 1
    location = ChatLocation(
        message_ids=tuple(m.id for m, _, _ in batch),
        start_time=batch[0][0].time.isoformat(),
        end_time=batch[-1][0].time.isoformat(),
        speakers=tuple(dict.fromkeys(m.speaker for m, _, _ in batch)),
        messages=tuple(units),
    )
    return Piece("\n".join(entry for _, entry, _ in batch), location)
