"""Reading a JSON export, shared by the Discord, Telegram and Slack ingesters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lecto.errors import SourceError
from lecto.ingest.text import read_text


def load_json(path: Path, source: str) -> Any:
    try:
        return json.loads(read_text(path, source))
    except json.JSONDecodeError as e:
        raise SourceError(f"not valid JSON ({e.msg}, line {e.lineno})", source=source) from e
    except RecursionError as e:
        raise SourceError("JSON nested too deeply to read", source=source) from e


def message_list(data: Any, source: str) -> list[Any]:
    """The export's `messages` array, or a `SourceError` if the file has none."""
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, list):
        raise SourceError("chat export has no list of messages", source=source)
    return messages
