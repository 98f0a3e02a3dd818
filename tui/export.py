"""The session as a Markdown file: each question, its answer, and the passages it cites."""

from __future__ import annotations

from lecto.answer.present import plain
from lecto.data import Answer, Citation
from lecto.tui.literal import escape_controls


def session_markdown(answers: list[Answer], sources: list[str]) -> str:
    parts = ["# lecto session", "", "Sources: " + ", ".join(f"`{s}`" for s in sources), ""]
    for answer in answers:
        parts += [f"## {answer.question}", "", plain(answer), ""]
        parts += [_citation(c) for c in answer.citations]
        if answer.citations:
            parts.append("")
        parts += [f"*mode {answer.plan.mode.value}: {answer.plan.reason}*", ""]
    return escape_controls("\n".join(parts))


def _citation(c: Citation) -> str:
    checked = "" if c.verified else " (unverified)"
    origin = "" if c.by_model else " (attributed by lecto)"
    return f"{c.n}. {c.where.describe()}{checked}{origin}: “{' '.join(c.quote.split())}”"
