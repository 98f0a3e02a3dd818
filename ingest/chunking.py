"""Packing small blocks (paragraphs, lines) into chunks of a bounded size.

Chunks are sized in characters at ingest time because token counts depend on the model,
which is only known when a question is planned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# ~250 tokens: small enough that a 1K budget holds several passages, big enough to keep a paragraph whole.
MAX_CHARS = 1000
_SPACES = re.compile(r"\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")


def split_long(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Split an over-long block at sentence ends, then at spaces, never inside a word."""
    if len(text) <= max_chars:
        return [text]
    parts: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        for piece in _cut(sentence, max_chars):
            if current and len(current) + 1 + len(piece) > max_chars:
                parts.append(current)
                current = piece
            else:
                current = f"{current} {piece}" if current else piece
    if current:
        parts.append(current)
    return parts


def _cut(sentence: str, max_chars: int) -> Iterator[str]:
    """Pieces of at most `max_chars`, cut at the last space; offsets, not slices, keep a 100 MB line linear."""
    start = 0
    while len(sentence) - start > max_chars:
        cut = sentence.rfind(" ", start, start + max_chars)
        cut = cut if cut > start else start + max_chars
        yield sentence[start:cut]
        start = _SPACES.match(sentence, cut).end()  # type: ignore[union-attr]
    if start < len(sentence):
        yield sentence[start:]


def pack_blocks(blocks: list[tuple[str, int, int]], max_chars: int = MAX_CHARS) -> list[tuple[str, int, int]]:
    """Join consecutive (text, first, last) blocks into chunks of at most `max_chars`."""
    out: list[tuple[str, int, int]] = []
    text, first, last = "", 0, 0
    for block, b_first, b_last in blocks:
        if text and len(text) + 2 + len(block) > max_chars:
            out.append((text, first, last))
            text = ""
        if not text:
            first = b_first
        text = f"{text}\n\n{block}" if text else block
        last = b_last
        if len(text) > max_chars:
            *full, text = split_long(text, max_chars)
            out += [(part, first, last) for part in full]
    if text:
        out.append((text, first, last))
    return out
