"""How a document's chunk locations are written into the cache and read back, and what the full-text index reads.

`documents.locations` is a JSON array with one entry per chunk, in order, each the list of
values its kind writes (lecto/kinds/: mostly the location's fields in declaration order): one
decode per document, not per chunk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from lecto.data import Kind, Location
from lecto.kinds import kind_of


def _encode_locations(kind: Kind, locations: Iterable[Location]) -> str:
    encode = kind_of(kind).encode
    return json.dumps([encode(loc) for loc in locations])


def _decode_locations(kind: Kind, encoded: str) -> list[Location]:
    decode = kind_of(kind).decode
    return [decode(fields) for fields in json.loads(encoded)]


def _indexed_texts(kind: Kind, texts: list[str]) -> list[str]:
    """What the full-text index reads for each chunk: code also gets the words inside its names."""
    return kind_of(kind).indexed(texts)
