"""What a line of code holds of a question, for grounded answers (answer/ground.py).

Code says what it holds in its names: `_MAXCACHE = 512` is how many compiled patterns `re`
keeps, `env_var = os.environ.get("PYTHONTZPATH")` the environment variable zoneinfo reads,
though neither line has one of the question's words standing alone. So a line of code holds
the question's words found inside its names (split as the full-text index splits them) with
the abbreviations code writes read as the words they abbreviate ("max" is the question's
"maximum", one word, not a second one); a line that sets a name holding the question's words
to a value it writes out is what "how many", "what default" and "which variable" ask for,
and a question asking for a default is answered as often by a signature giving a parameter
its value (`def __init__(self, address=None, backlog=1)`); a question naming a definition as
code names it (`asyncio.wait`, `get_nowait`, `XMLPullParser.feed`) is answered inside that
definition, where the docstrings of others only use its words; and a package's own tests,
which restate its code with made-up values, count for less.

The question's words that name a module (`ctypes.macholib.dyld`) say where to look: every line
of that file holds them, so the lines elsewhere that only repeat the name (an import of it)
gain nothing by it, and an import answers nothing. A question asking for a value, an
exception, a file or an address is answered by a line whose code states one (`BUFSIZE =
8*1024`, `raise CompileError(msg)`, `backup = filename + ".bak"`), not by a docstring that says
"(defaults to 60s)" or a line that repeats the question's words; such a line holds the noun the
question asks by ("exception", "suffix"), which code never writes, and a constant or a class's
attribute set to a value holds the "default" a question asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import PurePath

from lecto.context.answertype import AnswerType, expected
from lecto.context.lexical import QuestionWords, overlap, stem, stems
from lecto.data import Location, Selected
from lecto.ingest.walk import is_test
from lecto.kinds import kind_of
from lecto.kinds.code import CodeLocation, defaulted, set_name
from lecto.subwords import Splitter, with_abbreviations
from lecto.terms import key_terms

# A line setting a name to a value adds this times the name's share of the question: the answer
# is the value, and the name is all that ties the line to the question.
SETS_WEIGHT = 1.0
# A line inside the definition the question names is where its answer is ("What does asyncio.run raise…").
NAMED_BONUS = 0.2
# A package's own tests restate its code with made-up values (`loader.testMethodPrefix = 'foo'`).
TEST_SHARE = 0.5
# How deep a class's attributes are set (`    max_line_length = 78`): a default; a function's variables are set deeper.
ATTRIBUTE_INDENT = 4
# What a line whose code states the kind of thing asked for adds (`raise CompileError(msg)` for "which exception").
STATES_BONUS = 0.25


class Stated(Enum):
    """What a question asks a line of code to state, which a pattern over the code can check."""

    VALUE = "value"  # a number: a timeout, a size, a limit, a count
    EXCEPTION = "exception"
    FILE = "file"  # a file's name, suffix or folder
    ADDRESS = "address"  # a URL or a host


# The nouns a question names what it asks for by: "Which exception…", "which file", "what suffix", "which URL".
_NOUNS = {
    Stated.EXCEPTION: ("exception", "error"),
    Stated.ADDRESS: ("url", "host", "address", "uri"),
    Stated.FILE: ("file", "files", "filename", "suffix", "extension", "directory", "folder"),
    Stated.VALUE: ("timeout", "size", "limit", "maximum", "minimum", "length", "width", "port", "number"),
}
# A line stating an exception, a file or an address holds the noun the question names it by: `raise
# CompileError(msg)` is the "exception" asked for, though it never writes the word. Not a value: code writes
# numbers everywhere (`root.after(0, …)`, `address[0]`), and names hold a value's noun (`_MAXHEADERS`).
_HELD_NOUNS = (Stated.EXCEPTION, Stated.FILE, Stated.ADDRESS)
# "Which exception…", "What does copyfile raise…"; "which file", "what suffix"; "which URL", "which host address".
_ASKS_STATED = tuple(
    (kind, re.compile(rf"\b(?:which|what)\s+(?:\w+\s+){{0,2}}?(?:{'|'.join(_NOUNS[kind])})\b{extra}", re.I))
    for kind, extra in (
        (Stated.EXCEPTION, r"|\bwhat\b.*\braises?\b"),
        (Stated.ADDRESS, ""),
        (Stated.FILE, ""),
        (Stated.VALUE, ""),
    )
)
# How code states each: a number where code writes one (`= 8*1024`, `settimeout(10)`, `< 64`), not a word's
# digits (`c_int64`) nor a docstring's "60s"; `raise X`, `except X`; a quoted name with a suffix or a path; a
# quoted URL or a dotted address.
_STATES = {
    Stated.VALUE: re.compile(r"(?:[=(,\[<>*+-]|\breturn\b|\bin\b)\s*\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])"),
    Stated.EXCEPTION: re.compile(r"\b(?:raise|except)\s+\(?[A-Z]\w*|^\s*class\s+\w+\s*\([\w.]*(?:Error|Exception)\b"),
    Stated.FILE: re.compile(r"[\"'](?:[^\"'\s]*\.[A-Za-z]\w{0,7}|[~/.][^\"'\s]*)[\"']"),
    Stated.ADDRESS: re.compile(r"[\"'][a-z][\w+.-]*://|[\"']\d{1,3}(?:\.\d{1,3}){3}[\"']"),
}
# A question asking how long, how big or how many asks for a number, which code writes bare (`timeout=0.05`).
_VALUES = (AnswerType.DURATION, AnswerType.FREQUENCY, AnswerType.SIZE, AnswerType.QUANTITY)


def stated_asked(question: str) -> Stated | None:
    """What the question asks a line of code to state, or None when no pattern can check it."""
    if expected(question) in _VALUES:
        return Stated.VALUE
    return next((kind for kind, asks in _ASKS_STATED if asks.search(question)), None)


def states(kind: Stated, text: str) -> bool:
    """Whether the code of one of the lines (their comments left out) states the kind of thing asked for."""
    return any(_STATES[kind].search(line.split("#", 1)[0]) for line in text.split("\n"))


# `import os`, `from .x import (y,`: a line that names a module answers nothing about it.
_IMPORT = re.compile(r"^\s*(?:import\s+[\w.]+|from\s+[\w.]+\s+import\b)")


def imports(line: str) -> bool:
    return _IMPORT.match(line) is not None


def unimported(text: str) -> str:
    """Lines of code less their imports, which hold a module's name and nothing the question asks of it: the
    few lines before `from ctypes.macholib.dyld import dyld_find` would otherwise hold "macholib" and "dyld"."""
    return "\n".join(line for line in text.split("\n") if not imports(line))


@dataclass(frozen=True)
class CodeWords:
    """The question's words as the planned code writes them."""

    inside: QuestionWords
    spelled: dict[str, str]  # the stem of each abbreviation of a question's word -> the word's stem
    default: bool  # whether the question asks for a default ("What is the default backlog…?", "…by default?")
    named: frozenset[str]  # the definitions the question names as code does (`asyncio.wait`: wait, `get_nowait`)
    stated: Stated | None  # what the question asks a line to state (a value, an exception…)
    nouns: frozenset[str]  # the stems of the question's words naming what it asks for ("exception", "suffix")

    @classmethod
    def build(cls, question: str, terms: list[str], selected: list[Selected]) -> CodeWords:
        code = [s.chunk.text for s in selected if kind_of(s.chunk.span.kind).identifiers]
        full = {stem(t): t for t in key_terms(question)}
        spelled = {stem(a): t for t in terms if t in full and code for a in with_abbreviations([full[t]])[1:]}
        return cls(
            QuestionWords([*terms, *spelled], Splitter(code) if code else None),
            spelled,
            asks_default(question),
            named(question),
            stated := stated_asked(question),
            frozenset(stem(n) for n in _NOUNS[stated] if stem(n) in terms) if stated in _HELD_NOUNS else frozenset(),
        )

    def held(self, text: str) -> set[str]:
        """The stems lines of code hold of the question: its words, those inside their names, the nouns naming
        what it asks for when the lines state one (`raise CompileError(msg)` holds "exception"), and "default"
        when they set one: a constant or a class's attribute (`    max_line_length = 78`), a signature's
        parameter (`def fill(text, width=70)`); not a variable set deep inside a function."""
        found = self.spell(stems(text) | self.inside.in_names(text))
        found |= self.nouns if self.stated is not None and states(self.stated, text) else set()
        top = len(text) - len(text.lstrip(" ")) <= ATTRIBUTE_INDENT
        sets = self.default and ((top and set_name(text) is not None) or bool(defaulted(text)))
        return found | {stem("default")} if sets else found

    def spell(self, found: set[str]) -> set[str]:
        """The stems with the question's word for each abbreviation among them."""
        return found | {self.spelled[a] for a in found & self.spelled.keys()}

    def of_symbol(self, symbol: str) -> set[str]:
        """The stems of a symbol's words ("_read_status" of "reads the status"), its names whole and their words."""
        words = {stem(w) for w in key_terms(symbol.replace("_", " ").replace(".", " "))}
        return self.spell(words | self.inside.of(symbol, names=True))

    def of_file(self, source: str, loc: CodeLocation) -> set[str]:
        """The stems of the package and module a line is in (`ctypes/macholib/dyld.py`: ctypes, macholib, dyld)."""
        path = PurePath(loc.path).with_suffix("")
        # A one-file source's path is absolute: its folders are the machine's, not the package's. A folder's
        # file is read as its own source (`…/tomllib/_parser.py`, path `_parser.py`): the folder above the
        # path is the package the question names ("tomllib").
        package = PurePath(source[: -len(loc.path)] if source.endswith(loc.path) else source).name
        parts = [path.name] if path.is_absolute() else [package, *path.parts]
        return self.of_symbol(".".join(p for p in parts if p != "__init__"))

    def weighed(self, score: float, loc: CodeLocation, unit: str, weights: dict[str, float], total: float) -> float:
        """A candidate's score with what its first line sets or states, the defaults its signature gives (when
        the question asks for a default) and where it lives counted in."""
        line = unit.split("\n", 1)[0]
        if self.stated is not None and states(self.stated, line):
            score += STATES_BONUS
        name = set_name(unit)
        names = [name] if name is not None else []
        names += defaulted(unit) if self.default else []
        if names:
            held = (overlap(weights, self.spell(self.inside.of(n, names=True))) for n in names)
            score += SETS_WEIGHT * max(held) / total
        if loc.symbol and self.named & set(loc.symbol.split(".")):
            score += NAMED_BONUS
        return score * TEST_SHARE if is_test(loc.path) else score


# A name written as code writes it: dotted (`asyncio.wait`), with an underscore (`get_nowait`), or in
# camel case (`XMLPullParser`, `logRequests`).
_CODE_NAME = re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|\b\w*_\w*|\b[A-Za-z]+[a-z][A-Z]\w*|\b[A-Z]{2,}[a-z]\w*")


def named(question: str) -> frozenset[str]:
    """The definitions a question names as code names them (`asyncio.Queue.get_nowait`: get_nowait): the
    last part of a dotted name, a name with an underscore or in camel case."""
    return frozenset(n for n in (f.rsplit(".", 1)[-1] for f in _CODE_NAME.findall(question)) if n.strip("_"))


# "What is the default backlog of a Listener?", "Which character does quote leave unescaped by default?"
_DEFAULT = re.compile(r"\bdefaults?\b", re.IGNORECASE)


def asks_default(question: str) -> bool:
    """Whether the question asks for a default: code states one as a parameter's value in a signature
    (`def __init__(self, address=None, backlog=1)`), which no word of the question is near."""
    return bool(_DEFAULT.search(question))


@lru_cache(maxsize=1 << 12)  # asked for every candidate line
def where(loc: Location) -> str:
    """A line of code's file and symbol, for the model to read before it: the line seldom names either."""
    if not isinstance(loc, CodeLocation):
        return ""
    # The file and its folder: a one-file source's path is absolute, and the folders above say little.
    path = "/".join(PurePath(loc.path).parts[-2:])
    return f"{path} ({loc.symbol}): " if loc.symbol else f"{path}: "
