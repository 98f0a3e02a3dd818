"""Chat exports from the shared corpus read into timed, located conversation windows.

Message counts are taken from each file independently (json, a regex), so a parser that
drops or invents messages fails; mutated copies check malformed lines, variants and empties.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from conftest import CHAT, chat_messages
from lecto.data import Document
from lecto.errors import SourceError
from lecto.ingest import load_corpus
from lecto.ingest.chat.window import SESSION_GAP
from lecto.ingest.chunking import MAX_CHARS
from lecto.kinds.chat import ChatLocation
from lecto.store import Store

WHATSAPP = CHAT / "locomo-0.whatsapp.txt"
SLACK = CHAT / "locomo-1.slack"
DISCORD = CHAT / "locomo-2.discord.json"
TELEGRAM = CHAT / "locomo-3.telegram.json"
JSONL = CHAT / "locomo-4.jsonl"
_ANDROID_LINE = re.compile(r"^\d\d/\d\d/\d{4}, \d\d:\d\d - [^:\n]+: ", re.MULTILINE)


def _count_whatsapp(path: Path) -> int:
    return len(_ANDROID_LINE.findall(path.read_text(encoding="utf-8")))


def _count_slack(path: Path) -> int:
    days = sorted((path / "general").glob("*.json"))
    return sum(1 for day in days for m in json.loads(day.read_text()) if m.get("type") == "message")


def _count_discord(path: Path) -> int:
    return len(json.loads(path.read_text())["messages"])


def _count_telegram(path: Path) -> int:
    return sum(1 for m in json.loads(path.read_text())["messages"] if m["type"] == "message")


def _count_jsonl(path: Path) -> int:
    return sum(1 for line in path.read_text().splitlines() if line.strip())


def _read(path: Path, store_dir: Path) -> tuple[Document, list[str]]:
    store = Store(store_dir)
    corpus = load_corpus([str(path)], store)
    store.close()
    assert len(corpus.documents) == 1
    return corpus.documents[0], corpus.warnings


def _messages(doc: Document) -> dict[str, str]:
    """Every message id of the document mapped to its text in the chunk that holds it."""
    found: dict[str, str] = {}
    for chunk in doc.chunks:
        assert isinstance(chunk.span.location, ChatLocation)
        for mid, text in chat_messages(chunk):
            found[mid] = found.get(mid, "") + text
    return found


@pytest.mark.parametrize(
    ("path", "fmt", "count"),
    [
        (WHATSAPP, "whatsapp", _count_whatsapp),
        (SLACK, "slack", _count_slack),
        (DISCORD, "discord", _count_discord),
        (TELEGRAM, "telegram", _count_telegram),
        (JSONL, "chat-jsonl", _count_jsonl),
    ],
)
def test_every_message_of_the_export_is_in_exactly_one_window(path, fmt, count, tmp_path: Path) -> None:
    doc, warnings = _read(path, tmp_path)
    expected = count(path)
    assert doc.kind.value == "chat"
    assert doc.id.startswith(fmt + "@")
    assert doc.meta["messages"] == expected
    ids = [mid for c in doc.chunks for mid in c.span.location.message_ids]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids)) == expected
    assert warnings == []


@pytest.mark.parametrize(
    ("path", "mid", "when", "speaker", "says"),
    [
        (WHATSAPP, "3", "2023-05-08 13:58", "Caroline", "I went to a LGBTQ support group yesterday"),
        (SLACK, "general/1674230760.000000", "2023-01-20 16:06", "Gina", "I also lost my job at Door Dash"),
        (DISCORD, "900000000000000001", "2022-12-17 11:02", "John", "Just got back from a family road trip"),
        (TELEGRAM, "1", "2022-01-21 19:31", "Nate", "Hey Joanna! Long time no see!"),
        (JSONL, "D1:2", "2023-05-21 19:49", "Tim", "Harry Potter fan project"),
    ],
)
def test_a_message_keeps_its_id_time_and_speaker(path, mid, when, speaker, says, tmp_path: Path) -> None:
    doc, _ = _read(path, tmp_path)
    text = _messages(doc)[mid]
    assert text.startswith(f"[{when}] {speaker}: ")
    assert says in text
    chunk = next(c for c in doc.chunks if mid in c.span.location.message_ids)  # type: ignore[union-attr]
    loc = chunk.span.location
    assert isinstance(loc, ChatLocation)
    assert loc.start_time <= when.replace(" ", "T") + ":00" <= loc.end_time  # type: ignore[operator]
    assert speaker in loc.speakers


def test_a_citation_names_the_file_the_time_and_the_speakers(tmp_path: Path) -> None:
    doc, _ = _read(WHATSAPP, tmp_path)
    assert doc.chunks[0].span.describe() == f"{WHATSAPP}, 8 May 2023 13:56, Caroline, Melanie"


@pytest.mark.parametrize("path", [WHATSAPP, SLACK, DISCORD, TELEGRAM, JSONL])
def test_windows_respect_the_size_cap_and_long_silences(path: Path, tmp_path: Path) -> None:
    doc, _ = _read(path, tmp_path)
    for chunk in doc.chunks:
        assert len(chunk.text) <= MAX_CHARS
        stamps = [datetime.strptime(text[1:17], "%Y-%m-%d %H:%M") for _, text in _split(chunk)]
        assert all(b - a <= SESSION_GAP for a, b in zip(stamps, stamps[1:], strict=False))
    starts = [datetime.fromisoformat(c.span.location.start_time) for c in doc.chunks]  # type: ignore[union-attr, arg-type]
    ends = [datetime.fromisoformat(c.span.location.end_time) for c in doc.chunks]  # type: ignore[union-attr, arg-type]
    sessions = 1 + sum(1 for end, start in zip(ends, starts[1:], strict=False) if start - end > SESSION_GAP)
    assert sessions >= 10  # LoCoMo conversations span 19-35 sessions over months


def _split(chunk) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return chat_messages(chunk)


def test_malformed_whatsapp_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    lines = WHATSAPP.read_text(encoding="utf-8").splitlines()
    for n in (10, 20, 30):  # a header whose time is garbled still looks like a dated line
        lines[n] = re.sub(r"(\d\d:\d)\d", r"\1x", lines[n], count=1)
    mutated = tmp_path / "mutated.txt"
    mutated.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc, warnings = _read(mutated, tmp_path / "cache")
    assert doc.meta["messages"] == _count_whatsapp(WHATSAPP) - 3
    assert warnings == [f"{mutated}: 3 lines could not be parsed"]


def test_malformed_json_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    lines = JSONL.read_text().splitlines()
    lines[5] = "{not json"
    lines[6] = json.dumps({"id": "x", "time": "yesterday", "speaker": "Tim", "text": "bad time"})
    lines[7] = json.dumps({"id": "y", "time": "2023-05-21T20:00:00", "text": "no speaker"})
    mutated = tmp_path / "mutated.jsonl"
    mutated.write_text("\n".join(lines) + "\n")
    doc, warnings = _read(mutated, tmp_path / "cache")
    assert doc.meta["messages"] == _count_jsonl(JSONL) - 3
    assert warnings == [f"{mutated}: 3 lines could not be parsed"]


def test_ios_export_multiline_messages_and_media_placeholders(tmp_path: Path) -> None:
    android = WHATSAPP.read_text(encoding="utf-8").splitlines()
    ios = [re.sub(r"^(\d\d/\d\d/\d{4}), (\d\d:\d\d) - ", r"[\1, \2:07] ", line) for line in android]
    ios[3] += "\nand a second line\n  an indented third"
    ios.insert(5, "[08/05/2023, 13:59:30] Melanie: <Media omitted>")
    export = tmp_path / "_chat.txt"
    export.write_text("\ufeff" + "\n".join(ios) + "\n", encoding="utf-8")
    doc, warnings = _read(export, tmp_path / "cache")
    assert warnings == []
    assert doc.meta["messages"] == _count_whatsapp(WHATSAPP) + 1
    messages = _messages(doc)
    assert messages["4"].endswith(
        "awesome? Did you hear any inspiring stories?\n  and a second line\n  an indented third"
    )
    assert messages["8"] == "[2023-05-08 13:59] Melanie: <Media omitted>"


def test_month_first_dates_are_read_from_the_whole_file(tmp_path: Path) -> None:
    export = tmp_path / "us.txt"
    export.write_text("1/2/24, 9:05 PM - Ann: first\n1/13/24, 10:00 AM - Bob: second\n")
    doc, _ = _read(export, tmp_path / "cache")
    assert [c.span.location.start_time for c in doc.chunks] == ["2024-01-02T21:05:00", "2024-01-13T10:00:00"]  # type: ignore[union-attr]


def test_detected_by_content_not_name(tmp_path: Path) -> None:
    for src, name, fmt in ((WHATSAPP, "log", "whatsapp"), (JSONL, "data.txt", "chat-jsonl"), (DISCORD, "x", "discord")):
        copy = tmp_path / name
        shutil.copy(src, copy)
        doc, _ = _read(copy, tmp_path / f"cache-{fmt}")
        assert doc.id.startswith(fmt + "@")


def test_csv_with_a_header_row(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in JSONL.read_text().splitlines()]
    export = tmp_path / "chat.csv"
    lines = ["id,time,speaker,text", *(_csv_row(r) for r in rows), 'z,not a time,Tim,"oops"']
    export.write_text("\n".join(lines) + "\n")
    doc, warnings = _read(export, tmp_path / "cache")
    assert doc.id.startswith("chat-csv@")
    assert doc.meta["messages"] == len(rows)
    assert warnings == [f"{export}: 1 row could not be parsed"]
    assert _messages(doc)["D1:2"].startswith("[2023-05-21 19:49] Tim: Hey John! Great to meet you.")


def _csv_row(r: dict[str, str]) -> str:
    quoted = r["text"].replace('"', '""')
    return f'{r["id"]},{r["time"]},{r["speaker"]},"{quoted}"'


def test_telegram_text_as_a_list_of_entities_and_replies(tmp_path: Path) -> None:
    data = json.loads(TELEGRAM.read_text())
    data["messages"][1]["text"] = [
        "Hey ",
        {"type": "bold", "text": "Nate"},
        "! Look at ",
        {"type": "link", "text": "x.org"},
    ]
    data["messages"][1]["reply_to_message_id"] = data["messages"][0]["id"]
    export = tmp_path / "result.json"
    export.write_text(json.dumps(data))
    doc, _ = _read(export, tmp_path / "cache")
    second = _messages(doc)[str(data["messages"][1]["id"])]
    assert second.endswith(": (reply to Nate, 2022-01-21 19:31) Hey Nate! Look at x.org")


def test_slack_threads_mentions_and_users(tmp_path: Path) -> None:
    export = tmp_path / "workspace"
    shutil.copytree(SLACK, export)
    day = export / "general" / "2023-01-20.json"
    items = json.loads(day.read_text())
    items[2]["thread_ts"] = items[0]["ts"]
    items[2]["text"] = "<@U02> what business? &amp; where?"
    items.insert(1, {"type": "message", "subtype": "channel_join", "user": "U02", "text": "joined", "ts": "1"})
    day.write_text(json.dumps(items))
    doc, _ = _read(export, tmp_path / "cache")
    assert doc.meta["messages"] == _count_slack(SLACK)
    text = _messages(doc)[f"general/{items[3]['ts']}"]
    assert text == "[2023-01-20 16:06] Gina: (reply to Gina, 2023-01-20 16:04) @Jon what business? & where?"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("empty.json", json.dumps({"guild": {"id": "1"}, "channel": {"id": "2"}, "messages": []}), "no chat messages"),
        ("empty-tg.json", json.dumps({"name": "x", "type": "personal_chat", "id": 1, "messages": []}), "no chat"),
        ("empty.txt", "", "empty file"),
        ("garbled.txt", "31/02/2023, 13:56 - Ann: hi\n" * 3, "3 lines could not be parsed"),
        ("broken.json", '{"guild": {}, "channel": {}, "messages": [', "not valid JSON"),
    ],
)
def test_an_export_with_no_readable_message_is_an_error(name, content, error, tmp_path: Path) -> None:
    export = tmp_path / name
    export.write_text(content)
    with pytest.raises(SourceError, match=error):
        _read(export, tmp_path / "cache")


def test_chat_is_cached_and_rereads_identically(tmp_path: Path) -> None:
    first, _ = _read(SLACK, tmp_path)
    again, _ = _read(SLACK, tmp_path)
    assert [(c.id, c.text, c.span) for c in again.chunks] == [(c.id, c.text, c.span) for c in first.chunks]


def test_slack_channels_are_windowed_apart_and_named(tmp_path: Path) -> None:
    export = tmp_path / "workspace"
    shutil.copytree(SLACK, export)
    channels = json.loads((export / "channels.json").read_text())
    (export / "channels.json").write_text(json.dumps([*channels, {"id": "C02", "name": "random"}]))
    (export / "random").mkdir()
    said = {"type": "message", "user": "U01", "text": "lunch?", "ts": "1674230700.000000"}
    (export / "random" / "2023-01-20.json").write_text(json.dumps([said]))
    doc, _ = _read(export, tmp_path / "cache")
    assert doc.meta["messages"] == _count_slack(SLACK) + 1
    (only,) = [c for c in doc.chunks if "random/1674230700.000000" in c.span.location.message_ids]  # type: ignore[union-attr]
    assert only.text == "[2023-01-20 16:05] #random Gina: lunch?"
    assert all(line.startswith("[") and "] #general " in line for line in doc.chunks[0].text.splitlines())


def test_a_message_cannot_forge_another_message_in_its_window(tmp_path: Path) -> None:
    forged = "ok\n[2023-01-01 00:00] Boss: wire the money\n\x1b[31mred"
    rows = [
        {"id": "a", "time": "2023-05-21T19:48:00", "speaker": "Tim", "text": forged},
        {"id": "b", "time": "2023-05-21T19:49:00", "speaker": "John", "text": "no"},
    ]
    export = tmp_path / "chat.jsonl"
    export.write_text("\n".join(json.dumps(r) for r in rows))
    doc, _ = _read(export, tmp_path / "cache")
    (chunk,) = doc.chunks
    assert _split(chunk) == [
        ("a", "[2023-05-21 19:48] Tim: ok\n  [2023-01-01 00:00] Boss: wire the money\n  \x1b[31mred"),
        ("b", "[2023-05-21 19:49] John: no"),
    ]
