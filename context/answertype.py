"""What kind of answer a question expects, and whether a passage holds one.

"How long did the sort take?" is answered by a duration ("891 seconds"), and the passage
that states it often shares no word with the question but the topic's; a passage that
holds a duration at all is a better bet than one that only repeats the question's words.
Retrieval gives such prose passages a vote (context/rank.py). Only expectations that a pattern
can check are read: a duration, a size of data ("what chunk size": "64 MB"), a share ("what
percentage": "15.7%"), and a count or amount ("how many", "how much"); and a definition ("What
is a straggler?"), which the sentence defining the term answers, not the many that use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from lecto.context.lexical import stem
from lecto.terms import MARK


class AnswerType(StrEnum):
    DURATION = "duration"
    FREQUENCY = "frequency"  # "every second", "three times a week", or the interval: "every 30 seconds"
    SIZE = "size"  # of data: "64 MB"
    PERCENT = "percent"  # a share: "15.7%"
    QUANTITY = "quantity"


_NUMBER = r"(?:\d+(?:[.,]\d+)*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
_NUMBER += r"fifteen|twenty|thirty|forty|fifty|sixty|hundred|several|few|couple\s+of)"
_BYTES = r"(?:[KMGTP]i?B|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?)"
_UNIT = r"(?:ms|milli-?seconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|decades?)"

# Papers write seconds and hours short against the number: "45s", "1.5h".
_DURATION = rf"\b{_NUMBER}[\s-]*{_UNIT}\b|\b\d+(?:[.,]\d+)?[sh]\b"
_PER = rf"(?:a|an|per|each|every)\s+{_UNIT}"
_FREQUENCY = (
    rf"\bevery\s+(?:other\s+)?{_UNIT}\b|\b(?:{_NUMBER}\s+times|once|twice)\s+{_PER}\b"
    r"|\b(?:hourly|daily|nightly|weekly|monthly|yearly|annually)\b"
)

_ASKS = (
    # "How long did it take", "how much time", "for how many years"
    (
        AnswerType.DURATION,
        re.compile(rf"\bhow\s+(long|much\s+time|many\s+{_UNIT})\b|\bwhat\s+(timeout|interval|period)\b", re.I),
    ),
    (AnswerType.FREQUENCY, re.compile(r"\bhow\s+(often|frequently)\b", re.I)),
    (AnswerType.SIZE, re.compile(r"\bwhat\s+(\w+\s+)?size\b|\bhow\s+(big|large)\b", re.I)),
    (
        AnswerType.PERCENT,
        re.compile(r"\b(what|which)\s+(\w+\s+)?(percentage|percent|share\s+of)\b", re.I),
    ),
    (AnswerType.QUANTITY, re.compile(r"\bhow\s+(many|much)\b", re.I)),
)
_HOLDS = {
    AnswerType.DURATION: re.compile(_DURATION, re.I),
    AnswerType.FREQUENCY: re.compile(rf"{_FREQUENCY}|{_DURATION}", re.I),
    AnswerType.SIZE: re.compile(rf"\b\d+(?:[.,]\d+)*\s*{_BYTES}\b"),
    AnswerType.PERCENT: re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:%|percent\b)"),
    AnswerType.QUANTITY: re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred)\b", re.I),
}


def expected(question: str) -> AnswerType | None:
    """The answer type the question asks for, or None when no pattern can check it."""
    return next((kind for kind, asks in _ASKS if asks.search(question)), None)


# "Which method reads the status line?": the answer is the name of a definition.
_ASKS_NAME = re.compile(r"\b(?:which|what)\s+(?:\w+\s+)?(method|function|class|exception)\b", re.I)


def definition_asked(question: str) -> str | None:
    """The kind of definition the question asks for by name ("method" of "Which method reads the status
    line?"), or None: code answers it by where it is, not what it says."""
    found = _ASKS_NAME.search(question)
    return found.group(1).lower() if found else None


# "What is a straggler?", "What does the i in i-number stand for?": the answer is the sentence defining the term.
_ASKS_DEFINITION = (
    re.compile(r"^\s*what\s+(?:is|are)\s+(?:a|an|the)?\s*(?P<term>[^?]+?)\s*\??\s*$", re.I),
    re.compile(r"^\s*what\s+does\s+(?:the\s+\w+\s+in\s+)?(?P<term>[^?]+?)\s+(?:stand\s+for|mean)\s*\??\s*$", re.I),
)
# The longest term a definition question names: longer, "what is …" asks about something else ("the name of …").
DEFINED_WORDS = 3


def defined_term(question: str) -> str | None:
    """The term a question asks the definition of, or None when it asks something else."""
    for asks in _ASKS_DEFINITION:
        if (m := asks.search(question)) and len(m["term"].split()) <= DEFINED_WORDS:
            return m["term"]
    return None


def defines(term: str, text: str) -> bool:
    """Whether a sentence defines the term rather than uses it: it quotes the term (“straggler”: a machine…),
    names it ("an integer called the i-number"), glosses it ("i-number (for index number)") or says what one
    is ("A tablet is a…", "The znode is a…"; "which chunkserver is the primary" is not) or does ("A timestamp
    server works by…")."""
    t = r"\s+".join(re.escape(w) for w in term.split())
    # A paper's reference mark after the term is no word of the sentence: "Katta [17] is a distributed indexer".
    text = _CITATION.sub(" ", text)
    patterns = (
        rf"[“\"']{t}s?[”\"']",
        rf"\bcalled\s+(?:an?\s+|the\s+)?{t}s?\b",
        rf"\b{t}\s*\(for\b",
        # A paper's run-in heading stands before its paragraph's first sentence: "Katta Katta [17] is a…".
        rf"(?:^(?:{t}\s+)?|\b(?:an?|the)\s+){t}(?:\s+is|s\s+are)\s+(?:an?|the)\b",
        # A sentence opening on "a <term>" and its verb tells what any of them does: "A timestamp server works by…".
        rf"^\W*an?\s+{t}\s+(?:\w+ly\s+)?\w+s\b",
    )
    return any(re.search(p, text, re.I) for p in patterns)


def holds(kind: AnswerType, text: str) -> bool:
    return _HOLDS[kind].search(text) is not None


# "Which digest does Tor use…?", "What hash function does Bitcoin use?": the answer names an instance of the
# kind of thing the question names, and the sentence stating it names it beside that kind ("a SHA-1 digest",
# "Zab, an atomic broadcast protocol", "a lock service called Chubby") or gives it as the example ("such as
# with SHA-256"), where the many sentences using the word ("hash") name nothing. A name shows by its shape.
_ASKS_INSTANCE = re.compile(
    r"^\s*(?:what|which)\s+(?:(?:kind|type|sort)\s+of\s+)?(?P<head>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)"
    r"\s+(?:does|do|did|is|are|was|were|has|have|can|could|should|would|will)\b",
    re.I,
)
_CITATION = re.compile(MARK)
_TOKEN = re.compile(r"\w(?:[\w/+.-]*\w)?")
_SENTENCE_END = re.compile(r"[.!?:]\s*$")
_EXAMPLE = re.compile(r"\b(?:such\s+as|e\.g\.|i\.e\.|namely|called|named)(?:\s+\S+)?\s*$", re.I)
_APPOSITION = re.compile(r"\W*,\s*(?:an?|the)\s+", re.I)
# How near the kind's word a name stands to be named as one ("a SHA-1 digest"; "the digest of SHA-1").
NAME_REACH = 2
APPOSITION_WORDS = 5
_NOT_NAMES = {"figure", "fig", "table", "section", "eq", "appendix"}


@dataclass(frozen=True)
class Instance:
    """What a question asking for a thing by name looks for: the kind's words and the names it gives itself."""

    head: str  # the kind of thing, as the question says it ("hash function")
    kinds: frozenset[str]
    asked: frozenset[str]

    def named_in(self, text: str) -> bool:
        """Whether the text names something, not named by the question, as an instance of the kind."""
        text = _CITATION.sub(" ", text)
        tokens = list(_TOKEN.finditer(text))
        stemmed = [stem(t[0]) for t in tokens]
        for i, t in enumerate(tokens):
            word = t[0]
            initial = i == 0 or _SENTENCE_END.search(text[tokens[i - 1].end() : t.start()]) is not None
            if initial or not _is_name(word) or word.lower() in self.asked:
                continue
            near = stemmed[max(0, i - NAME_REACH) : i] + stemmed[i + 1 : i + 1 + NAME_REACH]
            if self.kinds & set(near) or _EXAMPLE.search(text[: t.start()]):
                return True
            if _APPOSITION.match(text, t.end()) and self.kinds & set(stemmed[i + 1 : i + 1 + APPOSITION_WORDS]):
                return True
        return False


def instance_asked(question: str) -> Instance | None:
    """What the question looks for when it asks for a kind of thing by name ("hash function" of "What hash
    function does Bitcoin use?"), or None when it asks for something else."""
    if expected(question) or defined_term(question):
        return None
    found = _ASKS_INSTANCE.search(question)
    if not found:
        return None
    head = found["head"]
    return Instance(
        head, frozenset(stem(w) for w in head.split()), frozenset(w.lower() for w in _TOKEN.findall(question))
    )


def _is_name(word: str) -> bool:
    """A word shaped as a name: capitalised or holding a digit beside letters ("Chubby", "SHA-1", "BM25")."""
    letters = any(c.isalpha() for c in word)
    shaped = any(c.isupper() for c in word) or any(c.isdigit() for c in word)
    return letters and shaped and len(word) > 1 and word.lower() not in _NOT_NAMES
