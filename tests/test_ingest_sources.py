"""How sources become a corpus: bad sources reported together, formats detected once, nested exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import CHAT, EXAMPLES, ROOT
from lecto.data import Kind
from lecto.errors import SourceError
from lecto.ingest import sources
from lecto.ingest.registry import Ingester
from lecto.ingest.sources import load_corpus, read_sources
from lecto.store import Store

TEXT = EXAMPLES / "garden-handbook.md"
SLACK = CHAT / "locomo-1.slack"


def test_one_bad_source_of_several_fails_ask_naming_the_file(lecto, tmp_path: Path) -> None:
    missing = tmp_path / "missing.pdf"
    result = lecto("ask", "--dry-run", str(TEXT), str(missing), "What is the plot fee?")
    assert result.returncode == 1
    assert result.stderr == f"lecto: {missing}: no such file or folder\n"
    assert result.stdout == ""


def test_several_bad_sources_fail_ask_with_the_first_and_a_count(lecto, tmp_path: Path) -> None:
    first, second, third = (tmp_path / f"missing-{n}.txt" for n in range(3))
    result = lecto("ask", "--dry-run", str(first), str(TEXT), str(second), str(third), "What is the plot fee?")
    assert result.returncode == 1
    assert result.stderr == (
        f"lecto: {first}: no such file or folder (2 more sources failed too; lecto inspect lists them)\n"
    )


def test_read_sources_keeps_every_good_source_past_bad_ones(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.touch()
    reading = read_sources([str(empty), str(TEXT), str(tmp_path / "nope")], Store(tmp_path / "cache"))
    assert [d.source for d in reading.corpus.documents] == [str(TEXT)]
    assert [(e.source, e.message) for e in reading.failed] == [
        (str(empty), "empty file, nothing to read"),
        (str(tmp_path / "nope"), "no such file or folder"),
    ]
    with pytest.raises(SourceError, match="empty file"):
        reading.complete()


def _project_with_a_slack_export(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SLACK, repo / "exports" / "slack")
    shutil.copy(ROOT / "ingest" / "chunking.py", repo / "chunking.py")
    (repo / "exports" / "notes.md").write_text("# Notes\\n\\nThe export was taken in July.\\n")
    (repo / "settings.json").write_text('{"theme": "dark"}\\n')
    return repo


def test_a_slack_export_inside_a_folder_is_one_chat_document(tmp_path: Path) -> None:
    repo = _project_with_a_slack_export(tmp_path)
    corpus = load_corpus([str(repo)], Store(tmp_path / "cache"))
    by_source = {d.source: d for d in corpus.documents}
    slack = by_source[str(repo / "exports" / "slack")]
    assert slack.kind is Kind.CHAT and slack.id.startswith("slack@")
    assert slack.meta["messages"] == 369  # the same count as the export read on its own
    assert sorted(by_source) == sorted(
        str(repo / p) for p in ("chunking.py", "exports/notes.md", "exports/slack", "settings.json")
    )
    assert not any("users.json" in d.source or "/general/" in d.source for d in corpus.documents)
    assert corpus.warnings == []


def test_the_nested_export_is_cached_like_the_rest(tmp_path: Path) -> None:
    repo = _project_with_a_slack_export(tmp_path)
    store = Store(tmp_path / "cache")
    first = load_corpus([str(repo)], store)
    again = load_corpus([str(repo)], store)
    assert [d.id for d in again.documents] == [d.id for d in first.documents]


def test_each_file_is_detected_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _project_with_a_slack_export(tmp_path)
    asked: list[Path] = []
    real = sources.detect

    def counting(path: Path, head: bytes) -> Ingester | None:
        asked.append(path)
        return real(path, head)

    monkeypatch.setattr(sources, "detect", counting)
    load_corpus([str(repo), str(TEXT)], Store(tmp_path / "cache"))
    assert sorted(asked) == sorted([repo / "chunking.py", repo / "exports" / "notes.md", repo / "settings.json", TEXT])


def test_a_readable_file_over_the_folder_cap_is_skipped_with_a_warning_and_binaries_are_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LECTO_MAX_FOLDER_FILE_MB", "1")
    folder = tmp_path / "papers"
    folder.mkdir()
    shutil.copy(TEXT, folder / "handbook.md")
    big = folder / "long.md"
    big.write_text(TEXT.read_text() * (2 * (1 << 20) // len(TEXT.read_text())))
    (folder / "blob.bin").write_bytes(bytes(range(256)) * (1 << 13))  # 2 MB that lecto would not read anyway
    store = Store(tmp_path / "cache")
    try:
        reading = read_sources([str(folder)], store)
    finally:
        store.close()

    assert [d.source for d in reading.corpus.documents] == [str(folder / "handbook.md")]
    assert [w for w in reading.corpus.warnings if "MB" in w] == [
        f"{big}: file in a folder is 2.0 MB, over the 1 MB limit (set LECTO_MAX_FOLDER_FILE_MB to raise it), skipped"
    ]


def test_a_cached_documents_warning_names_it_as_given_this_time(tmp_path: Path) -> None:
    # A chat export with a line it cannot parse, read first as one path, then (cached) as another.
    rows = '{"id": "1", "time": "2023-05-08T10:00:00", "speaker": "Ann", "text": "The boat leaves at nine."}\n'
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "chat.jsonl").write_text(rows + "{not json\n")
    store = Store(tmp_path / "cache")
    [before] = load_corpus([str(tmp_path / "first" / "chat.jsonl")], store).warnings
    [after] = load_corpus([str(tmp_path / "second" / "chat.jsonl")], store).warnings
    assert before.startswith(str(tmp_path / "first" / "chat.jsonl") + ": ")
    assert after == before.replace("first", "second")


def test_a_document_cached_with_its_warnings_whole_is_read_again(tmp_path: Path) -> None:
    # An older lecto stored a warning whole, naming the path of then; such a document is parsed afresh.
    path = tmp_path / "chat.jsonl"
    path.write_text('{"id": "1", "time": "2023-05-08T10:00:00", "speaker": "Ann", "text": "Hi."}\n{not json\n')
    store = Store(tmp_path / "cache")
    load_corpus([str(path)], store)
    store.db.execute(
        "UPDATE documents SET warnings = ?", (json.dumps(["../elsewhere/chat.jsonl: 1 line could not be parsed"]),)
    )
    [warning] = load_corpus([str(path)], store).warnings
    assert warning.startswith(str(path) + ": ")
