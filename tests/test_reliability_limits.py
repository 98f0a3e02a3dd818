"""Resource bounds: huge files, huge folders, one enormous line and a compression bomb are either
read within bounded memory or refused with the limit and how to raise it."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from lecto.ingest.chunking import MAX_CHARS
from lecto.ingest.sources import load_corpus
from lecto.store import Store


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk: text at the start, a hole after it."""
    with path.open("wb") as f:
        f.write(b"A line of text at the start of a very large file.\n")
        f.truncate(size)
    return path


def test_two_gigabyte_file_is_refused_with_the_limit(tmp_path: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    big = sparse(tmp_path / "big.txt", 2 << 30)
    result = lecto("ask", str(big), "What is at the start?", "--dry-run")
    assert result.returncode == 1
    limit = "over the 256 MB limit (set LECTO_MAX_FILE_MB to raise it)"
    assert result.stderr == f"lecto: {big}: file is 2,048 MB, {limit}\n"


def test_the_file_limit_can_be_raised(tmp_path: Path, lecto, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    note = tmp_path / "note.txt"
    note.write_text("The ferry leaves at nine.\n" * 60_000)  # ~1.5 MB
    monkeypatch.setenv("LECTO_MAX_FILE_MB", "1")
    refused = lecto("ask", str(note), "When does the ferry leave?", "--dry-run")
    assert refused.returncode == 1
    assert "over the 1 MB limit" in refused.stderr
    monkeypatch.setenv("LECTO_MAX_FILE_MB", "2")
    allowed = lecto("ask", str(note), "When does the ferry leave?", "--dry-run")
    assert allowed.returncode == 0, allowed.stderr


def test_bad_limit_value_is_a_usage_error(tmp_path: Path, lecto, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    note = tmp_path / "note.txt"
    note.write_text("text\n")
    monkeypatch.setenv("LECTO_MAX_FILE_MB", "lots")
    result = lecto("ask", str(note), "q", "--dry-run")
    assert result.returncode == 2
    assert result.stderr == "lecto: LECTO_MAX_FILE_MB must be a whole number of MB, not 'lots'\n"


def test_stdin_past_the_limit_is_refused_and_not_kept(cache_dir: Path, lecto, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LECTO_MAX_FILE_MB", "1")
    result = lecto("ask", "-", "q", "--dry-run", input="word " * 500_000)
    assert result.returncode == 1
    assert "lecto: <stdin>: standard input is too long, over the 1 MB limit" in result.stderr
    assert list((cache_dir / "stdin").iterdir()) == []


def folder(root: Path, files: int) -> Path:
    for n in range(files):
        sub = root / f"d{n // 1000}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{n}.txt").write_text(f"file {n}\n")
    return root


def test_folder_with_too_many_files_is_refused(tmp_path: Path, lecto, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    repo = folder(tmp_path / "repo", 60)
    monkeypatch.setenv("LECTO_MAX_FILES", "50")
    result = lecto("ask", str(repo), "q", "--dry-run")
    assert result.returncode == 1
    assert result.stderr == (
        f"lecto: {repo}: folder has too many files, over the 50 files limit (set LECTO_MAX_FILES to raise it)\n"
    )


@pytest.mark.slow
def test_folder_with_200_000_files_is_refused_quickly(tmp_path: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    repo = folder(tmp_path / "repo", 200_000)
    result = lecto("ask", str(repo), "q", "--dry-run")
    assert result.returncode == 1
    assert "over the 20,000 files limit" in result.stderr


@pytest.mark.parametrize("megabytes", [8, pytest.param(100, marks=pytest.mark.slow)])
def test_one_enormous_line_is_chunked(megabytes: int, tmp_path: Path) -> None:
    line = tmp_path / "line.txt"
    with line.open("w") as f:
        for _ in range(megabytes):
            f.write("lorem ipsum " * ((1 << 20) // 12))
    corpus = load_corpus([str(line)], Store(tmp_path / "cache"))
    assert len(corpus.chunks) >= megabytes * (1 << 20) // MAX_CHARS
    assert max(len(c.text) for c in corpus.chunks) <= MAX_CHARS
    assert all(c.span.location.start_line == 1 for c in corpus.chunks)  # type: ignore[union-attr]


def compression_bomb(path: Path, inflated_mb: int) -> Path:
    """A one-page PDF whose content stream inflates to `inflated_mb` of text-drawing operators."""
    packer = zlib.compressobj(9)
    ops = b"BT /F1 12 Tf 72 712 Td (A) Tj ET\n" * 30_000
    body = b"".join(packer.compress(ops) for _ in range((inflated_mb << 20) // len(ops))) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)
    return path


def test_pdf_compression_bomb_is_refused(tmp_path: Path, lecto) -> None:  # type: ignore[no-untyped-def]
    bomb = compression_bomb(tmp_path / "bomb.pdf", inflated_mb=1024)
    assert bomb.stat().st_size < 4 << 20
    result = lecto("ask", str(bomb), "q", "--dry-run")
    assert result.returncode == 1
    assert result.stderr == f"lecto: {bomb}: pages 1 inflate past pypdf's 75 MB limit (compression bomb?)\n"
