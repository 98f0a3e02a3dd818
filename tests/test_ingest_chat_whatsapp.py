"""WhatsApp exports in every header form the app writes, each read as the same short chat.

The fixtures (tests/fixtures/chat/whatsapp/) hold one group chat written in one locale's form
each: a system notice or two, a two-line message, a photo from an unsaved contact, a message
the next evening. Every form must give the same speakers, times and messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import chat_messages
from lecto.data import Document, Kind
from lecto.ingest import load_corpus
from lecto.kinds.chat import ChatLocation
from lecto.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "chat" / "whatsapp"
WITH_SECONDS = {
    "croatian-spaced-dots",
    "old-dots-colon",
    "ios-dmy-seconds",
    "ios-mdy-12h-seconds",
    "ios-ymd-slashes",
    "ios-finnish-klo",
    "ios-german-dots-no-comma",
}
FORMS = sorted(p.stem for p in FIXTURES.glob("*.txt") if p.stem.startswith(("android-", "ios-", "croatian-", "old-")))
FORMS.remove("ios-one-to-one")
FORMS.remove("android-mdy-by-order")


def _read(path: Path, cache: Path) -> tuple[Document, list[str]]:
    store = Store(cache)
    corpus = load_corpus([str(path)], store)
    store.close()
    (doc,) = corpus.documents
    return doc, corpus.warnings


def _messages(doc: Document) -> list[str]:
    out = []
    for chunk in doc.chunks:
        assert isinstance(chunk.span.location, ChatLocation)
        out += [text for _, text in chat_messages(chunk)]
    return out


def test_every_form_of_the_fixtures_is_checked() -> None:
    assert len(FORMS) == 19


@pytest.mark.parametrize("form", FORMS)
def test_each_locale_form_reads_as_the_same_chat(form: str, tmp_path: Path) -> None:
    doc, warnings = _read(FIXTURES / f"{form}.txt", tmp_path)
    assert warnings == []
    assert doc.id.startswith("whatsapp@")
    assert doc.meta["speakers"] == ["Ann", "Bob", "Cleo"]
    media = "image omitted" if form.startswith("ios") else "<Media omitted>"
    assert _messages(doc) == [
        "[2016-08-16 09:05] Ann: Are we still on for Saturday?",
        "[2016-08-16 09:07] Bob: Yes! I'll bring the map\n  and the snacks",
        f"[2016-08-16 13:40] Cleo: {media}",
        "[2016-08-17 21:30] Bob: Night: see you at 9:00",
    ]


@pytest.mark.parametrize("form", FORMS)
def test_seconds_are_kept_where_the_form_writes_them(form: str, tmp_path: Path) -> None:
    doc, _ = _read(FIXTURES / f"{form}.txt", tmp_path)
    ends = [c.span.location.end_time for c in doc.chunks]  # type: ignore[union-attr]
    if form in WITH_SECONDS:
        assert ends == ["2016-08-16T09:07:00", "2016-08-16T13:40:30", "2016-08-17T21:30:45"]
    else:
        assert ends == ["2016-08-16T09:07:00", "2016-08-16T13:40:00", "2016-08-17T21:30:00"]


def test_ios_notices_given_to_the_other_person_are_not_messages(tmp_path: Path) -> None:
    doc, _ = _read(FIXTURES / "ios-one-to-one.txt", tmp_path)
    assert _messages(doc) == [
        "[2016-08-16 09:05] Ann: Are we still on for Saturday?",
        "[2016-08-16 09:07] Bob: Yes! I'll bring the map\n  and the snacks",
        "[2016-08-16 13:40] Ann: <attached: 00000012-PHOTO-2016-08-16-13-40-30.jpg>",
        "[2016-08-17 21:30] Bob: Night: see you at 9:00",
    ]


def test_month_first_when_only_the_order_of_the_dates_tells(tmp_path: Path) -> None:
    doc, _ = _read(FIXTURES / "android-mdy-by-order.txt", tmp_path)
    assert [m[:17] for m in _messages(doc)] == [
        "[2024-01-02 21:05",
        "[2024-01-05 10:00",
        "[2024-01-09 08:15",
        "[2024-02-01 18:30",
    ]


def test_a_line_of_a_message_that_starts_with_a_date_stays_in_the_message(tmp_path: Path) -> None:
    export = tmp_path / "chat.txt"
    export.write_text(
        "16/08/2016, 09:05 - Ann: the plan:\n16/08/2016 10:00 meet at the pier\n17/08/2016, 08:00 - Bob: ok\n"
    )
    doc, warnings = _read(export, tmp_path / "cache")
    assert warnings == []
    assert _messages(doc)[0] == "[2016-08-16 09:05] Ann: the plan:\n  16/08/2016 10:00 meet at the pier"


def test_a_form_lecto_cannot_read_is_text_with_a_warning_naming_what_it_looked_like(tmp_path: Path) -> None:
    path = FIXTURES / "month-names.txt"
    doc, warnings = _read(path, tmp_path)
    assert doc.kind is Kind.TEXT
    assert warnings == [
        f"{path}: looks like a WhatsApp chat export but its date and time form ('16 Aug 2016, 09:05') "
        "is not one lecto reads; read as plain text, without speakers or times"
    ]


def test_a_log_with_iso_times_is_text_without_a_warning(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("".join(f"2023-01-01 12:00:0{n} INFO app: step {n}\n" for n in range(6)))
    doc, warnings = _read(log, tmp_path / "cache")
    assert (doc.kind, warnings) == (Kind.TEXT, [])


def test_a_text_that_quotes_an_export_line_further_down_stays_text(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    intro = [f"Line {n} of the notes on how exports look." for n in range(8)]
    notes.write_text("\n".join([*intro, "16/08/2016, 09:05 - Ann: an Android line", "The end."]) + "\n")
    doc, warnings = _read(notes, tmp_path / "cache")
    assert (doc.kind, warnings) == (Kind.TEXT, [])
