"""What a plan puts before its passages whatever the mode: for code, the repository map.

The map shows the model the shape of the repository (folders, files, symbol signatures)
before any passage. It is not a source: it carries no number and cannot be cited, but its
tokens count in the budget like the passages'.
"""

from __future__ import annotations

from dataclasses import dataclass

from lecto.context.tokens import Counter
from lecto.data import Corpus, Kind
from lecto.ingest.repomap import repo_map

# Share of the budget the map may take: it orients the model, the passages carry the evidence.
MAP_SHARE = 1 / 8
# A map longer than this repeats what the passages show anyway.
MAP_MAX_CHARS = 4000
# Paths and signatures run about three characters a token; sizing by it first saves recounting.
CHARS_PER_TOKEN = 3
# What the prompt adds around the map (its heading).
HEADER_TOKENS = 16


@dataclass(frozen=True)
class Preamble:
    text: str = ""
    tokens: int = 0


def preamble(corpus: Corpus, budget: int, counter: Counter) -> Preamble:
    """The repository map for a corpus with code, within its share of `budget`; empty otherwise."""
    if not any(d.kind is Kind.CODE for d in corpus.documents):
        return Preamble()
    limit = int(budget * MAP_SHARE)
    chars = min(MAP_MAX_CHARS, limit * CHARS_PER_TOKEN)
    while chars > 0:
        text = repo_map(corpus, max_chars=chars)
        tokens = counter.count_tokens(text) + HEADER_TOKENS
        if text and tokens <= limit:
            return Preamble(text, tokens)
        chars //= 2
    return Preamble()
