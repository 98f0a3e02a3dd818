"""Zipped chat exports, read directly: archives built here as WhatsApp and Slack lay them out,
from the fixtures' chats, and hostile or wrong archives that must each be one clear error."""

from __future__ import annotations

import os
import random
import zipfile
from pathlib import Path

import pytest

from conftest import chat_messages
from lecto.data import Document
from lecto.errors import LectoError, SourceError
from lecto.ingest import load_corpus
from lecto.ingest.sources import ingest_file, read_sources
from lecto.kinds.chat import ChatLocation
from lecto.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "chat"
IOS_CHAT = (FIXTURES / "whatsapp" / "ios-one-to-one.txt").read_bytes()
ANDROID_CHAT = (FIXTURES / "whatsapp" / "android-dmy-slash-24h.txt").read_bytes()
PHOTO = os.urandom(2048)  # media do not compress, and are never unpacked


def _zip(path: Path, entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def _slack_entries(root: str) -> dict[str, bytes]:
    folder = FIXTURES / "slack-bots"
    return {f"{root}{p.relative_to(folder).as_posix()}": p.read_bytes() for p in folder.rglob("*.json")}


def _read(path: Path, cache: Path) -> Document:
    store = Store(cache)
    try:
        (doc,) = load_corpus([str(path)], store).documents
    finally:
        store.close()
    return doc


def _texts(doc: Document) -> list[str]:
    out = []
    for chunk in doc.chunks:
        assert isinstance(chunk.span.location, ChatLocation)
        out += [text for _, text in chat_messages(chunk)]
    return out


def test_an_ios_whatsapp_zip_reads_its_chat_and_lists_its_media(tmp_path: Path) -> None:
    photo = "00000012-PHOTO-2016-08-16-13-40-30.jpg"
    export = _zip(tmp_path / "WhatsApp Chat - Bob.zip", {"_chat.txt": IOS_CHAT, photo: PHOTO})
    doc = _read(export, tmp_path / "cache")
    assert (doc.meta["format"], doc.meta["messages"], doc.meta["media"]) == ("whatsapp", 4, [photo])
    assert _texts(doc)[2] == f"[2016-08-16 13:40] Ann: <attached: {photo}>"


def test_an_android_whatsapp_zip_with_the_chat_named_after_the_contact(tmp_path: Path) -> None:
    entries = {"WhatsApp Chat with Trip.txt": ANDROID_CHAT, "IMG-20160816-WA0001.jpg": PHOTO, "__MACOSX/._x": b"x"}
    doc = _read(_zip(tmp_path / "trip.zip", entries), tmp_path / "cache")
    assert (doc.meta["messages"], doc.meta["speakers"], doc.meta["media"]) == (
        4,
        ["Ann", "Bob", "Cleo"],
        ["IMG-20160816-WA0001.jpg"],
    )


@pytest.mark.parametrize("root", ["", "Acme Slack export Mar 1 2023/"])
def test_a_zipped_slack_workspace_reads_like_its_folder(root: str, tmp_path: Path) -> None:
    folder = _read(FIXTURES / "slack-bots", tmp_path / "cache-folder")
    zipped = _read(_zip(tmp_path / "acme.zip", _slack_entries(root)), tmp_path / "cache")
    assert zipped.meta["format"] == "slack"
    assert _texts(zipped) == _texts(folder)


def test_a_zip_bigger_than_the_file_limit_is_read_when_its_chat_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LECTO_MAX_FILE_MB", "1")
    video = os.urandom(3 << 20)
    export = _zip(tmp_path / "big.zip", {"_chat.txt": IOS_CHAT, "00000013-VIDEO.mp4": video}, zipfile.ZIP_STORED)
    assert _read(export, tmp_path / "cache").meta["messages"] == 4


def _bomb() -> dict[str, bytes]:
    return {"_chat.txt": IOS_CHAT + b"\n" * (8 << 20)}


def _many() -> dict[str, bytes]:
    return {"_chat.txt": IOS_CHAT} | {f"{n:05d}-PHOTO.jpg": b"" for n in range(30)}


@pytest.mark.parametrize(
    ("entries", "env", "error"),
    [
        ({"README.txt": b"notes\n", "paper.pdf": b"%PDF-1.4\n"}, {}, "zip archive holds no chat export lecto reads"),
        ({"_chat.txt": IOS_CHAT, "../../evil.txt": b"x"}, {}, "zip entry '../../evil.txt' points outside the archive"),
        ({"_chat.txt": IOS_CHAT, "/etc/cron.d/x": b"x"}, {}, "zip entry '/etc/cron.d/x' points outside the archive"),
        (_bomb(), {}, r"zip entry '_chat.txt' expands [\d,]+ to 1, over the 100 to 1 limit"),
        (_many(), {"LECTO_MAX_FILES": "10"}, "zip archive has 31 entries, over the 10 files limit"),
        (_bomb(), {"LECTO_MAX_ZIP_RATIO": "100000", "LECTO_MAX_FILE_MB": "1"}, "chat unpacks to 8 MB, over the 1 MB"),
        ({"a/_chat.txt": IOS_CHAT, "b/_chat.txt": ANDROID_CHAT}, {}, "holds 2 chat exports"),
    ],
)
def test_a_zip_that_is_not_a_readable_export_is_one_clear_error(
    entries: dict[str, bytes], env: dict[str, str], error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SourceError, match=error):
        _read(_zip(tmp_path / "x.zip", entries), tmp_path / "cache")


def test_a_damaged_zip_is_an_error_that_says_so(tmp_path: Path) -> None:
    whole = _zip(tmp_path / "whole.zip", {"_chat.txt": IOS_CHAT}).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceError, match="damaged zip archive"):
        _read(cut, tmp_path / "cache")


def test_an_encrypted_zip_asks_for_it_to_be_unzipped(tmp_path: Path) -> None:
    data = bytearray(_zip(tmp_path / "plain.zip", {"_chat.txt": IOS_CHAT}, zipfile.ZIP_STORED).read_bytes())
    # Set the "encrypted" flag in the local and the central header, as an encrypting zip tool does
    # (zipfile itself cannot encrypt).
    data[data.index(b"PK\x03\x04") + 6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1
    export = tmp_path / "locked.zip"
    export.write_bytes(bytes(data))
    with pytest.raises(SourceError, match=r"zip archive is encrypted \(unzip it with its password first\)"):
        _read(export, tmp_path / "cache")


def test_lecto_inspect_names_a_zip_that_is_not_an_export_in_one_line(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = _zip(tmp_path / "notes.zip", {"README.txt": b"notes\n"})
    result = lecto("inspect", str(notes))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"lecto: {notes}: zip archive holds no chat export lecto reads (unzip it and name the folder to read its"
        " files; a zipped WhatsApp chat .txt, Slack workspace (users.json and channels.json), Telegram or Discord"
        " JSON is read as it is)"
    ]


def test_mutated_zips_parse_or_fail_with_one_line(tmp_path: Path) -> None:
    """Bytes flipped, cut or inserted anywhere (the ingest fuzz run found offsets past the end and
    corrupt deflate streams): each mutant is read or refused with a `LectoError`, never a crash."""
    seed = _zip(tmp_path / "seed.zip", {"_chat.txt": IOS_CHAT, "a.jpg": PHOTO[:200]}).read_bytes()
    rng = random.Random(16)
    store = Store(tmp_path / "cache")
    for n in range(200):
        data = bytearray(seed)
        at = rng.randrange(len(data))
        if n % 2:
            data[at] = rng.randrange(256)
        else:
            del data[at : at + rng.randint(1, 40)]
        mutant = tmp_path / f"m{n}.zip"
        mutant.write_bytes(bytes(data))
        try:
            ingest_file(mutant, str(mutant), store)
        except LectoError as e:
            assert "\n" not in str(e)
    store.close()


def test_lecto_inspect_lists_a_whatsapp_zips_media_by_name(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    photo = "00000012-PHOTO-2016-08-16-13-40-30.jpg"
    export = _zip(tmp_path / "chat.zip", {"_chat.txt": IOS_CHAT, photo: PHOTO, "00000013-AUDIO.opus": PHOTO})
    result = lecto("inspect", str(export))
    assert result.returncode == 0, result.stderr
    assert f"  media: 2 ({photo}, 00000013-AUDIO.opus)\n" in result.stdout


def test_a_zip_over_a_folders_file_cap_is_skipped_with_a_warning_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # iOS delivers the chat beside its photos: a few MB is usual, and the folder cap (4 MB) is lowered here to 1.
    monkeypatch.setenv("LECTO_MAX_FOLDER_FILE_MB", "1")
    folder = tmp_path / "chats"
    folder.mkdir()
    export = _zip(folder / "WhatsApp Chat - Bob.zip", {"_chat.txt": IOS_CHAT, "photo.jpg": os.urandom(3 << 19)})
    (folder / "notes.md").write_text("The trip to the coast starts on Monday.\n")
    store = Store(tmp_path / "cache")
    try:
        reading = read_sources([str(folder)], store)
    finally:
        store.close()

    assert [d.source for d in reading.corpus.documents] == [str(folder / "notes.md")]
    assert [w for w in reading.corpus.warnings if export.name in w] == [
        f"{export}: file in a folder is 1.5 MB, over the 1 MB limit (set LECTO_MAX_FOLDER_FILE_MB to raise it), skipped"
    ]
    assert _read(export, tmp_path / "cache-alone").meta["messages"] == 4, "named alone, it is read"
