"""Token counts for chunks, with the model's own tokenizer, cached in the store per tokenizer.

Each chunk is counted twice: its text, and the header the prompt writes before it (its number,
source and location, as the prompt writes it), so the plan never guesses its size. The chunks of
a page share a header, and each distinct one is counted once. A first plan over a 2,000-page PDF
counts some 8,900 texts: a backend that can count many texts in one call (`ManyCounter`) is given
them all at once.

A session asks many questions over one corpus (the TUI, `--questions` batches), so the
counted chunks of each document are also kept in memory for as long as that document
lives: the next question's planning reads nothing back and builds nothing again.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from lecto.answer.prompt import header_text
from lecto.data import Chunk, Corpus, Document
from lecto.store import Store

# Headers are cached beside the texts' counts under this name; bump it when the header changes.
HEADERS = "headers-1"


class Counter(Protocol):
    tokenizer_id: str

    def count_tokens(self, text: str) -> int: ...


@runtime_checkable
class ManyCounter(Protocol):
    """A counter that counts many texts in one call, faster than one call a text."""

    def count_many(self, texts: Sequence[str]) -> list[int]: ...


def count_texts(counter: Counter, texts: Sequence[str]) -> list[int]:
    """Each text's token count, in one call where the counter can."""
    if isinstance(counter, ManyCounter):
        return counter.count_many(texts)
    return [counter.count_tokens(t) for t in texts]


class _Counted:
    """Counted chunks per live document object and tokenizer, dropped when the document is."""

    def __init__(self) -> None:
        self._chunks: dict[tuple[int, str], list[Chunk]] = {}

    def get(self, doc: Document, tokenizer: str) -> list[Chunk] | None:
        return self._chunks.get((id(doc), tokenizer))

    def put(self, doc: Document, tokenizer: str, chunks: list[Chunk]) -> None:
        key = (id(doc), tokenizer)
        if key not in self._chunks:
            # An object's id is reused only after it is freed, and freeing it forgets the key first.
            weakref.finalize(doc, self._chunks.pop, key, None)
        self._chunks[key] = chunks


_COUNTED = _Counted()


def count_corpus(corpus: Corpus, counter: Counter, store: Store) -> list[Chunk]:
    """Every chunk of the corpus in order, with `tokens` filled in."""
    tokenizer = counter.tokenizer_id
    todo = [d for d in corpus.documents if _COUNTED.get(d, tokenizer) is None]
    if todo:
        _count(todo, counter, store)
    return [c for d in corpus.documents for c in _COUNTED.get(d, tokenizer) or ()]


def _count(docs: list[Document], counter: Counter, store: Store) -> None:
    tokenizer = counter.tokenizer_id
    texts = _cached(docs, tokenizer, store, lambda chunks: count_texts(counter, [c.text for c in chunks]))
    headers = _cached(docs, f"{tokenizer} {HEADERS}", store, lambda chunks: _header_counts(counter, chunks))
    for d in docs:
        # Built directly: dataclasses.replace costs ten times more, which shows on a 1M-token corpus.
        counted = [
            Chunk(c.id, c.doc_id, c.ord, c.text, c.span, n, h)
            for c, n, h in zip(d.chunks, texts[d.id], headers[d.id], strict=True)
        ]
        _COUNTED.put(d, tokenizer, counted)


def _header_counts(counter: Counter, chunks: list[Chunk]) -> list[int]:
    """Each chunk's header count, every distinct header counted once."""
    headers = [header_text(c.span) for c in chunks]
    distinct = list(dict.fromkeys(headers))
    counts = dict(zip(distinct, count_texts(counter, distinct), strict=True))
    return [counts[h] for h in headers]


def _cached(
    docs: list[Document], key: str, store: Store, count: Callable[[list[Chunk]], list[int]]
) -> dict[str, list[int]]:
    """Each document's per-chunk counts under `key`: from the store, else counted in one batch and stored."""
    known = store.token_counts(dict.fromkeys(d.id for d in docs), key)
    stale = [d for d in docs if d.id not in known or len(known[d.id]) != len(d.chunks)]
    counts = iter(count([c for d in stale for c in d.chunks]) if stale else [])
    fresh = {d.id: [next(counts) for _ in d.chunks] for d in stale}
    if fresh:
        store.put_token_counts(fresh, key)
    return known | fresh
