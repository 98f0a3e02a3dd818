"""From what the user named (files, folders, `-`) to a `Corpus`, through the store's cache."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lecto.data import Chunk, Corpus, Document, Span
from lecto.errors import SourceError
from lecto.ingest.chat.zipped import is_zip
from lecto.ingest.digests import FileDigests, file_digest
from lecto.ingest.limits import FILE_SIZE
from lecto.ingest.pdf import check_password
from lecto.ingest.registry import (
    DEFAULT_OPTIONS,
    HEAD_BYTES,
    FolderIngester,
    Ingester,
    IngestOptions,
    Unit,
    detect,
    detect_folder,
)
from lecto.ingest.walk import FOLDER_FILE_SIZE, is_generated, walk_folder
from lecto.kinds import kind_of
from lecto.kinds.code import CodeLocation
from lecto.store import Store

STDIN = "-"
READABLE = "lecto reads PDFs, text, code and chat exports"
_HASH_BLOCK = 1 << 20


@dataclass(frozen=True)
class Found:
    """A file (or one-document folder) to read."""

    path: Path
    name: str  # what the user sees
    in_folder: str | None = None  # its path inside the folder it was found in


@dataclass
class Reading:
    """What a list of sources gave: every readable document, and the error of each source that failed."""

    corpus: Corpus
    failed: list[SourceError]

    def complete(self) -> Corpus:
        """The corpus, or the first failure: an answer from only some of the sources would mislead."""
        if not self.failed:
            return self.corpus
        first, *more = self.failed
        if not more:
            raise first
        also = f"{len(more)} more source{'s' if len(more) > 1 else ''} failed too; lecto inspect lists them"
        raise type(first)(first.message, source=first.source, hint=f"{first.hint}; {also}" if first.hint else also)


def load_corpus(sources: list[str], store: Store, options: IngestOptions = DEFAULT_OPTIONS) -> Corpus:
    return read_sources(sources, store, options).complete()


def read_sources(sources: list[str], store: Store, options: IngestOptions = DEFAULT_OPTIONS) -> Reading:
    """Read every source; one that cannot be read is reported, and the others are still read."""
    read = _Read(store, options)
    failed: list[SourceError] = []
    for source in sources:
        try:
            read.source(source)
        except SourceError as e:
            failed.append(e)
    read.digests.save()
    if read.repeats:  # a repository's many identical files (empty __init__.py) are not worth a line each
        read.warnings.append(f"{read.repeats} files in folders: same content as an earlier file, read once")
    return Reading(Corpus(read.documents, read.warnings + [f"{e}, skipped" for e in read.skipped]), failed)


class _Read:
    """The documents read so far in one call, so the same content named twice is read once."""

    def __init__(self, store: Store, options: IngestOptions):
        self.store, self.options = store, options
        self.digests = FileDigests(store)
        self.documents: list[Document] = []
        self.seen: set[str] = set()
        self.warnings: list[str] = []
        self.skipped: list[SourceError] = []
        self.repeats = 0

    def source(self, source: str) -> None:
        skips, read_any = len(self.skipped), False
        for found in _expand(source, self.store, self.options):
            try:
                ingester = _detect(found)
                if ingester is None:
                    continue
                doc = _ingest(found, ingester, self.store, self.digests if found.in_folder else None, self.options)
            except SourceError as e:
                if not found.in_folder:
                    raise
                # One unreadable file in a folder costs that file, not the whole folder.
                self.skipped.append(e)
                continue
            read_any = True
            self._add(doc, found)
        if not read_any and len(self.skipped) > skips:  # a folder of nothing but bad files is a bad source
            first = self.skipped[skips]
            del self.skipped[skips:]
            raise first
        if not read_any:  # only files of kinds lecto does not read: an empty corpus would answer "not found"
            raise SourceError("no readable document in it", source=source, hint=READABLE)

    def _add(self, doc: Document, found: Found) -> None:
        if doc.id in self.seen:
            self.repeats += found.in_folder is not None
            if not found.in_folder:
                self.warnings.append(f"{found.name}: same content as an earlier source, read once")
            return
        self.seen.add(doc.id)
        self.documents.append(_relocate(doc, found.in_folder or found.name))
        self.warnings += doc.warnings


def ingest_file(path: Path, source: str, store: Store, options: IngestOptions = DEFAULT_OPTIONS) -> Document:
    """One file named alone, as `lecto ask` reads it: its format detected, then parsed or taken from the cache."""
    found = Found(path, source)
    ingester = _detect(found)
    if ingester is None:
        raise SourceError("not a file lecto can read", source=source)
    return _ingest(found, ingester, store, None, options)


def _ingest(
    found: Found,
    ingester: Ingester | FolderIngester,
    store: Store,
    digests: FileDigests | None = None,
    options: IngestOptions = DEFAULT_OPTIONS,
) -> Document:
    """The cached document for this content, parsing it only if the cache lacks it.

    A code file's path in its repository (`found.in_folder`), what code citations name, is
    stored with a fresh parse, so the usual re-read of the same repository finds it already
    right. The cache key is the content's hash and the ingester, never the password; OCR'd
    text is kept apart from the text layer alone.
    """
    path, source = found.path, found.name
    if path.is_dir():
        digest = _folder_digest(path, source)
    else:
        digest = digests.digest(path, source) if digests else file_digest(path, source)
    name = f"{ingester.name}+ocr" if options.ocr and kind_of(ingester.kind).ocr else ingester.name
    doc_id = f"{name}@{ingester.version}:{digest}"
    cached = store.get_document(doc_id, source)
    if cached is not None:
        if cached.meta.get("locked"):  # the cache must not hand out what a password guards without it
            check_password(path, source, options)
        return cached
    parsed = ingester.parse(path, source, options)
    # Chunk ids name the ingester version too: token counts cached for an old parse must not match a new one.
    prefix = f"{name}@{ingester.version}:{digest[:16]}"
    chunks = [
        Chunk(id=f"{prefix}:{i}", doc_id=doc_id, ord=i, text=p.text, span=Span(source, ingester.kind, p.location))
        for i, p in enumerate(parsed.pieces)
    ]
    doc = Document(doc_id, source, ingester.kind, parsed.title, chunks, parsed.warnings, parsed.meta)
    doc = _relocate(doc, found.in_folder or source)
    store.put_document(doc, supersedes=f"{name}@%:{digest}")
    return doc


def _folder_digest(root: Path, source: str) -> str:
    """A folder-shaped document's hash: every file's relative path and content, in order."""
    h = hashlib.sha256()
    for p in walk_folder(root, source):
        if p.is_dir():  # a one-document folder nested in this one is not part of it
            continue
        h.update(f"{p.relative_to(root).as_posix()}\0{file_digest(p, source)}\0".encode())
    return h.hexdigest()


def _detect(found: Found) -> Ingester | FolderIngester | None:
    """`found`'s format, read from its content once; None for a folder's file that lecto leaves out."""
    path, source = found.path, found.name
    if path.is_dir():
        return detect_folder(path)
    head = _head(path, source)
    if not found.in_folder:
        _check(path, head, source)
        if (ingester := detect(path, head)) is None:
            raise SourceError("unsupported file type (binary?)", source=source)
        return ingester
    if is_generated(head) or (ingester := detect(path, head)) is None:
        return None  # binary, or not written by hand: a folder walk passes over it
    if (size := path.stat().st_size) > FOLDER_FILE_SIZE.value():
        raise FOLDER_FILE_SIZE.refuse(f"file in a folder is {size / (1 << 20):,.1f} MB", source)
    _check(path, head, source)
    return ingester


def _check(path: Path, head: bytes, source: str) -> None:
    # A zip's limit is on what is unpacked from it: the chat, never the videos beside it.
    if (size := path.stat().st_size) > FILE_SIZE.value() and not is_zip(head):
        raise FILE_SIZE.refuse(f"file is {size / (1 << 20):,.0f} MB", source)
    if not head:
        raise SourceError("empty file, nothing to read", source=source)


def _expand(source: str, store: Store, options: IngestOptions) -> Iterator[Found]:
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
        yield from _in_folder(path, source, options)
    else:
        yield Found(path, source)  # a file, or a folder that is one document (a Slack export)


def _in_folder(root: Path, source: str, options: IngestOptions) -> Iterator[Found]:
    """The files of a folder lecto can read (and the folders that are one document), with progress."""
    paths = walk_folder(root, source)
    for done, p in enumerate(paths, start=1):
        yield Found(p, str(p), p.relative_to(root).as_posix())
        options.report(source, done, len(paths), Unit.FILES)


def _relocate(doc: Document, code_path: str) -> Document:
    """Code citations name the file's path in its repository; a cached copy may have been read under another."""
    first = doc.chunks[0].span.location if doc.chunks else None
    if not isinstance(first, CodeLocation) or first.path == code_path:
        return doc
    chunks = [replace(c, span=replace(c.span, location=_moved(c.span.location, code_path))) for c in doc.chunks]
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
