"""The words inside code identifiers, so a question in plain words finds `_MAXHEADERS`.

FTS5 indexes `JSONDecodeError` and `_MAXHEADERS` as single tokens, so "decoding error" or
"maximum number of headers" never reach them. The parts of camelCase and snake_case names
are found by their case and underscores; a name written in one case (`maxheaders`) is split
into words the same document uses elsewhere, because no general dictionary knows a code
base's vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cached_property

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{3,}")
_CASE_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Shorter pieces would split nearly anything into nearly anything ("a" + "nd").
_MIN_PART = 3
_MAX_PART = 14
_SPLIT_LENGTHS = range(2 * _MIN_PART, 33)
_UNKNOWN = 4
_WORDS = re.compile(r"[A-Za-z]+")


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """The words of a document's prose and the parts of its names: what a one-case name may split into."""
    words: set[str] = set()
    for text in texts:
        for run in set(_WORDS.findall(text)):
            parts = _CASE_PARTS.findall(run)
            # One upper-case run ("MAXHEADERS") is a name to split, not a word to split into.
            if len(parts) > 1 or not run.isupper():
                words.update(p.lower() for p in parts if _MIN_PART <= len(p) <= _MAX_PART)
    return frozenset(words)


def identifiers(text: str) -> list[str]:
    """The names in `text` long enough to hold words."""
    return _IDENTIFIER.findall(text)


class Splitter:
    """Finds the words inside one document's identifiers; remembers each name's pieces."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._pieces: dict[str, list[str]] = {}

    @cached_property
    def _vocab(self) -> frozenset[str]:
        # Built at the first split: a question's words are often inside none of the names.
        return vocabulary(self._texts)

    def index_words(self, text: str) -> str:
        """The words hidden inside `text`'s identifiers, space-separated, each once, in the order the names
        first stand: the index reads adjacent words as a phrase, so the order must not follow a set's hashing,
        which changes from one process to the next."""
        return " ".join(self.words_in(dict.fromkeys(identifiers(text))))

    def words_in(self, names: Iterable[str]) -> list[str]:
        """The words inside these identifiers, each once."""
        found: dict[str, None] = {}
        for name in names:
            pieces = self._pieces.get(name)
            if pieces is None:
                pieces = self._pieces[name] = self._split(name)
            found.update(dict.fromkeys(pieces))
        return list(found)

    def _split(self, name: str) -> list[str]:
        parts = [p.lower() for p in _CASE_PARTS.findall(name)]
        pieces = [w for p in parts for w in self._segment(p)]
        return pieces if len(pieces) > 1 else []

    def _segment(self, word: str) -> list[str]:
        """`word` as words the document knows (at most one piece it does not), else itself."""
        if len(word) not in _SPLIT_LENGTHS:
            return [word]
        # best[i]: (cost, pieces) spelling word[:i]; a known piece costs 1, an unknown one
        # _UNKNOWN, so "maxheaders" still splits when only "headers" is used elsewhere.
        best: list[tuple[int, list[str]] | None] = [(0, [])] + [None] * len(word)
        for end in range(_MIN_PART, len(word) + 1):
            for start in range(max(0, end - _MAX_PART), end - _MIN_PART + 1):
                piece = word[start:end]
                if best[start] is None or piece == word:
                    continue
                cost = best[start][0] + (1 if piece in self._vocab else _UNKNOWN)
                if best[end] is None or cost < best[end][0]:
                    best[end] = (cost, [*best[start][1], piece])
        found = best[-1]
        # A word the document writes on its own splits only into words it also knows.
        allowed = 0 if word in self._vocab else _UNKNOWN - 1
        if found is None or found[0] > len(found[1]) + allowed:
            return [word]
        return found[1]


# How code abbreviates the words a question spells out ("maximum number of headers" →
# `_MAXHEADERS`); the common ones only, each a conventional spelling.
ABBREVIATIONS = {
    "address": "addr",
    "argument": "arg",
    "arguments": "args",
    "attribute": "attr",
    "buffer": "buf",
    "character": "char",
    "command": "cmd",
    "configuration": "config",
    "connection": "conn",
    "context": "ctx",
    "current": "cur",
    "database": "db",
    "destination": "dst",
    "directory": "dir",
    "document": "doc",
    "environment": "env",
    "error": "err",
    "expression": "expr",
    "function": "func",
    "identifier": "id",
    "index": "idx",
    "information": "info",
    "initialize": "init",
    "length": "len",
    "library": "lib",
    "maximum": "max",
    "message": "msg",
    "minimum": "min",
    "number": "num",
    "object": "obj",
    "package": "pkg",
    "parameter": "param",
    "parameters": "params",
    "position": "pos",
    "previous": "prev",
    "reference": "ref",
    "request": "req",
    "response": "resp",
    "sequence": "seq",
    "source": "src",
    "string": "str",
    "temporary": "tmp",
    "value": "val",
    "variable": "var",
}


# The word each abbreviation stands for: `env_var` reads as "environment variable".
SPELLED = {short: word for word, short in ABBREVIATIONS.items()}


def with_abbreviations(terms: list[str]) -> list[str]:
    """`terms` plus the abbreviations code writes for them."""
    return terms + [ABBREVIATIONS[t] for t in terms if t in ABBREVIATIONS]
