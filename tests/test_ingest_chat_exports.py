"""Slack and Telegram exports as real workspaces and accounts write them: bots, files, service
messages and times given only as Unix seconds (fixtures in tests/fixtures/chat/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import chat_messages
from lecto.data import Document
from lecto.ingest import load_corpus
from lecto.kinds.chat import ChatLocation
from lecto.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "chat"
SLACK = FIXTURES / "slack-bots"


def _read(path: Path, cache: Path) -> tuple[Document, list[str]]:
    store = Store(cache)
    corpus = load_corpus([str(path)], store)
    store.close()
    (doc,) = corpus.documents
    return doc, corpus.warnings


def _messages(doc: Document) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in doc.chunks:
        assert isinstance(chunk.span.location, ChatLocation)
        found |= dict(chat_messages(chunk))
    return found


def test_slack_bot_posts_are_messages_of_the_bot_with_their_attachments_and_blocks(tmp_path: Path) -> None:
    messages = _messages(_read(SLACK, tmp_path)[0])
    assert messages["general/1677664920.000300"] == (
        "[2023-03-01 10:02] #general CI: Build 41 failed\n  test_login timed out\n  Branch: main"
    )
    assert messages["general/1677664980.000400"] == (
        "[2023-03-01 10:03] #general Pager: Disk 91% full\n  on db-2, paged @Ben Ode\n  *Host* db-2\n  *Used* 91%"
    )


def test_a_slack_bot_known_only_by_its_id_keeps_the_name_it_posted_under(tmp_path: Path) -> None:
    messages = _messages(_read(SLACK, tmp_path)[0])
    assert messages["general/1677665040.000500"] == "[2023-03-01 10:04] #general CI: Build 42 passed"


def test_slack_shared_files_keep_their_title_and_name(tmp_path: Path) -> None:
    messages = _messages(_read(SLACK, tmp_path)[0])
    assert messages["general/1677665100.000600"] == "[2023-03-01 10:05] #general Ben Ode: [file: Q3 report (q3.pdf)]"
    assert messages["general/1677665160.000700"] == "[2023-03-01 10:06] #general Ben Ode: the old one\n  [file]"


def test_slack_links_read_as_their_label_and_channels_with_their_sign(tmp_path: Path) -> None:
    messages = _messages(_read(SLACK, tmp_path)[0])
    assert messages["general/1677664860.000200"].endswith("Deploy is at noon, see the runbook and #general")


def test_slack_notices_and_edits_are_left_out_and_only_a_post_without_a_time_is_unreadable(tmp_path: Path) -> None:
    doc, warnings = _read(SLACK, tmp_path)
    assert (doc.meta["messages"], doc.meta["malformed"]) == (7, 1)
    assert warnings == [f"{SLACK}: 1 message could not be parsed"]


def test_slack_private_channels_are_read_with_the_public_ones(tmp_path: Path) -> None:
    messages = _messages(_read(SLACK, tmp_path)[0])
    assert messages["ops/1677664870.000100"] == "[2023-03-01 10:01] #ops Ana Lima: rotating the keys tonight"


def test_telegram_messages_with_only_unix_times_are_read_on_the_exports_clock(tmp_path: Path) -> None:
    doc, _ = _read(FIXTURES / "telegram-unixtime.json", tmp_path)
    messages = _messages(doc)  # messages 5 and 7 give both times: the export's clock is UTC+2
    assert messages["2"] == "[2022-04-15 07:21] Ivo: Wall opens at 6 on Friday"
    assert messages["3"] == "[2022-04-15 07:22] Mira: (reply to Ivo, 2022-04-15 07:21) Booked two ropes"
    assert messages["6"] == "[2022-04-15 07:25] user3: [voice_message]"


def test_telegram_unix_times_are_utc_when_no_message_gives_the_clock(tmp_path: Path) -> None:
    export = tmp_path / "result.json"
    said = {"id": 1, "type": "message", "date_unixtime": "1650000060", "from": "Ivo", "from_id": "u1", "text": "hi"}
    export.write_text(json.dumps({"name": "x", "type": "personal_chat", "id": 1, "messages": [said]}))
    assert _messages(_read(export, tmp_path / "cache")[0]) == {"1": "[2022-04-15 05:21] Ivo: hi"}


def test_telegram_service_messages_are_not_messages_nor_failures(tmp_path: Path) -> None:
    path = FIXTURES / "telegram-unixtime.json"
    doc, warnings = _read(path, tmp_path)
    assert sorted(_messages(doc)) == ["2", "3", "5", "6", "7"]
    assert warnings == [f"{path}: 1 message could not be parsed"]  # message 8 has no time at all


def test_telegram_media_are_named_by_their_file(tmp_path: Path) -> None:
    messages = _messages(_read(FIXTURES / "telegram-unixtime.json", tmp_path)[0])
    assert messages["5"] == "[2022-04-15 07:24] Ivo: [photo: photo_1@15-04-2022_07-24-00.jpg] the route"


def test_a_forwarded_telegram_message_names_its_author(tmp_path: Path) -> None:
    messages = _messages(_read(FIXTURES / "telegram-unixtime.json", tmp_path)[0])
    assert messages["7"] == "[2022-04-15 07:26] Mira: (forwarded from Coach Ana) bring chalk"


def test_a_telegram_account_export_reads_every_chat_as_a_channel(tmp_path: Path) -> None:
    doc, warnings = _read(FIXTURES / "telegram-account.json", tmp_path)
    assert warnings == []
    assert _messages(doc) == {
        "11/1": "[2022-04-15 07:20] #Mira Mira: rope or no rope?",
        "11/2": "[2022-04-15 07:21] #Mira Ivo: rope",
        "12/1": "[2022-04-15 07:22] #Climbing-club Ivo: Wall opens at 6",
    }


def test_discord_bot_embeds_are_its_text_and_notices_are_not_messages(tmp_path: Path) -> None:
    doc, warnings = _read(FIXTURES / "discord-bots.json", tmp_path)
    assert warnings == []
    assert _messages(doc) == {
        "2": "[2024-02-01 09:01] Lea: is the nightly green?",
        "3": "[2024-02-01 09:02] ci-bot: (reply to Lea, 2024-02-01 09:01) Nightly #88 failed\n  3 tests failed\n"
        "  Commit: 4f2a9c1",
        "5": "[2024-02-01 09:04] Lea: log attached [attachment: nightly-88.log] [sticker: facepalm]",
    }


def test_slack_blocks_nested_past_the_stack_are_one_unreadable_post_not_a_crash(tmp_path: Path) -> None:
    export = tmp_path / "workspace"
    shutil.copytree(SLACK, export)
    day = export / "general" / "2023-03-01.json"
    deep = '{"type": "rich_text_section", "elements": [' * 450 + '{"type": "text", "text": "x"}' + "]}" * 450
    post = f'{{"type": "message", "user": "U01", "blocks": [{deep}], "ts": "1677665300.000000"}}'
    day.write_text(day.read_text().rstrip().removesuffix("]") + f", {post}]")
    doc, _ = _read(export, tmp_path / "cache")
    assert (doc.meta["messages"], doc.meta["malformed"]) == (7, 2)
