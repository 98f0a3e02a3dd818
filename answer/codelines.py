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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from lecto.context.lexical import QuestionWords, overlap, stem
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


@dataclass(frozen=True)
class CodeWords:
    """The question's words as the planned code writes them."""

    inside: QuestionWords
    spelled: dict[str, str]  # the stem of each abbreviation of a question's word -> the word's stem
    default: bool  # whether the question asks for a default ("What is the default backlog…?", "…by default?")
    named: frozenset[str]  # the definitions the question names as code does (`asyncio.wait`: wait, `get_nowait`)

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
        )

    def spell(self, found: set[str]) -> set[str]:
        """The stems with the question's word for each abbreviation among them."""
        return found | {self.spelled[a] for a in found & self.spelled.keys()}

    def of_symbol(self, symbol: str) -> set[str]:
        """The stems of a symbol's words ("_read_status" of "reads the status"), its names whole and their words."""
        words = {stem(w) for w in key_terms(symbol.replace("_", " ").replace(".", " "))}
        return self.spell(words | self.inside.of(symbol, names=True))

    def weighed(self, score: float, loc: CodeLocation, unit: str, weights: dict[str, float], total: float) -> float:
        """A candidate's score with what its first line sets, the defaults its signature gives (when the
        question asks for a default) and where it lives counted in."""
        name = set_name(unit.split("\n", 1)[0])
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
