"""The names a question gives, and whether a text uses them.

A question that names what the documents never use is not answered by them, however well a
sentence about the rest of it fits: "How many lines of Java code does the MapReduce library
contain?" of a paper that counts lines of C++, "What did Jon take a trip to Barcelona for?" of
a chat that says Rome. The planner looks for the names in every passage of the documents
(`absent`); over a chat the answer step also looks in the planned messages alone
(answer/notfound.py), where a name the question's best matches lack is one the chat does not
use for it, and so is a thing the question takes as given ("the drought" of a chat that tells of
a flood: `presupposed`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lecto.calendar_names import MONTHS, WEEKDAYS
from lecto.terms import MARK, WORD

# Capitalised for grammar or for the calendar, not because they name what a question is about.
_NOT_NAMES = frozenset(("i", *MONTHS, *WEEKDAYS))
# Words that lead a noun the question takes as given ("the drought", "his snakes").
_DETERMINERS = frozenset("the a an his her their its my your our".split())
# A title in quotes, closed or left open at the question's end.
_QUOTED = re.compile(r"\"[^\"]*(?:\"|$)|“[^”]*(?:”|$)")
# A title a text gives in quotes, closed on its line: a message's stray quote mark gives none.
_TITLE = re.compile(r"\"[^\"\n]+\"|“[^”\n]+”")
# A sentence starts a text, a line, or after a sentence's end and the markers after it ("…February. [1] Now…").
_SENTENCE_START = re.compile(rf"(?:^|\n\s*|[.!?:](?:\s*{MARK})*\s+)([A-Za-z][\w'-]*)")
# "Block (formerly known as Square)": the names in a parenthesis are other names for the one before it.
_ALIASES = re.compile(r"([^()]*)\(([^()]*)\)")
# A name shortened to fewer letters ("Jo") is as likely another word as the person's.
SHORT_NAME = 3
# Letters a name and the text's word for it must share: "European" is held by "Europe".
NAME_PREFIX = 5
# "What is the name of the gym John found?", "What are the names of the couple…?"; not "What happens to the name of…".
_ASKS_NAME = re.compile(r"^\W*(?:what|which)\s+(?:is|was|are|were)\s+the\s+names?\s+of\b", re.IGNORECASE)


def shortens(word: str, name: str) -> bool:
    """Whether `word` is the first name `name`, whole or as a chat shortens it ("Mel" for Melanie)."""
    return word == name or (len(word) >= SHORT_NAME and name.startswith(word))


def names(question: str) -> list[str]:
    """The capitalised words and acronyms of the question that are not there for grammar, in order.

    A title in quotes is left out (a text writes titles its own way), and so is a sentence's
    first word unless it is an acronym.
    """
    text = _QUOTED.sub(" ", question)
    starts = {m.group(1) for m in _SENTENCE_START.finditer(text)}
    words = [p for w in WORD.findall(text) for p in w.split("-")]
    return list(dict.fromkeys(p for p in words if p[:1].isupper() and (p not in starts or p.isupper())))


def asks_name(question: str) -> bool:
    """Whether the question asks for the name something goes by."""
    return _ASKS_NAME.search(question) is not None


def gives_name(text: str, known: set[str]) -> bool:
    """Whether the text gives a name other than the `known` ones (lower-cased, whole or shortened: "mel" is
    Melanie's): a capitalised word or a title in quotes. "I found a new gym" names no gym; "it's called Iron
    House" and "my \"Finding Home\" project" do. A word all in capitals is an acronym or a shout ("OMG"), seldom
    what a thing is called."""
    if _TITLE.search(text):
        return True
    given = {n.lower().removesuffix("'s") for n in names(text) if not n.isupper()}
    return any(n not in _NOT_NAMES and not _one_of(n, known) for n in given)


def presupposed(question: str) -> list[str]:
    """The lower-case words a determiner or a possessive leads ("the drought", "his snakes", "Caroline's
    sculpture"), in order: what the question takes as given, where the words it asks with
    ("describe", "what activity", "what is the name of") are its own.
    """
    asked = _ASKS_NAME.match(question)  # "the name of" asks; a chat giving one need not say "name"
    words = WORD.findall(_QUOTED.sub(" ", question[asked.end() if asked else 0 :]))
    return list(dict.fromkeys(w for lead, w in zip(words, words[1:], strict=False) if _leads(lead) and w.islower()))


def _leads(word: str) -> bool:
    return word.lower() in _DETERMINERS or word.endswith(("'s", "s'"))


def known(name: str, held: str, people: Iterable[str] = ()) -> bool:
    """Whether `held` (lower-cased text) uses the name, in any inflection, or it is one of `people` (lower-cased)."""
    name = name.lower().removesuffix("'s").rstrip("'")
    if name in _NOT_NAMES or len(name) < 2 or _one_of(name, people):
        return True
    return _starts_word(held, name[: max(NAME_PREFIX, len(name) - 3)])


def _one_of(name: str, people: Iterable[str]) -> bool:
    """Whether the name (lower-cased) is one of `people`, whole or shortened ("mel" for "melanie")."""
    return any(p.startswith(name) or name.startswith(p) for p in people)


def _starts_word(held: str, prefix: str) -> bool:
    """Whether a word of `held` starts with `prefix` (a letter first), as `\\bprefix` matches.

    str.find skips through the text where that expression tries every position: over 2,000
    pages (6 MB) a name no passage uses costs about 5 ms, not 0.4 s.
    """
    at = held.find(prefix)
    while at > 0 and (held[at - 1].isalnum() or held[at - 1] == "_"):  # a word character, as `\b` reads one
        at = held.find(prefix, at + 1)
    return at >= 0


def absent(question: str, texts: Iterable[str]) -> list[str]:
    """The proper names the question gives that none of the texts uses: what the documents never mention.

    Only names written as words ("Java", "Akamai"): an acronym or a code with digits ("USD",
    "FY2019", "COGS") is how a question abbreviates what a document spells out, so its absence
    says nothing. A name with another in parentheses after it is mentioned when either is.
    """
    words = [n for n in names(question) if any(c.islower() for c in n) and not any(c.isdigit() for c in n)]
    if not words:
        return []
    held = "\n".join(texts).lower()
    missing = [n for n in words if not known(n, held)]
    for before, inside in _ALIASES.findall(question):
        ahead, within = names(before)[-1:], names(inside)
        if any(known(n, held) for n in ahead + within):
            missing = [n for n in missing if n not in ahead + within]
    return _phrased(question, missing)


def _phrased(question: str, words: list[str]) -> list[str]:
    """Words that stand side by side in the question, as the one name they are: "World Cup", not "World", "Cup"."""
    out: list[str] = []
    for w in words:
        if out and re.search(rf"\b{re.escape(out[-1])}\s+{re.escape(w)}\b", question):
            out[-1] += " " + w
        else:
            out.append(w)
    return out
