"""Source code: passages located by file and lines (and the symbol they define), read line by line.

Code is cut at line ends only: a line is a statement, and the dots in `self.fp.readline()` or
a comment's "e.g. x" end no sentence. Its words hide inside names (`_MAXHEADERS`: max,
headers), so the full-text index also reads the words inside each name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecto.data import Chunk, Kind, Location
from lecto.kinds import Fields, RankWeights, Unit, register_kind
from lecto.kinds.text import Lines, line_range
from lecto.subwords import Splitter

# Lines of code a grounded answer quotes as one candidate: a statement and the lines that finish or follow it.
ANSWER_LINES = 6
# A line binding a name to a value: `_MAXCACHE = 512`, `maxDiff = 80*8`, `const MAX = 5;`, `x: int = 78`,
# `n := len(s)`. The spaces before `=` leave out a call's keyword arguments (`upgrade=options.upgrade,`).
_BINDS = re.compile(
    r"^\s*(?:(?:export|const|let|var|static|final|readonly|public|private|protected)\s+)*"
    r"([A-Za-z_$][\w$.]*)(?:\[[^\]]*\])?(?:\s*:\s*[^=]+?)?\s+:?=(?!=)"
)
# A value written out: a number not inside a name, a quoted string, or a constant named in capitals
# (`DEFAULT_MODE = RTLD_LOCAL`, `return_when=ALL_COMPLETED`), not called.
_LITERAL = re.compile(r"(?<![\w.])\d|[\"'`]|(?<![\w.])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b(?!\s*\()")

# A line that only ends what the lines before it opened: a docstring's closing quotes, a call's `)`, a list's `],`.
_CLOSING = re.compile(r'^\s*(?:"""|\'\'\'|[)\]}]+)\s*[,;:]?\s*$')
_DOCSTRING = re.compile(r'"""|\'\'\'')


def excerpt(text: str, before: str) -> str:
    """Lines of code as a quote shows them, `before` being the file's text before them: from the first line
    that does not only close what earlier lines opened (a quote opening on a docstring's closing quotes reads
    as noise, and the checker finds no claim in that line), and, begun inside a docstring, ending with it."""
    lines = text.split("\n")
    inside = len(_DOCSTRING.findall(before)) % 2 == 1
    while len(lines) > 1 and (_CLOSING.match(lines[0]) or not lines[0].strip()):
        inside ^= bool(_DOCSTRING.search(lines.pop(0)))
    return "\n".join(_to_docstring_end(lines) if inside else lines)


def _to_docstring_end(lines: list[str]) -> list[str]:
    """The lines of a docstring up to its closing quotes: the code after them is another claim."""
    for i, line in enumerate(lines):
        if end := _DOCSTRING.search(line):
            last = line[: end.start()]
            return [*lines[:i], last] if last.strip() else lines[:i] or lines
    return lines


# A name a binding's value uses (`server_version` of `server_version + ' ' + sys_version`).
_NAME = re.compile(r"\b[A-Za-z_]\w*")
# A definition's signature, up to the colon that ends it: `def quote(string, safe='/', encoding=None):`.
_SIGNATURE = re.compile(r"^\s*(?:async\s+)?def\s+\w+\s*\((?P<params>.*?)\)\s*(?:->[^:]*)?:", re.DOTALL)
# A parameter given a default: `safe='/'`, `backlog=1`, `*, return_when=ALL_COMPLETED`, `indent: str = "\t"`.
_DEFAULTED = re.compile(r"(?:^|,)\s*(\w+)\s*(?::[^=,]*)?=(?!=)")


def defaulted(text: str) -> list[str]:
    """The parameters a definition's signature at the start of `text` gives a default (`def quote(string,
    safe='/')`: safe), however many lines it spans; none when `text` starts with no definition."""
    found = _SIGNATURE.match(text)
    return _DEFAULTED.findall(found["params"]) if found else []


def built_from(text: str, start: int) -> int:
    """Where the lines setting the names that the binding at `start` builds its value from begin, within
    ANSWER_LINES above it: `software_version = server_version + ' ' + sys_version` says what it is only with
    `server_version = "WSGIServer/" + __version__`, two lines up. `start` itself when it binds nothing so."""
    line = text[start:].split("\n", 1)[0]
    found = _BINDS.match(line)
    if found is None:
        return start
    used = set(_NAME.findall(line[found.end() :]))
    earliest, at = start, start
    for above in reversed(text[:start].split("\n")[:-1][-ANSWER_LINES:]):
        at -= len(above) + 1
        bound = _BINDS.match(above)
        if bound is not None and bound.group(1) in used:
            earliest = at
    return earliest


def set_name(text: str) -> str | None:
    """The name the first line of `text` sets to a value it writes out (a number, a string), or None: the
    line that says what a constant or a setting is (`_MAXCACHE = 512`, `env_var = os.environ.get("PYTHONTZPATH")`).
    A value opening a bracket at the line's end is written on the lines after it (`FALLBACK = [` and a list)."""
    line = text.split("\n", 1)[0]
    found = _BINDS.match(line)
    if found is None:
        return None
    value = text[found.end() :] if line.rstrip().endswith(("[", "(", "{")) else line[found.end() :]
    return found.group(1) if _LITERAL.search(value) else None


@dataclass(frozen=True)
class CodeLocation(Location):
    path: str  # the file's path in its repository
    start_line: int
    end_line: int
    symbol: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "symbol": self.symbol,
        }

    def describe(self) -> str:
        where = f"{self.path}:{line_range(self)}"
        return f"{where} ({self.symbol})" if self.symbol else where

    def cited_in(self, source: str) -> str:
        # The location already names the file (relative to the repository), so the source, the
        # same file by its full path, would only say it twice.
        if source.endswith(self.path):
            return f"{source[: -len(self.path)]}{self.describe()}"
        return super().cited_in(source)


@register_kind(Kind.CODE)
class Code(Lines, Fields):
    location = CodeLocation
    # MiniLM learned from sentence pairs; on code it ranks the evidence lower than BM25 does and
    # fusing it cost code recall (docs/BENCHMARKS.md), so code is left to BM25.
    weights = RankWeights(dense=0.0, answer=0.0)
    prose = False
    identifiers = True

    def indexed(self, texts: list[str]) -> list[str]:
        splitter = Splitter(texts)
        return [f"{t}\n{splitter.index_words(t)}" for t in texts]

    def units(self, chunk: Chunk) -> list[Unit]:
        out = []
        start = 0
        for line in chunk.text.split("\n"):
            if line.strip():
                out.append(Unit(start, start + len(line)))
            start += len(line) + 1
        return out

    def answer_units(self, chunk: Chunk) -> list[Unit]:
        lines = self.units(chunk)
        return [Unit(u.start, lines[min(i + ANSWER_LINES, len(lines)) - 1].end) for i, u in enumerate(lines)]

    def file(self, source: str, location: Location) -> Path:
        root = Path(source)
        return root / location.path if root.is_dir() else root  # type: ignore[attr-defined]

    def lexer(self, path: Path) -> str | None:
        from rich.syntax import Syntax

        return Syntax.guess_lexer(str(path))
