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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
# Two words at least: a line of one word ("The", "Note") recurs wherever the layout breaks a line early.
WORDED = 2
# ...unless it is a word in capitals this long, as chapter heads are set (`PIRACY`, not `NOTE`).
CAPITALS = 5
_NUMBER = re.compile(r"\d{1,4}")
# A hyphen ending a line before a letter; letters on both sides (`pages 10-\n20` is a range).
# The literal comes first so the scan for it is fast; the halves are read around it.
_BREAK = re.compile(r"-\n(?=[^\W\d_])")
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


def tidy(pages: Sequence[Page]) -> None:
    """Drop running lines, then join the words hyphenated across lines."""
    drop_running_lines(pages)
    words = vocabulary(p.text or "" for p in pages)
    for p in pages:
        if p.text:
            p.text = dehyphenate(p.text, words)


def drop_running_lines(pages: Sequence[Page]) -> None:
    """Remove headers, footers and margin line numbers; a page they would empty keeps its text.

    A page's lines are split afresh each time they are looked at: kept for every page at once,
    they took four times the document's text (26 MB over 2,000 pages of filings).
    """
    texts = [p for p in pages if p.text]
    if len(texts) < RUNNING_MIN_PAGES:
        return
    running = _running(texts)
    for t in map(_lines, texts):
        kept = _kept(t, running)
        if any(line.strip() for line in kept):
            t.page.text = "\n".join(kept)


def _lines(page: Page) -> _Lines:
    lines = (page.text or "").split("\n")
    keys = [" ".join(line.split()) for line in _DIGITS.sub("#", page.text or "").split("\n")]
    for start, stop in _number_runs(lines):
        keys[start:stop] = [_LINE_NUMBERS] * (stop - start)
    return _Lines(page, lines, keys)


def _running(texts: list[Page]) -> _Running:
    """Worded lines recurring anywhere on pages; wordless ones (page numbers) and chapter heads at their edges."""
    anywhere: Counter[tuple[str, int]] = Counter()
    edges: Counter[tuple[str, int]] = Counter()
    for t in map(_lines, texts):
        anywhere.update((k, t.page.n % 2) for k in set(t.keys) if k)
        edges.update((k, t.page.n % 2) for k in set(_edge_keys(t, EDGE_LINES)))
    # Only lines on enough pages are looked at closely: most lines of a document occur once.
    anywhere_running = _recurring(anywhere, texts, _worded)
    edge_running = _recurring(edges, texts, lambda k: not _worded(k))
    heads = {k for k, n in _totals(edges).items() if n >= EDGE_MIN_PAGES and _heading(k)}
    worded = _paged(texts, anywhere_running | heads)
    return _Running(worded & anywhere_running, worded | edge_running)


def _recurring(counts: Counter[tuple[str, int]], texts: list[Page], wanted: Callable[[str], bool]) -> set[str]:
    """The `wanted` keys on RUNNING_SHARE of the pages of one side, and on RUNNING_MIN_PAGES pages in all."""
    parity = Counter(p.n % 2 for p in texts)
    pages = _totals(counts)
    return {
        k
        for (k, side), n in counts.items()
        if pages[k] >= RUNNING_MIN_PAGES and n >= RUNNING_SHARE * parity[side] and wanted(k)
    }


def _totals(counts: Counter[tuple[str, int]]) -> Counter[str]:
    """Pages per key, both sides together."""
    out: Counter[str] = Counter()
    for (k, _), n in counts.items():
        out[k] += n
    return out


def _paged(texts: list[Page], keys: set[str]) -> set[str]:
    """The keys whose numbers, wherever the line recurs, are the page's (give or take a fixed offset) or one
    constant: a form's or a table's figures recur on many pages with other values, and are not a header."""
    found: dict[str, list[tuple[int, list[int]]]] = {}
    for t in map(_lines, texts):
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


def _heading(key: str) -> bool:
    """Worded, or one word in capitals: a book's chapter head (`PIRACY 23`); a date (`January 30, 2020`)
    at the foot of a few exhibits is not."""
    words = _LETTERS.findall(key)
    return _worded(key) or len(words) == 1 and words[0].isupper() and len(words[0]) >= CAPITALS


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


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The words the texts write whole (lower-cased), leaving out the halves of words split at a line's end."""
    counts: Counter[str] = Counter()
    for text in texts:
        low = text.lower()
        counts.update(_WORD.findall(low))
        counts.subtract(half for _, _, head, tail in _breaks(low) for half in (head, tail))
    return {w for w, n in counts.items() if n > 0}


def dehyphenate(text: str, words: set[str]) -> str:
    """`distri-\\nbuted` → `distributed`; `nineteenth-\\ncentury` → `nineteenth-century` when the
    document writes both halves as words (the second no mere ending) and never the joined one."""
    out: list[str] = []
    last = 0
    for start, end, head, tail in _breaks(text):
        if start >= last:  # `a-\\nb-\\nc`: the second split's head is the first one's tail
            out += [text[last:start], _joined(head, tail, words)]
            last = end
    return "".join(out) + text[last:]


def _joined(head: str, tail: str, words: set[str]) -> str:
    low_head, low_tail = head.lower(), tail.lower()
    compound = low_head in words and low_tail in words and low_tail not in SUFFIXES
    return f"{head}-{tail}" if compound and low_head + low_tail not in words else head + tail


def _breaks(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Each word split at a line's end: where it starts and ends in `text`, and its two halves."""
    for m in _BREAK.finditer(text):
        start = end = m.start()
        while start and text[start - 1].isalpha():  # back to the head's first letter: a few steps
            start -= 1
        tail = _WORD.match(text, m.end())
        if start < end and tail:
            yield start, tail.end(), text[start:end], tail.group()
