"""A PDF's page texts cleaned as one document: running lines out, line-end hyphens resolved.

Both need the whole document. A running header is a line that recurs on many pages, wherever
the text layer happens to put it (books draw their margin line numbers after the body, so the
header sits behind forty lines of numbers, far from the page's edge). Whether `nineteenth-`
at a line's end joins `century` depends on whether the document writes the joined word
elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
# Two words at least: a line of one word ("The", "Note") recurs wherever the layout breaks a line early.
WORDED = 2
_NUMBER = re.compile(r"\d{1,4}")
# Letters only on both sides: `pages 10-\n20` is a range, not a split word.
_HYPHENATED = re.compile(r"([^\W\d_]+)-\n([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+")
# Endings that are words too ("able") yet never the second half of a compound: `consider-\nable` joins.
SUFFIXES = frozenset({"able", "ible", "ance", "ence", "ing", "ings", "ment", "ments", "ness", "tion", "tions", "ly"})
# A line that recurs on this share of the pages of one parity is running: books alternate
# their headers (the title on even pages, the chapter on odd), so a share of all pages misses both.
RUNNING_SHARE = 0.6
RUNNING_MIN_PAGES = 4
# A line at a page's edge that recurs at an edge of this many pages is running even when rare
# in the whole document: a chapter's title heads each of its pages, a tenth of a book.
EDGE_MIN_PAGES = 4
# Lines looked at from each edge for page numbers and other lines without words: inside a page
# a bare number is a table's cell.
EDGE_LINES = 2
# Running lines peeled from each edge at most: headers and footers are a few lines deep.
PEEL_LINES = 4
# Bare numbers rising by one step on this many lines in a row are margin line numbers.
LINE_NUMBER_RUN = 5
_LINE_NUMBERS = "\0line numbers"  # the key every page's run of margin line numbers shares


class Page(Protocol):
    n: int
    text: str | None


@dataclass(frozen=True)
class _Running:
    anywhere: set[str]  # keys dropped wherever they are on a page
    edges: set[str]  # keys peeled from a page's edges


@dataclass
class _Lines:
    page: Page
    lines: list[str]
    keys: list[str]


def tidy(pages: list[Page]) -> None:
    """Drop running lines, then join the words hyphenated across lines."""
    drop_running_lines(pages)
    words = vocabulary(p.text or "" for p in pages)
    for p in pages:
        if p.text:
            p.text = dehyphenate(p.text, words)


def drop_running_lines(pages: list[Page]) -> None:
    """Remove headers, footers and margin line numbers; a page they would empty keeps its text."""
    texts = [_lines(p) for p in pages if p.text]
    if len(texts) < RUNNING_MIN_PAGES:
        return
    running = _running(texts)
    for t in texts:
        kept = _kept(t, running)
        if any(line.strip() for line in kept):
            t.page.text = "\n".join(kept)


def _lines(page: Page) -> _Lines:
    lines = (page.text or "").split("\n")
    keys = [_key(line) for line in lines]
    for start, stop in _number_runs(lines):
        keys[start:stop] = [_LINE_NUMBERS] * (stop - start)
    return _Lines(page, lines, keys)


def _running(texts: list[_Lines]) -> _Running:
    """Worded lines recurring anywhere on pages; wordless ones (page numbers) and chapter heads at their edges."""
    parity = Counter(t.page.n % 2 for t in texts)
    sides: Counter[tuple[str, int]] = Counter()
    heads: Counter[str] = Counter()
    for t in texts:
        edges = set(_edge_keys(t, EDGE_LINES))
        sides.update((k, t.page.n % 2) for k in {k for k in t.keys if _worded(k)} | edges)
        heads.update(k for k in edges if _worded(k))
    pages = Counter(k for k, _ in sides.elements())
    running = {
        k for (k, side), n in sides.items() if n >= RUNNING_SHARE * parity[side] and pages[k] >= RUNNING_MIN_PAGES
    }
    worded = _paged(texts, {k for k in running if _worded(k)} | {k for k, n in heads.items() if n >= EDGE_MIN_PAGES})
    return _Running(worded & running, worded | {k for k in running if not _worded(k)})


def _paged(texts: list[_Lines], keys: set[str]) -> set[str]:
    """The keys whose numbers, wherever the line recurs, are the page's (give or take a fixed offset) or one
    constant: a form's or a table's figures recur on many pages with other values, and are not a header."""
    found: dict[str, list[tuple[int, list[int]]]] = {}
    for t in texts:
        for k, line in dict(zip(t.keys, t.lines, strict=True)).items():
            if k in keys and "#" in k:
                found.setdefault(k, []).append((t.page.n, [int(d) for d in _DIGITS.findall(line)]))
    return {k for k in keys if all(_steady(pages, values) for pages, values in _columns(found.get(k, [])))}


def _columns(found: list[tuple[int, list[int]]]) -> list[tuple[list[int], list[int]]]:
    """Per number of the line, the pages it was seen on and its values there."""
    width = min((len(v) for _, v in found), default=0)
    pages = [n for n, _ in found]
    return [(pages, [v[i] for _, v in found]) for i in range(width)]


def _steady(pages: list[int], values: list[int]) -> bool:
    same = Counter(values).most_common(1)[0][1]
    tracking = Counter(v - n for n, v in zip(pages, values, strict=True)).most_common(1)[0][1]
    return max(same, tracking) >= RUNNING_SHARE * len(values)


def _worded(key: str) -> bool:
    return key == _LINE_NUMBERS or len(_LETTERS.findall(key)) >= WORDED


def _edge_keys(t: _Lines, depth: int) -> list[str]:
    """The first and last `depth` keys of the page's lines, margin line numbers and blank lines aside."""
    text = [k for k in t.keys if k and k != _LINE_NUMBERS]
    return text[:depth] + text[-depth:]


def _kept(t: _Lines, running: _Running) -> list[str]:
    """The page's lines less those of `running.anywhere`, and less `running.edges` peeled from both ends."""
    drop = {i for i, k in enumerate(t.keys) if k in running.anywhere}
    for order in (range(len(t.keys)), range(len(t.keys) - 1, -1, -1)):
        peeled = 0
        for i in order:
            if not t.keys[i] or i in drop:
                continue
            if t.keys[i] not in running.edges or peeled == PEEL_LINES:
                break
            drop.add(i)
            peeled += 1
    return [line for i, line in enumerate(t.lines) if i not in drop]


def _number_runs(lines: list[str]) -> Iterator[tuple[int, int]]:
    """`[start, stop)` of each run of bare numbers rising by one fixed step (1 2 3 …, 5 10 15 …)."""
    values = [int(s) if _NUMBER.fullmatch(s := line.strip()) else None for line in lines]
    start = 0
    while start < len(values):
        stop = start + 1
        if values[start] is not None:
            step = None
            while stop < len(values) and (v := values[stop]) is not None:
                prev = values[stop - 1]
                assert prev is not None
                if step is None and v > prev:
                    step = v - prev
                if v - prev != step:
                    break
                stop += 1
            if stop - start >= LINE_NUMBER_RUN:
                yield start, stop
        start = stop


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()))


def vocabulary(texts: Iterator[str] | list[str]) -> set[str]:
    """The words the texts write whole (lower-cased), leaving out the halves of words split at a line's end."""
    return {w.lower() for text in texts for w in _WORD.findall(_HYPHENATED.sub(" ", text))}


def dehyphenate(text: str, words: set[str]) -> str:
    """`distri-\\nbuted` → `distributed`; `nineteenth-\\ncentury` → `nineteenth-century` when the
    document writes both halves as words (the second no mere ending) and never the joined one."""

    def join(m: re.Match[str]) -> str:
        head, tail = m.group(1), m.group(2)
        joined = (head + tail).lower()
        compound = head.lower() in words and tail.lower() in words and tail.lower() not in SUFFIXES
        if compound and joined not in words:
            return f"{head}-{tail}"
        return head + tail

    return _HYPHENATED.sub(join, text)
