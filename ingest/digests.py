"""Content hashes remembered by (path, size, mtime, inode), so re-reading a big tree hashes only what changed.

The parsed-document cache is keyed by content; the store's file_digests table saves reading
every file to learn that its content is the one already cached. A file whose size, mtime and inode all match
its last visit is taken to be unchanged, as git's index does.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from lecto.errors import SourceError
from lecto.store import Store
from lecto.store.digests import Seen

_HASH_BLOCK = 1 << 20


class FileDigests:
    """Lookups go to the store; new hashes wait in memory until `save`, one transaction for a whole tree."""

    def __init__(self, store: Store):
        self.store = store
        self.pending: list[Seen] = []

    def digest(self, path: Path, source: str) -> str:
        try:
            st = path.stat()
        except OSError as e:
            raise SourceError(f"cannot read ({e.strerror or e})", source=source) from e
        # Not resolved: following every link of every path cost more than the lookup itself, and
        # the size, mtime and inode checks already tell a different file behind the same name.
        key = os.path.abspath(path)
        known = self.store.digest(key, st.st_size, st.st_mtime_ns, st.st_ino)
        if known is not None:
            return known
        digest = file_digest(path, source)
        self.pending.append(Seen(key, st.st_size, st.st_mtime_ns, st.st_ino, digest))
        return digest

    def save(self) -> None:
        if not self.pending:
            return
        self.store.put_digests(self.pending)
        self.pending = []


def file_digest(path: Path, source: str) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while block := f.read(_HASH_BLOCK):
                h.update(block)
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})", source=source) from e
    return h.hexdigest()
