"""Encrypted PDFs: `--password` or LECTO_PDF_PASSWORD opens them, a wrong one is one clear line, none is cached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import PAPERS
from lecto.ingest.pdf import PdfIngester
from lecto.ingest.pdf_pages import PARALLEL_PAGES
from lecto.ingest.registry import IngestOptions

PAXOS = PAPERS / "paxos-made-simple.pdf"
PASSWORD = "lecto-test-pw-7c1f"


def _locked(pages: list[object], out: Path) -> Path:
    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)  # type: ignore[arg-type]
    writer.encrypt(user_password=PASSWORD, owner_password="owner-" + PASSWORD, algorithm="AES-256")
    writer.write(out)
    return out


@pytest.fixture
def locked(tmp_path: Path) -> Path:
    return _locked(list(PdfReader(PAXOS).pages), tmp_path / "locked.pdf")


def test_without_a_password_the_error_says_how_to_give_one(lecto, locked: Path) -> None:
    result = lecto("inspect", str(locked))
    assert result.returncode == 1
    assert result.stderr == (
        f"lecto: {locked}: encrypted PDF, and the empty password does not open it"
        " (give its password with --password or LECTO_PDF_PASSWORD)\n"
    )


def test_a_wrong_password_is_one_line_naming_the_file(lecto, locked: Path) -> None:
    result = lecto("ask", "--dry-run", "--password", "not-it", str(locked), "What is Paxos?")
    assert result.returncode == 1
    assert result.stderr == f"lecto: {locked}: wrong password for this encrypted PDF\n"
    assert result.stdout == ""


def test_the_password_opens_it_from_the_command_line(lecto, locked: Path) -> None:
    result = lecto("inspect", "--json", "--password", PASSWORD, str(locked))
    assert result.returncode == 0, result.stderr
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["size"] == {"pages": len(PdfReader(PAXOS).pages)} and doc["chunks"] > 10


def test_the_password_opens_it_from_the_environment_and_is_never_cached(
    lecto, locked: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LECTO_PDF_PASSWORD", PASSWORD)
    result = lecto("ask", "--dry-run", "--json", str(locked), "Which roles do the agents of Paxos play?")
    assert result.returncode == 0, result.stderr
    spans = json.loads(result.stdout)["context"]["spans"]
    assert any("acceptor" in s["text"] for s in spans)
    stored = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert stored and not any(PASSWORD.encode() in p.read_bytes() for p in stored)


def test_a_big_encrypted_pdf_is_opened_in_every_worker_process(tmp_path: Path) -> None:
    pages = list(PdfReader(PAXOS).pages)
    big = _locked(pages * (PARALLEL_PAGES // len(pages) + 1), tmp_path / "big.pdf")
    parsed = PdfIngester().parse(big, big.name, IngestOptions(password=PASSWORD))
    assert parsed.meta["pages"] >= PARALLEL_PAGES
    read = {p.location.page for p in parsed.pieces}  # type: ignore[union-attr]
    assert read == set(range(1, parsed.meta["pages"] + 1)) and parsed.warnings == []


def test_the_cached_text_is_not_given_out_without_the_password(lecto, locked: Path) -> None:
    assert lecto("inspect", "--password", PASSWORD, str(locked)).returncode == 0
    without = lecto("inspect", str(locked))
    assert without.returncode == 1
    assert without.stderr.startswith(f"lecto: {locked}: encrypted PDF, and the empty password does not open it")
    wrong = lecto("inspect", "--password", "guess", str(locked))
    assert (wrong.returncode, wrong.stderr) == (1, f"lecto: {locked}: wrong password for this encrypted PDF\n")
    assert lecto("inspect", "--password", PASSWORD, str(locked)).returncode == 0


def test_a_password_given_for_an_owner_only_pdf_does_no_harm(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(PAXOS))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    opened = tmp_path / "owner-only.pdf"
    writer.write(opened)
    parsed = PdfIngester().parse(opened, opened.name, IngestOptions(password="anything"))
    assert parsed.pieces and "locked" not in parsed.meta
