"""A repository map in the spirit of aider's: the folder tree with one line per symbol signature.

Built from what the code ingester stores with each document (`meta["symbols"]`), so it costs
no parsing and is always in step with the cached corpus. The context manager puts it first
for questions about code, so the model sees the shape of the repository before any passage.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from lecto.data import Corpus, Document, Kind
from lecto.kinds.code import CodeLocation


def repo_map(corpus: Corpus, max_chars: int = 4000) -> str:
    """The map of the corpus's code documents, cut at a line boundary to at most `max_chars`."""
    lines: list[str] = []
    size = 0
    # Lines are made only until the cut: a large repository's whole map is far longer than any cut.
    for line in _lines(corpus):
        size += len(line) + 1
        if size - 1 > max_chars:
            return "\n".join(lines) + "\n…" if lines else ""
        lines.append(line)
    return "\n".join(lines)


def _lines(corpus: Corpus) -> Iterator[str]:
    shown: set[str] = set()
    for doc in sorted(_code_documents(corpus), key=_path):
        path = PurePosixPath(_path(doc))
        for depth, folder in enumerate(path.parents[:-1][::-1]):
            if str(folder) not in shown:
                shown.add(str(folder))
                yield f"{'  ' * depth}{folder.name}/"
        depth = len(path.parents) - 1
        yield f"{'  ' * depth}{path.name}"
        for _, line, signature in doc.meta.get("symbols", []):
            yield f"{'  ' * (depth + 1)}{line}: {signature}"


def _code_documents(corpus: Corpus) -> list[Document]:
    return [d for d in corpus.documents if d.kind is Kind.CODE and d.chunks]


def _path(doc: Document) -> str:
    loc = doc.chunks[0].span.location
    return loc.path if isinstance(loc, CodeLocation) else doc.source
