"""`lecto inspect` reports what ingest made of mixed sources, and `lecto ask` takes them in one call."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from llama_cpp import Llama
from pypdf import PdfReader

from conftest import CHAT, EXAMPLES, PAPERS, ROOT
from lecto.backends.llama import bundled_model
from lecto.ingest import load_corpus
from lecto.store import Store

PDF = PAPERS / "bitcoin.pdf"
WHATSAPP = CHAT / "locomo-0.whatsapp.txt"
TEXT = EXAMPLES / "garden-handbook.md"


@pytest.fixture(scope="module")
def tokenizer() -> Llama:
    return Llama(model_path=str(bundled_model()), vocab_only=True, verbose=False)


def _tokens(tokenizer: Llama, source: Path, tmp_path: Path) -> int:
    corpus = load_corpus([str(source)], Store(tmp_path / "own-cache"))
    return sum(len(tokenizer.tokenize(c.text.encode(), add_bos=False)) for c in corpus.chunks)


def test_inspect_json_on_a_pdf_a_chat_and_a_text(lecto, tokenizer: Llama, tmp_path: Path) -> None:
    result = lecto("inspect", "--json", str(PDF), str(WHATSAPP), str(TEXT))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    pdf, chat, text = report["documents"]
    assert [d["kind"] for d in (pdf, chat, text)] == ["pdf", "chat", "text"]
    assert pdf["size"] == {"pages": len(PdfReader(PDF).pages)}
    messages = len(re.findall(r"^\d\d/\d\d/\d{4}, \d\d:\d\d - ", WHATSAPP.read_text(), re.MULTILINE))
    assert chat["size"] == {"messages": messages}
    assert (chat["format"], chat["speakers"]) == ("whatsapp", ["Caroline", "Melanie"])
    assert (chat["first_time"], chat["last_time"]) == ("2023-05-08T13:56:00", "2023-10-22T10:09:00")
    assert all(d["chunks"] > 0 and d["warnings"] == [] for d in (pdf, chat, text))
    assert text["tokens"] == _tokens(tokenizer, TEXT, tmp_path)
    assert chat["tokens"] == _tokens(tokenizer, WHATSAPP, tmp_path)
    assert report["warnings"] == []


def test_inspect_text_names_counts_and_warnings(lecto, tmp_path: Path) -> None:
    lines = WHATSAPP.read_text().splitlines()
    lines[4] = lines[4].replace("14:00", "14:0x")
    chat = tmp_path / "chat.txt"
    chat.write_text("\n".join(lines))
    slack = tmp_path / "slack export"
    shutil.copytree(CHAT / "locomo-1.slack", slack)
    result = lecto("inspect", str(chat), str(slack))
    assert result.returncode == 0, result.stderr
    assert "chat.txt  chat (whatsapp)" in result.stdout
    assert "418 messages, " in result.stdout
    assert f"warning: {chat}: 1 line could not be parsed" in result.stdout
    assert "slack export  chat (slack)" in result.stdout
    assert "speakers: Gina, Jon" in result.stdout
    assert re.search(r"2 document\(s\), [\d,]+ tokens", result.stdout)


def test_inspect_reports_every_bad_source_and_still_shows_the_good_ones(lecto, tmp_path: Path) -> None:
    empty = tmp_path / "result.json"
    empty.write_text(json.dumps({"name": "x", "type": "personal_chat", "id": 1, "messages": []}))
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf at all")
    missing = tmp_path / "gone.txt"
    result = lecto("inspect", str(empty), str(TEXT), str(fake), str(missing))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"lecto: {empty}: no chat messages found",
        f"lecto: {fake}: not a PDF (no %PDF header)",
        f"lecto: {missing}: no such file or folder",
    ]
    assert f"{TEXT}  text (text)" in result.stdout
    assert "1 document(s)" in result.stdout


def test_inspect_json_carries_each_failed_source(lecto, tmp_path: Path) -> None:
    missing = tmp_path / "gone.pdf"
    result = lecto("inspect", "--json", str(WHATSAPP), str(missing))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [d["source"] for d in report["documents"]] == [str(WHATSAPP)]
    assert report["errors"] == [{"source": str(missing), "message": "no such file or folder", "hint": None}]


def test_inspect_with_nothing_wrong_has_no_errors(lecto) -> None:
    result = lecto("inspect", "--json", str(TEXT))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["errors"] == []


def _mixed(tmp_path: Path) -> list[str]:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "ingest" / "chunking.py", repo / "chunking.py")
    return [str(PDF), str(repo), str(WHATSAPP)]


def test_ask_plans_over_a_pdf_a_folder_and_a_chat_in_one_call(lecto, tmp_path: Path) -> None:
    question = "When did Caroline go to the LGBTQ support group?"
    result = lecto("ask", "--dry-run", "--json", *_mixed(tmp_path), question)
    assert result.returncode == 0, result.stderr
    spans = json.loads(result.stdout)["context"]["spans"]
    chat = [s for s in spans if s["kind"] == "chat"]
    assert any("I went to a LGBTQ support group yesterday" in s["text"] for s in chat)
    assert all(s["location"]["message_ids"] and s["location"]["start_time"] for s in chat)


def test_ask_answers_over_mixed_sources(lecto, tmp_path: Path) -> None:
    sources = _mixed(tmp_path)
    result = lecto("ask", "--json", "--budget", "400", *sources, "What is the MAX_CHARS chunk size?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    cited = {c["source"] for c in answer["citations"]}
    assert cited <= {sources[0], str(Path(sources[1]) / "chunking.py"), sources[2]}
    inspected = json.loads(lecto("inspect", "--json", *sources).stdout)["documents"]
    assert answer["context"]["corpus_tokens"] == sum(d["tokens"] for d in inspected)
    assert [d["kind"] for d in inspected][::2] == ["pdf", "chat"] and len(inspected) == 3


def test_the_readme_example_is_what_inspect_prints(lecto) -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```\n\$ lecto inspect (.*?)\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    result = lecto("inspect", *block[1].split())
    assert result.returncode == 0, result.stderr
    assert result.stdout == block[2]
