"""Where a quote lives, narrower than its passage: the message(s) of a chat, the lines of a file.

A chat passage holds up to a dozen messages by several people; a citation should name the one
that says it (`8 May 2023 13:58, Caroline`, with that message's id), not the window's first
time and every speaker. Code and text passages are narrowed to the lines the quote spans; PDF
passages never cross a page, so their page is already the quote's.
"""

from __future__ import annotations

from dataclasses import replace

from lecto.data import ChatLocation, CodeLocation, Location, Span, TextLocation
from lecto.ingest.chat.window import read_entry, split_messages


def narrow(span: Span, passage: str, start: int, end: int) -> Span:
    """The span of `passage[start:end]`, a quote copied from the passage text of `span`."""
    loc = span.location
    narrowed: Location = loc
    if isinstance(loc, ChatLocation):
        narrowed = _messages(loc, passage, start, end)
    elif isinstance(loc, CodeLocation | TextLocation) and _lines_match(loc, passage):
        first = loc.start_line + passage.count("\n", 0, start)
        last = loc.start_line + passage.count("\n", 0, max(start, end - 1))
        narrowed = replace(loc, start_line=first, end_line=last)
    return replace(span, location=narrowed)


def _lines_match(loc: CodeLocation | TextLocation, passage: str) -> bool:
    # Text chunks join paragraphs with one blank line whatever the file had; lines map back only
    # when the passage has exactly as many lines as the range it names.
    return passage.count("\n") == loc.end_line - loc.start_line


def _messages(loc: ChatLocation, passage: str, start: int, end: int) -> ChatLocation:
    picked: list[tuple[str, str]] = []
    offset = 0
    for mid, text in split_messages(passage, loc):
        if offset < end and start < offset + len(text):
            picked.append((mid, text))
        offset += len(text) + 1
    if not picked:
        return loc
    first_time = loc.start_time if picked[0][0] == loc.message_ids[0] else _time(picked[0][1])
    last_time = loc.end_time if picked[-1][0] == loc.message_ids[-1] else _time(picked[-1][1])
    speakers = tuple(dict.fromkeys(s for _, text in picked for s in loc.speakers if _spoken_by(text, s)))
    return ChatLocation(tuple(mid for mid, _ in picked), first_time, last_time, speakers or loc.speakers)


def _time(message: str) -> str | None:
    entry = read_entry(message)
    return entry.sent.isoformat() if entry else None


def _spoken_by(message: str, speaker: str) -> bool:
    entry = read_entry(message)
    return entry is not None and entry.speaker == (" ".join(speaker.split()) or "unknown")
