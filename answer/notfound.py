"""Whether the planned passages answer the question, decided from evidence, not the model's say-so.

The answer is `not_found` when the model says the sources lack it, and also when the planned
passages back no more than half of its claims: a small model guesses rather than admit it does
not know, and an answer the documents do not mostly back is not an answer from the documents.
Sentences that answer something else (instructions or links copied from a document) count
neither way.

In a chat, a question about a person is answered only by what that person said: "What did
Caroline realize after her charity race?" is not answered by Melanie's message about her own
race, however well the message supports the model's sentence. The questions that trip a small
model most are of this kind (LoCoMo's adversarial ones swap the speaker). Nor is a question
answered that names what the chat never mentions: "What did Jon take a trip to Barcelona for?"
over a chat that says Rome.
"""

from __future__ import annotations

import re

from lecto.answer.citations import Checked, check
from lecto.data import Citation, Selected, Sentence, Status, Support
from lecto.names import known, names, presupposed, shortens

_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]*")
_NOT_FOUND = re.compile(r"\bnot\s+found\b|do(?:es)?\s+not\s+contain|no\s+information", re.IGNORECASE)


def decide(text: str, question: str, selected: list[Selected]) -> tuple[Checked, Status]:
    """The checked answer and whether it counts as an answer from the documents."""
    said_not_found = not text or _NOT_FOUND.search(text) is not None
    checked = check("" if said_not_found else text, question, selected)
    asked_about = speakers_named(question, selected)
    judged = [
        (s, c)
        for s, c in zip(checked.sentences, checked.sources, strict=True)
        if s.support is not Support.OFF_QUESTION and not s.asks
    ]
    claims = [s for s, _ in judged]
    backed = [s for s, c in judged if s.support.backed and any(_said_by(q, asked_about) for q in c)]
    # An answer most of whose claims nothing backs is a guess with a true sentence in it, not an answer.
    answered = len(backed) > len(claims) - len(backed)
    if not answered and claims:
        checked.withheld = _why(claims, backed, asked_about)
    return checked, Status.ANSWERED if answered else Status.NOT_FOUND


def _why(claims: list[Sentence], backed: list[Sentence], asked_about: set[str]) -> str:
    if asked_about and len(backed) < sum(s.support.backed for s in claims):
        return f"what backs it was said by someone other than {' or '.join(sorted(asked_about))}"
    return f"{len(backed)} of {len(claims)} claims backed"


def speakers_named(question: str, selected: list[Selected]) -> set[str]:
    """The people of the planned chat passages whom the question asks about (named by first or full name).

    "Where did Joanna notice Nate's Spider-Man pin?" asks what Joanna did: Nate, named only as an owner, is
    asked about only when no one else is ("Where did Nate's dog…?", "Tim and John's favourite player").
    """
    speakers = {p for s in selected for p in s.chunk.span.location.people() if p.split()}
    named = {p: word for p in speakers if (word := _naming(p.split()[0], question))}
    doers = {p for p, word in named.items() if not _only_owner(word, question)}
    return doers or set(named)


def _naming(first: str, question: str) -> str | None:
    """The word by which the question names someone: their first name, or a shortened one ("Mel" for Melanie)."""
    words = _CAPITALISED.findall(question)
    return next((w for w in words if shortens(w, first)), None)


def _only_owner(first: str, question: str) -> bool:
    """Whether the question names the person only as an owner: "Nate's pin", both of "Tim and John's player"."""
    return not re.search(rf"\b{re.escape(first)}\b(?!['’]s\b| and \w+['’]s\b)", question)


def _said_by(citation: Citation, people: set[str]) -> bool:
    said_by = citation.where.location.people()
    return not people or not said_by or bool(people & set(said_by))


def unmentioned(question: str, selected: list[Selected]) -> list[str]:
    """The names the question gives (capitalised words, acronyms) and the things it takes as given
    ("the drought", "his snakes") that no planned chat passage holds.

    Only over chats: every message naming a rare word is a strong match, so a word none of the
    planned messages holds is one the chat does not use, and a question about "the drought" over
    a chat that tells of a flood asks about something else. The people of the chat, by first
    name or shortened, are known to it.
    """
    if not any(s.chunk.span.location.people() for s in selected):
        return []
    people = {w.lower() for s in selected for p in s.chunk.span.location.people() for w in p.split()}
    held = " ".join(s.chunk.text for s in selected).lower()
    asked = names(question) + presupposed(question)
    return sorted(n for n in dict.fromkeys(asked) if not known(n, held, people))
