"""From what the user named (files, folders, `-`) to a `Corpus`, through the store's cache."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lecto.data import Chunk, CodeLocation, Corpus, Document, Kind, Span
from lecto.errors import SourceError
from lecto.ingest.digests import FileDigests, file_digest
from lecto.ingest.limits import FILE_SIZE
from lecto.ingest.registry import HEAD_BYTES, FolderIngester, Ingester, detect, detect_folder
from lecto.ingest.walk import is_generated, walk_folder
from lecto.store import Store

STDIN = "-"
_HASH_BLOCK = 1 << 20


@dataclass(frozen=True)
class Found:
    """A file to read: its path, the name to show, its path inside the folder it was found in (if any)."""

    path: Path
    name: str
    in_folder: str | None = None


def load_corpus(sources: list[str], store: Store) -> Corpus:
    documents: list[Document] = []
    seen: set[str] = set()
    warnings: list[str] = []
    skipped: list[SourceError] = []
    repeats = 0
    digests = FileDigests(store)
    for source in sources:
        for found in _expand(source, store):
            try:
                doc = ingest_file(found.path, found.name, store, digests if found.in_folder else None, found.in_folder)
            except SourceError as e:
                if not found.in_folder:
                    raise
                # One unreadable file in a folder costs that file, not the whole question.
                skipped.append(e)
                continue
            if doc.id in seen:
                repeats += found.in_folder is not None
                if not found.in_folder:
                    warnings.append(f"{found.name}: same content as an earlier source, read once")
                continue
            seen.add(doc.id)
            documents.append(_relocate(doc, found.in_folder or found.name))
            warnings += doc.warnings
    digests.save()
    if skipped and not documents:
        raise skipped[0]
    if repeats:  # a repository's many identical files (empty __init__.py) are not worth a line each
        warnings.append(f"{repeats} files in folders: same content as an earlier file, read once")
    return Corpus(documents, warnings + [f"{e}, skipped" for e in skipped])


def ingest_file(
    path: Path, source: str, store: Store, digests: FileDigests | None = None, code_path: str | None = None
) -> Document:
    """The cached document for this content, parsing it only if the cache lacks it.

    `code_path` is the file's path in its repository, what code citations name; it is stored
    with a fresh parse, so the usual re-read of the same repository finds it already right.
    """
    folder = detect_folder(path) if path.is_dir() else None
    ingester: Ingester | FolderIngester = folder or _detect(path, source)
    if folder:
        digest = _folder_digest(path, source)
    else:
        digest = digests.digest(path, source) if digests else file_digest(path, source)
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
    doc = _relocate(
        Document(doc_id, source, ingester.kind, parsed.title, chunks, parsed.warnings, parsed.meta), code_path or source
    )
    store.put_document(doc, supersedes=f"{ingester.name}@%:{digest}")
    return doc


def _folder_digest(root: Path, source: str) -> str:
    """A folder-shaped document's hash: every file's relative path and content, in order."""
    h = hashlib.sha256()
    for p in walk_folder(root, source):
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


def _expand(source: str, store: Store) -> Iterator[Found]:
    """Each file `source` names: itself, standard input, or a folder's readable files."""
    if source == STDIN:
        spooled = _spool_stdin(store)
        try:
            yield Found(spooled, "<stdin>")
        finally:
            spooled.unlink(missing_ok=True)
        return
    path = Path(source)
    if not path.exists():
        raise SourceError("no such file or folder", source=source)
    if path.is_dir() and detect_folder(path) is None:
        for p in walk_folder(path, source):
            head = _head(p, str(p))
            if not is_generated(head) and detect(p, head) is not None:
                yield Found(p, str(p), p.relative_to(path).as_posix())
        return
    yield Found(path, source)  # a file, or a folder that is one document (a Slack export)


def _relocate(doc: Document, code_path: str) -> Document:
    """Code citations name the file's path in its repository; a cached copy may have been read under another."""
    if doc.kind is not Kind.CODE:
        return doc
    first = doc.chunks[0].span.location if doc.chunks else None
    if not isinstance(first, CodeLocation) or first.path == code_path:
        return doc
    chunks = [replace(c, span=Span(c.span.source, Kind.CODE, _moved(c.span.location, code_path))) for c in doc.chunks]
    return replace(doc, chunks=chunks)


def _moved(loc: object, path: str) -> CodeLocation:
    assert isinstance(loc, CodeLocation)  # a code document's chunks are all located in code
    return CodeLocation(path, loc.start_line, loc.end_line, loc.symbol)


def _head(path: Path, source: str) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(HEAD_BYTES)
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})", source=source) from e


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
