"""Chat exports: passages are windows of consecutive messages, each message located in the text.

A window's location carries every message's place in the chunk's text, when it was sent and
by whom (written by ingest/chat/window.py), so nothing reads a chunk's text back to find its
messages. A message is kept or dropped whole: its answer is often the sentence without the
question's words ("I've had them for 3 years now"), and half a message no longer matches the
message it cites. A citation names the message(s) its quote is in (`8 May 2023 13:58,
Caroline`), not the window's first time and every speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lecto.data import Chunk, Document, Kind, Location
from lecto.kinds import Excerpt, Fields, RankWeights, Unit, register_kind

# Chat passages shown on each side of the cited one.
CONTEXT_PASSAGES = 2


@dataclass(frozen=True)
class ChatLocation(Location):
    message_ids: tuple[str, ...]
    start_time: str | None
    end_time: str | None
    speakers: tuple[str, ...]
    messages: tuple[Unit, ...]  # one a message id: where it is in the chunk's text, its header, when, by whom

    def to_json(self) -> dict[str, Any]:
        return {
            "message_ids": list(self.message_ids),
            "start_time": self.start_time,
            "end_time": self.end_time,
            "speakers": list(self.speakers),
        }

    def describe(self) -> str:
        when = _human_time(self.start_time) if self.start_time else "undated"
        return f"{when}, {', '.join(self.speakers)}" if self.speakers else when

    def people(self) -> tuple[str, ...]:
        return self.speakers

    def times(self) -> tuple[str, str] | None:
        return (self.start_time, self.end_time or self.start_time) if self.start_time else None


def _human_time(iso: str) -> str:
    """`2023-05-08T13:58:00` → `8 May 2023 13:58`, the way people read chat times."""
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{t.day} {t:%b %Y %H:%M}"


@register_kind(Kind.CHAT)
class Chat(Fields):
    location = ChatLocation
    # A chat window mixes a dozen messages' topics into one vector (dense alone: chat 0.49 at 1K,
    # papers 0.69), so a dense rank counts 0.1 of a BM25 rank: at 0.3 it cost 0.03 at 1K, below
    # BM25 alone, for 0.01 at 2K-8K. Nearly every message states some duration or count, so
    # holding the kind of answer asked for singles out nothing: on the 38 such chat questions the
    # vote cost retrieve 0.04-0.08 at 1K-2K (docs/BENCHMARKS.md).
    weights = RankWeights(dense=0.1, answer=0.0)
    prose = False
    # A message is a whole turn, and the longer one tells the story the question asks about: normalised for
    # length as sentences are, the 999 chat questions got 183 right; unnormalised, 191 (papers and code lose).
    unit_length = 0.0

    def encode(self, location: Location) -> list[Any]:
        assert isinstance(location, ChatLocation)
        messages = [[m.start, m.end, m.head, m.sent, m.speaker] for m in location.messages]
        return [location.message_ids, location.start_time, location.end_time, location.speakers, messages]

    def decode(self, fields: list[Any]) -> Location:
        ids, start, end, speakers, messages = fields
        return ChatLocation(tuple(ids), start, end, tuple(speakers), tuple(Unit(*m) for m in messages))

    def units(self, chunk: Chunk) -> list[Unit]:
        assert isinstance(chunk.span.location, ChatLocation)
        return list(chunk.span.location.messages)

    def answer_units(self, chunk: Chunk) -> list[Unit]:
        return self.units(chunk)

    def narrow(self, location: Location, passage: str, start: int, end: int) -> Location:
        """The messages the quote at `start:end` overlaps, their times and speakers."""
        assert isinstance(location, ChatLocation)
        picked = list(zip(location.message_ids, location.messages, strict=True))
        picked = [(mid, m) for mid, m in picked if m.start < end and start < m.end]
        if not picked:
            return location
        speakers = tuple(dict.fromkeys(m.speaker for _, m in picked if m.speaker))
        return ChatLocation(
            tuple(mid for mid, _ in picked),
            picked[0][1].sent,
            picked[-1][1].sent,
            speakers,
            tuple(m for _, m in picked),
        )

    def excerpt(self, doc: Document, chunk: Chunk) -> Excerpt:
        """The passage with the passages before and after it, each headed by its time and speakers."""
        around = doc.chunks[max(0, chunk.ord - CONTEXT_PASSAGES) : chunk.ord + CONTEXT_PASSAGES + 1]
        lines: list[str] = []
        marked: set[int] = set()
        for c in around:
            if lines:
                lines.append("")
            start = len(lines)
            lines += [f"— {c.span.location.describe()}", *c.text.splitlines()]
            if c.id == chunk.id:
                marked.update(range(start, len(lines)))
        loc = chunk.span.location
        return Excerpt(f"{Path(doc.source).name} — {loc.describe()}", lines, 0, frozenset(marked))
