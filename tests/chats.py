"""A chat of a few messages, as JSON lines ingested into a real store, read whole as the answer step reads a
plan's passages: for tests of what lecto quotes and whom it credits."""

from __future__ import annotations

import json
from pathlib import Path

from lecto.data import Selected
from lecto.ingest import load_corpus
from lecto.store import Store


def chat_of(tmp_path: Path, store: Store, lines: list[tuple[str, str]]) -> list[Selected]:
    """The passages of a chat whose (speaker, text) messages are sent a minute apart on 8 May 2023."""
    path = tmp_path / "chat.jsonl"
    rows = [
        {"id": str(i), "time": f"2023-05-08T10:{i:02d}:00", "speaker": p, "text": t} for i, (p, t) in enumerate(lines)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return [Selected(c, c.text, 0) for c in load_corpus([str(path)], store).chunks]
