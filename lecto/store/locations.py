"""How a document's chunk locations are written into the cache and read back, and what the full-text index reads.

`documents.locations` is a JSON array with one entry per chunk, in order, each the location's
field values in declaration order: one decode per document, not per chunk.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from lecto.data import ChatLocation, CodeLocation, Kind, Location, PageLocation, TextLocation
from lecto.subwords import Splitter

_LOCATIONS: dict[Kind, type] = {
    Kind.PDF: PageLocation,
    Kind.TEXT: TextLocation,
    Kind.CODE: CodeLocation,
    Kind.CHAT: ChatLocation,
}


def _encode_locations(locations: Iterable[Location]) -> str:
    return json.dumps([[getattr(loc, f.name) for f in dataclasses.fields(loc)] for loc in locations])


def _decode_locations(kind: Kind, encoded: str) -> list[Location]:
    cls = _LOCATIONS[kind]
    if kind is Kind.CHAT:  # its message ids and speakers are tuples, which JSON gives back as lists
        return [cls(*(tuple(v) if isinstance(v, list) else v for v in fields)) for fields in json.loads(encoded)]
    return [cls(*fields) for fields in json.loads(encoded)]


def _indexed_texts(kind: Kind, texts: list[str]) -> list[str]:
    """What the full-text index reads for each chunk: code also gets the words inside its names."""
    if kind is not Kind.CODE:
        return texts
    splitter = Splitter(texts)
    return [f"{t}\n{splitter.index_words(t)}" for t in texts]
