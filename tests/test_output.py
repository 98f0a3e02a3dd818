"""Output for people and pipelines: JSON lines, Markdown, --quiet, stdin both ways, colours and safety."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from pypdf import PdfWriter
from rich.console import Console
from test_cli import check_contract

from conftest import EXAMPLES, PAPERS, ROOT
from lecto.answer.present import citation_text
from lecto.cli.render import footnote
from lecto.data import Citation, Kind, Span
from lecto.kinds.pdf import PageLocation

HANDBOOK = str(EXAMPLES / "garden-handbook.md")
FEE_QUESTION = "How much is the yearly plot fee?"
QUESTIONS = [FEE_QUESTION, "How many plots does the garden have?", "Who won the 2018 football World Cup?"]


def test_jsonl_batch_answers_every_question_in_order(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join(QUESTIONS) + "\n\n")
    r = lecto("ask", "--jsonl", "--questions", str(questions), HANDBOOK)
    assert r.returncode == 3, r.stderr  # the last question is not in the handbook
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["question"] for row in rows] == QUESTIONS
    for row in rows:
        check_contract(row)
    assert rows[0]["status"] == "answered" and "40" in rows[0]["answer"]
    assert rows[2]["status"] == "not_found"


def test_questions_from_stdin(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--dry-run", "--jsonl", HANDBOOK, "-", input="\n".join(QUESTIONS))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["question"] for row in rows] == QUESTIONS
    assert all(row["answer"] is None for row in rows)


def test_stdin_cannot_hold_documents_and_questions(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--jsonl", "-", "-", input="some text\n")
    assert r.returncode == 2
    assert json.loads(r.stdout)["error"]["hint"] == "put the questions in a file and use --questions FILE"
    assert r.stderr.count("\n") == 1 and "--questions FILE" in r.stderr


def test_json_refuses_several_questions(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--json", "--dry-run", HANDBOOK, "-", input="\n".join(QUESTIONS))
    assert r.returncode == 2
    assert "--jsonl" in r.stderr


def test_markdown_has_footnotes_for_every_reference(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--format", "markdown", HANDBOOK, FEE_QUESTION)
    assert r.returncode == 0, r.stderr
    body, _, notes = r.stdout.partition("\n\n")
    refs = set(re.findall(r"\[\^(\d+)\]", body))
    defined = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", notes, re.MULTILINE))
    assert refs and refs <= set(defined)
    assert all(d.startswith(HANDBOOK.replace("_", "\\_")) for d in defined.values())
    assert any("40 euros" in d for d in defined.values())


def test_quiet_prints_the_answer_and_nothing_else(lecto) -> None:  # type: ignore[no-untyped-def]
    quiet = lecto("ask", "--quiet", HANDBOOK, FEE_QUESTION)
    full = lecto("ask", "--json", HANDBOOK, FEE_QUESTION)
    assert quiet.returncode == 0 and full.returncode == 0, quiet.stderr
    assert quiet.stdout == json.loads(full.stdout)["answer"] + "\n"


def test_explain_goes_to_stderr(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--dry-run", "--json", "--explain", HANDBOOK, FEE_QUESTION)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert r.stderr == f"lecto: {out['mode']}: {out['mode_reason']}\n"


def hostile_citation() -> Citation:
    text = "Fee: \x1b[31m40\x1b[0m euros [bold red]now[/bold red] *not* <b>bold</b>."
    return Citation(1, Span("book.pdf", Kind.PDF, PageLocation(14, "12")), text, text, verified=False)


def test_document_text_never_drives_the_terminal() -> None:
    out = io.StringIO()
    Console(file=out, force_terminal=True, markup=False, highlight=False).print(citation_text(hostile_citation()))
    shown = out.getvalue()
    assert "\x1b[31m40" not in shown and "\\x1b[31m40" in shown
    assert "[bold red]now[/bold red]" in shown
    assert "p. 12 (PDF page 14)" in shown and "(unverified)" in shown


def test_markdown_escapes_document_text() -> None:
    note = footnote([hostile_citation()])
    assert "\\*not\\*" in note and "\\<b\\>" in note and "\x1b" not in note


def run_in_terminal(*args: str, env: dict[str, str]) -> str:
    """`lecto ARGS` with stdout on a pseudo-terminal, as a person at a shell would run it."""
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lecto", *args], stdout=follower, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closes when the child exits
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    os.close(leader)
    return b"".join(chunks).decode()


def test_colours_on_a_terminal_and_never_with_no_color(cache_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm-256color"}
    args = ("ask", "--dry-run", HANDBOOK, FEE_QUESTION)
    assert "\x1b[" in run_in_terminal(*args, env=env)
    assert "\x1b[" not in run_in_terminal(*args, env=env | {"NO_COLOR": "1"})


def test_markdown_of_a_not_found_answer_says_so(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--format", "markdown", HANDBOOK, QUESTIONS[2])
    assert r.returncode == 3
    assert r.stdout.splitlines()[0] == "Not found in the documents. The documents never mention “World Cup”."


def test_a_not_found_answer_says_why_in_text_and_json(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chat = tmp_path / "race.jsonl"
    said = [
        ("Caroline", "Hey Mel! How was your weekend?"),
        ("Melanie", "I ran a charity race for mental health last Saturday."),
        ("Caroline", "That charity race sounds great, Mel!"),
        ("Melanie", "Thanks! The kids painted a sunset for the living room on Sunday."),
        ("Caroline", "I spent Sunday reading a book about adoption agencies."),
    ]
    rows = [{"id": str(i), "time": f"2023-05-08T10:0{i}:00", "speaker": p, "text": t} for i, (p, t) in enumerate(said)]
    chat.write_text("".join(json.dumps(r) + "\n" for r in rows))
    question = "What did Caroline think of her charity race?"
    text = lecto("ask", str(chat), question)
    assert (text.returncode, text.stdout.splitlines()[0]) == (
        3,
        "Not found in the documents. The passages that tell of it are about someone other than Caroline.",
    )
    out = lecto("ask", "--json", str(chat), question)
    assert json.loads(out.stdout)["not_found_because"] == "told_by_others"


def test_pdf_locations_name_the_printed_page(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A real paper given roman-numbered front matter, as books and theses have.
    writer = PdfWriter(clone_from=PAPERS / "bitcoin.pdf")
    writer.set_page_label(0, 1, style="/r")
    writer.set_page_label(2, 8, style="/D", start=1)
    labelled = tmp_path / "labelled.pdf"
    writer.write(labelled)
    r = lecto("ask", "--dry-run", "--mode", "retrieve", "--budget", "600", str(labelled), "proof-of-work hash?")
    assert r.returncode == 0, r.stderr
    assert re.search(r"p\. [ivx\d]+ \(PDF page \d+\)", r.stdout)
    labels = {m.group(2): m.group(1) for m in re.finditer(r"p\. ([ivx\d]+) \(PDF page (\d+)\)", r.stdout)}
    assert labels and all(
        label == (["i", "ii"][int(page) - 1] if int(page) <= 2 else str(int(page) - 2))
        for page, label in labels.items()
    )


def run_on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """`lecto ARGS` with stdout and stderr both on one pseudo-terminal, as at a shell."""
    leader, follower = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "lecto", *args], stdout=follower, stderr=follower, cwd=ROOT, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=300) == 0
    os.close(leader)
    return b"".join(chunks).decode()


def test_progress_is_said_on_a_terminal_and_never_into_a_pipe(lecto, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    piped = lecto("ask", "--dry-run", HANDBOOK, FEE_QUESTION)
    assert piped.returncode == 0 and piped.stderr == ""
    shown = run_on_a_terminal("ask", "--dry-run", HANDBOOK, FEE_QUESTION, env=dict(os.environ))
    assert "lecto: reading 1 source…" in shown


def test_no_color_holds_for_progress_and_the_redrawn_answer(cache_dir: Path) -> None:
    env = dict(os.environ) | {"TERM": "xterm-256color", "NO_COLOR": "1"}
    shown = run_on_a_terminal("ask", HANDBOOK, FEE_QUESTION, env=env)
    assert "40 euros" in shown
    assert not re.search(r"\x1b\[[\d;]*m", shown)  # no colour or style, though the answer was redrawn in place
