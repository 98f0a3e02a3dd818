"""Text for scanned pages (no text layer) by OCR, with whichever tool the user has installed.

ocrmypdf is preferred: it cleans and orients each page before tesseract reads it. Without
it, tesseract reads each page as ghostscript renders it. Neither is required; only `--ocr`
asks for them, and OCR'd text is always marked as machine-read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from lecto.errors import LectoError, SourceError

# Tesseract reads body text best from about 300 dpi renderings (its documentation's advice).
RESOLUTION = 300
# One OpenMP thread per tesseract: ocrmypdf already runs pages in parallel, and on a busy
# machine tesseract's own threads spin against each other (one page: 3 min instead of 4 s here).
THREADS = {"OMP_THREAD_LIMIT": "1"}
# ocrmypdf skips a page silently past its default 180 s; a slow page is still a page to read.
PAGE_TIMEOUT_S = 900
LANGUAGE = "eng"
INSTALL_HINT = "apt install ocrmypdf, or brew install ocrmypdf"


class Engine(Enum):
    OCRMYPDF = "ocrmypdf"
    TESSERACT = "tesseract"


def find_engine() -> Engine:
    """The OCR tool on PATH, or an error saying what to install."""
    if shutil.which("ocrmypdf"):
        return Engine.OCRMYPDF
    if shutil.which("tesseract") and shutil.which("gs"):
        return Engine.TESSERACT
    missing = "--ocr needs ocrmypdf (or tesseract and ghostscript) on PATH, and none is there"
    raise LectoError(missing, hint=INSTALL_HINT)


def ocr_pages(path: Path, pages: list[int], password: str, source: str, done: Callable[[int], None]) -> dict[int, str]:
    """The OCR'd text of each of `pages` (1-based), by page number, uncleaned."""
    engine = find_engine()
    with tempfile.TemporaryDirectory(prefix="lecto-ocr-") as tmp:
        work = Path(tmp)
        readable = _decrypted(path, password, work / "in.pdf")
        if engine is Engine.OCRMYPDF:
            return _ocrmypdf(readable, pages, work, source, done)
        return _tesseract(readable, pages, work, source, done)


def _decrypted(path: Path, password: str, out: Path) -> Path:
    """The PDF itself, or a decrypted copy in the private temporary folder: OCR tools refuse encrypted files."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(path)
    if not reader.is_encrypted:
        return path
    reader.decrypt(password)
    PdfWriter(clone_from=reader).write(out)
    return out


def _ocrmypdf(pdf: Path, pages: list[int], work: Path, source: str, done: Callable[[int], None]) -> dict[int, str]:
    from pypdf import PdfReader

    out = work / "ocr.pdf"
    selected = ",".join(str(n) for n in pages)
    # --force-ocr: a chosen page may hold an empty text layer; --output-type pdf skips the slow PDF/A conversion.
    _run(
        ["ocrmypdf", "-q", "-l", LANGUAGE, "--pages", selected, "--force-ocr", "--output-type", "pdf"]
        + ["--optimize", "0", "--tesseract-timeout", str(PAGE_TIMEOUT_S), str(pdf), str(out)],
        source,
    )
    reader = PdfReader(out)
    texts = {n: reader.pages[n - 1].extract_text() or "" for n in pages}
    done(len(pages))
    return texts


def _tesseract(pdf: Path, pages: list[int], work: Path, source: str, done: Callable[[int], None]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for i, n in enumerate(pages, start=1):
        image = work / f"page-{n}.png"
        _run(
            ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", f"-r{RESOLUTION}"]
            + [f"-dFirstPage={n}", f"-dLastPage={n}", f"-sOutputFile={image}", str(pdf)],
            source,
        )
        texts[n] = _run(["tesseract", str(image), "stdout", "-l", LANGUAGE], source)
        done(i)
    return texts


def _run(command: list[str], source: str) -> str:
    env = {**os.environ, **THREADS}
    result = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False, env=env)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise SourceError(f"OCR failed: {command[0]} exited with {result.returncode} ({last})", source=source)
    return result.stdout
