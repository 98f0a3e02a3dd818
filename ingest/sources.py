"""From what the user named (files, folders, `-`) to a `Corpus`, through the store's cache."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from lecto.data import Chunk, Corpus, Document, Span
from lecto.errors import SourceError
from lecto.ingest.limits import FILE_SIZE, FOLDER_FILES
from lecto.ingest.registry import HEAD_BYTES, FolderIngester, Ingester, detect, detect_folder
from lecto.store import Store

STDIN = "-"
_HASH_BLOCK = 1 << 20


def load_corpus(sources: list[str], store: Store) -> Corpus:
    documents: list[Document] = []
    seen: set[str] = set()
    warnings: list[str] = []
    skipped: list[SourceError] = []
    for source in sources:
        for path, name, in_folder in _expand(source, store):
            try:
                doc = ingest_file(path, name, store)
            except SourceError as e:
                if not in_folder:
                    raise
                # One unreadable file in a folder costs that file, not the whole question.
                skipped.append(e)
                continue
            if doc.id in seen:
                warnings.append(f"{name}: same content as an earlier source, read once")
                continue
            seen.add(doc.id)
            documents.append(doc)
            warnings += doc.warnings
    if skipped and not documents:
        raise skipped[0]
    return Corpus(documents, warnings + [f"{e}, skipped" for e in skipped])


def ingest_file(path: Path, source: str, store: Store) -> Document:
    """The cached document for this content, parsing it only if the cache lacks it."""
    folder = detect_folder(path) if path.is_dir() else None
    ingester: Ingester | FolderIngester = folder or _detect(path, source)
    digest = _folder_digest(path, source) if folder else file_digest(path, source)
    doc_id = f"{ingester.name}@{ingester.version}:{digest}"
    cached = store.get_document(doc_id, source)
    if cached is not None:
        return cached
    parsed = ingester.parse(path, source)
    # Chunk ids name the ingester version too: token counts cached for an old parse must not match a new one.
    prefix = f"{ingester.name}@{ingester.version}:{digest[:16]}"
    chunks = [
        Chunk(id=f"{prefix}:{i}", doc_id=doc_id, ord=i, text=p.text, span=Span(source, ingester.kind, p.location))
        for i, p in enumerate(parsed.pieces)
    ]
    doc = Document(doc_id, source, ingester.kind, parsed.title, chunks, parsed.warnings, parsed.meta)
    store.put_document(doc, supersedes=f"{ingester.name}@%:{digest}")
    return doc


def file_digest(path: Path, source: str) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while block := f.read(_HASH_BLOCK):
                h.update(block)
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})", source=source) from e
    return h.hexdigest()


def _folder_digest(root: Path, source: str) -> str:
    """A folder-shaped document's hash: every file's relative path and content, in order."""
    h = hashlib.sha256()
    for p in _walk(root, source):
        h.update(f"{p.relative_to(root).as_posix()}\0{file_digest(p, source)}\0".encode())
    return h.hexdigest()


def _detect(path: Path, source: str) -> Ingester:
    head = _head(path, source)
    if (size := path.stat().st_size) > FILE_SIZE.value():
        raise FILE_SIZE.refuse(f"file is {size / (1 << 20):,.0f} MB", source)
    if not head:
        raise SourceError("empty file, nothing to read", source=source)
    ingester = detect(path, head)
    if ingester is None:
        raise SourceError("unsupported file type (binary?)", source=source)
    return ingester


def _expand(source: str, store: Store) -> Iterator[tuple[Path, str, bool]]:
    """(file, name to show, whether it was found in a folder) for each file `source` names."""
    if source == STDIN:
        spooled = _spool_stdin(store)
        try:
            yield spooled, "<stdin>", False
        finally:
            spooled.unlink(missing_ok=True)
        return
    path = Path(source)
    if not path.exists():
        raise SourceError("no such file or folder", source=source)
    if path.is_dir() and detect_folder(path) is None:
        for p in _walk(path, source):
            if detect(p, _head(p, str(p))) is not None:
                yield p, str(p), True
        return
    yield path, source, False  # a file, or a folder that is one document (a Slack export)


def _walk(root: Path, source: str) -> list[Path]:
    """The folder's visible files, sorted; links that lead outside it are not followed."""
    inside = root.resolve()
    found = (p for p in root.rglob("*") if not _hidden(p.relative_to(root)) and p.is_file())
    files = [p for p in islice(found, FOLDER_FILES.value() + 1) if p.resolve().is_relative_to(inside)]
    if len(files) > FOLDER_FILES.value():
        raise FOLDER_FILES.refuse("folder has too many files", source)
    if not files:
        raise SourceError("folder has no files to read", source=source)
    return sorted(files)


def _head(path: Path, source: str) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(HEAD_BYTES)
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})", source=source) from e


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _spool_stdin(store: Store) -> Path:
    """Standard input copied to a file in the cache, so it is hashed and parsed like any file."""
    tmp = store.directory / "stdin"
    tmp.mkdir(exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp)
    try:
        with os.fdopen(fd, "wb") as out:
            while block := sys.stdin.buffer.read(_HASH_BLOCK):
                out.write(block)
                if out.tell() > FILE_SIZE.value():
                    raise FILE_SIZE.refuse("standard input is too long", "<stdin>")
    except BaseException:  # Ctrl-C or a refusal must not leave a spooled copy in the cache
        Path(name).unlink()
        raise
    return Path(name)
