"""Source code chunked by symbol with tree-sitter, so a citation names a function and its lines.

Module-level functions, classes and their methods each become a chunk with their qualified
name (`JSONEncoder.encode`); a symbol too big for one chunk is split between its inner
statements or definitions, each part keeping the symbol's name. Code between symbols
(imports, constants) and files with no grammar are cut into line windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from lecto.data import Kind
from lecto.errors import SourceError
from lecto.ingest.code_grammars import BY_SUFFIX, WITHOUT_GRAMMAR, Grammar, parser_for
from lecto.ingest.code_symbols import Definition, definition
from lecto.ingest.registry import DEFAULT_OPTIONS, IngestOptions, Parsed, Piece, register_ingester
from lecto.ingest.text import looks_like_text, read_text
from lecto.kinds.code import CodeLocation

# ~400 tokens of code: one ordinary function whole, while a 1K-token budget still holds two.
MAX_CHARS = 1600
# Repository-map signatures longer than this are cut: the map is an overview, not the code.
SIGNATURE_CHARS = 120


@dataclass(frozen=True)
class Symbol:
    qualname: str
    start: int  # 1-based lines, inclusive
    end: int


@register_ingester
class CodeIngester:
    name: ClassVar[str] = "code"
    # 4: the index's words inside names stand in a fixed order (lecto/subwords.index_words); caches re-read code.
    version: ClassVar[int] = 4
    kind: ClassVar[Kind] = Kind.CODE
    priority: ClassVar[int] = 50

    def accepts(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        return (suffix in BY_SUFFIX or suffix in WITHOUT_GRAMMAR) and looks_like_text(head)

    def parse(self, path: Path, source: str, options: IngestOptions = DEFAULT_OPTIONS) -> Parsed:
        text = read_text(path, source)
        if not text.strip():
            raise SourceError("empty file, nothing to read", source=source)
        lines = text.splitlines()
        grammar = BY_SUFFIX.get(path.suffix.lower())
        spans = _symbol_spans(text, grammar, len(lines)) if grammar else []
        pieces = [p for s in _cover(spans, len(lines), lines) if (p := _piece(lines, s, source)).text.strip()]
        meta = {"language": grammar.module.removeprefix("tree_sitter_") if grammar else path.suffix.lstrip(".")}
        meta["symbols"] = [[s.qualname, s.start, _signature(lines[s.start - 1])] for s in _outline(spans)]
        return Parsed(title=Path(source).name, pieces=pieces, meta=meta)


def _piece(lines: list[str], s: Symbol, source: str) -> Piece:
    text = "\n".join(lines[s.start - 1 : s.end])
    return Piece(text, CodeLocation(source, s.start, s.end, s.qualname or None))


def _symbol_spans(text: str, grammar: Grammar, n_lines: int) -> list[Symbol]:
    """Chunk-sized spans for the file's symbols, in order; lines outside every symbol are not listed."""
    tree = parser_for(grammar).parse(text.encode())
    out: list[Symbol] = []
    for node in tree.root_node.named_children:
        _split(node, "", grammar, out)
    return out


def _split(node: Any, outer: str, grammar: Grammar, out: list[Symbol]) -> None:
    """Spans for `node` if it is (or wraps) a symbol, else for the symbols it contains."""
    target = definition(node, grammar)
    if target is None:
        for child in _containers(node):  # an export statement, a namespace body, `impl` blocks
            _split(child, outer, grammar, out)
        return
    _place(node, target, outer, grammar, out)


def _place(node: Any, target: Definition, outer: str, grammar: Grammar, out: list[Symbol]) -> None:
    """Spans for the symbol `target` that `node` defines: whole when small, else part by part."""
    qual = f"{outer}.{target.name}" if outer else target.name
    start, end = _first_line(node), node.end_point.row + 1
    if node.end_byte - node.start_byte <= MAX_CHARS:
        out.append(Symbol(qual, start, end))
        return
    _split_inner(target, qual, start, end, grammar, out)


def _split_inner(target: Definition, qual: str, start: int, end: int, grammar: Grammar, out: list[Symbol]) -> None:
    """A big symbol: inner definitions get their own spans, the statements between them line windows."""
    body = target.body
    line = start
    for child in body.named_children:
        inner = definition(child, grammar)
        if inner is None:
            continue
        child_start = _first_line(child)
        if child_start > line:
            out += _windows(qual, line, child_start - 1)
        _place(child, inner, qual if target.qualifies else "", grammar, out)
        line = child.end_point.row + 2
    if line <= end:
        out += _windows(qual, line, end, cuts=[c.start_point.row + 1 for c in body.named_children])


def _first_line(node: Any) -> int:
    """The 1-based first line of `node` with the comments right above it: a doc comment is its symbol's."""
    row, above = node.start_point.row, node.prev_named_sibling
    while above is not None and above.type.endswith("comment") and above.end_point.row == row - 1:
        row, above = above.start_point.row, above.prev_named_sibling
    return row + 1


def _windows(qual: str, start: int, end: int, cuts: list[int] | None = None) -> list[Symbol]:
    """`start..end` cut into windows of about MAX_CHARS / 40 lines, at the `cuts` lines where given."""
    step = MAX_CHARS // 40
    cuts = sorted({c for c in cuts or [] if start < c <= end})
    out: list[Symbol] = []
    first = previous = start
    for cut in cuts + [end + 1]:
        if cut - first > step and previous > first:
            out.append(Symbol(qual, first, previous - 1))
            first = previous
        previous = cut
    out.append(Symbol(qual, first, end))
    return [s for w in out for s in _cap(w, step * 2)]


def _cap(s: Symbol, lines: int) -> list[Symbol]:
    """A window no longer than `lines` (a long statement with no inner boundary)."""
    return [Symbol(s.qualname, a, min(a + lines - 1, s.end)) for a in range(s.start, s.end + 1, lines)]


def _cover(spans: list[Symbol], n_lines: int, lines: list[str]) -> list[Symbol]:
    """The symbols' spans plus line windows for every gap between them, blank gaps dropped."""
    out: list[Symbol] = []
    line = 1
    for s in spans:
        if s.start > line:
            out += _gap(line, s.start - 1, lines)
        out.append(s)
        line = max(line, s.end + 1)
    return out + _gap(line, n_lines, lines)


def _gap(start: int, end: int, lines: list[str]) -> list[Symbol]:
    if not any(line.strip() for line in lines[start - 1 : end]):
        return []
    # Blank lines stand in for statement starts: a run of constants then reads as a few
    # small windows, not one long one that BM25 scores as diluted.
    paragraphs = [n for n in range(start + 1, end + 1) if not lines[n - 2].strip() and lines[n - 1].strip()]
    return _windows("", start, end, cuts=paragraphs)


def _containers(node: Any) -> list[Any]:
    body = node.child_by_field_name("body")
    return list(body.named_children) if body is not None else []


def _outline(spans: list[Symbol]) -> list[Symbol]:
    """Each symbol once, at its first line, for the repository map."""
    first: dict[str, Symbol] = {}
    for s in spans:
        if s.qualname and s.qualname not in first:
            first[s.qualname] = s
    return list(first.values())


def _signature(line: str) -> str:
    line = line.strip()
    return line if len(line) <= SIGNATURE_CHARS else line[: SIGNATURE_CHARS - 1] + "…"
