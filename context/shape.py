"""A question's shape: a local fact one passage holds, or a global one about the whole corpus.

No top-k serves "summarise the paper" or "list every decision": those need the corpus
spread out, not its best-matching passages.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Shape(StrEnum):
    LOCAL = "local"
    GLOBAL = "global"


_GLOBAL = re.compile(
    r"\b(summari[sz]e|summary|overview|outline|list\s+(all|every|each)|every\s+(time|mention|occasion)|compare|"
    r"comparison|differences?\s+between|main\s+(points|ideas|topics|contributions)|key\s+points|"
    r"what\s+is\s+(this|the)\s+(paper|document|file|chat|conversation)\s+about)\b",
    re.IGNORECASE,
)


# "What did Jon and Gina compare their journeys to?" asks for the one thing they likened them to, not for a
# comparison across the documents.
_LIKENED_TO = re.compile(r"^\W*what\b.*\bcompared?\b.*\b(?:to|with)\W*$", re.IGNORECASE)


# A bare "every" or "all the" is no sign: "How many copies of every piece of data are kept?"
# asks for one fact.
def question_shape(question: str) -> Shape:
    return Shape.GLOBAL if _GLOBAL.search(question) and not _LIKENED_TO.search(question) else Shape.LOCAL
