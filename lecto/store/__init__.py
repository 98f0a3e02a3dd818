"""The cache: every table lecto keeps in its one SQLite file, and the folder around it.

`Store` (cache.py) is what callers use; each job has its own module here: documents,
search (BM25), tokens, vectors, digests, speed, log, and migrations for the layout.
"""

from lecto.store.cache import CacheInfo, Store
from lecto.store.files import DB_NAME, PREFIX_DIR, clear
from lecto.store.files import set_aside_copies as set_aside
from lecto.store.migrations import SCHEMA_VERSION
from lecto.store.parts import Part

__all__ = ["DB_NAME", "PREFIX_DIR", "SCHEMA_VERSION", "CacheInfo", "Part", "Store", "clear", "set_aside"]
