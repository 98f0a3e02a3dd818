"""What the source viewer shows for a passage: the passage in its context, as its kind shows it.

A PDF passage is shown with the rest of its page, a file's lines with the lines around them,
a chat passage with the messages before and after it (lecto/kinds/). The passage's own lines
are marked.
"""

from __future__ import annotations

from lecto.data import Chunk, Corpus, Document, Span
from lecto.kinds import Excerpt, kind_of

__all__ = ["Excerpt", "excerpt", "locate"]


def locate(corpus: Corpus, span: Span, text: str | None = None) -> tuple[Document, Chunk] | None:
    """The document and chunk a span names, preferring the chunk whose text is `text`."""
    for doc in corpus.documents:
        matches = [c for c in doc.chunks if c.span == span]
        if matches:
            exact = [c for c in matches if c.text == text]
            return doc, (exact or matches)[0]
    return None


def excerpt(doc: Document, chunk: Chunk) -> Excerpt:
    return kind_of(doc.kind).excerpt(doc, chunk)
