"""The answer shown with each claim's sources in place, told apart from the model's own markers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import EXAMPLES
from lecto.answer.citations import check
from lecto.answer.marked import Mark, marked, marks_used
from lecto.cli.render import TextStream, markdown, to_json
from lecto.data import Answer, Mode, Plan, Selected, Status
from lecto.ingest import load_corpus
from lecto.store import Store

HANDBOOK = EXAMPLES / "garden-handbook.md"
FEE_QUESTION = "How much is the yearly plot fee?"


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> list[Selected]:
    corpus = load_corpus([str(HANDBOOK)], Store(tmp_path_factory.mktemp("cache")))
    return [Selected(c, c.text, 0) for c in corpus.chunks]


def answer_of(text: str, passages: list[Selected], question: str = FEE_QUESTION) -> Answer:
    """An answer as `generate` builds it, for text the model might have written."""
    checked = check(text, question, passages)
    plan = Plan(Mode.FULL, "test", 0, 0, passages)
    status = Status.ANSWERED if checked.supported else Status.NOT_FOUND
    return Answer(question, text, status, checked.citations, plan, {}, {}, {}, checked.sentences, checked.stretches)


def fee(passages: list[Selected]) -> int:
    return next(n for n, s in enumerate(passages, start=1) if "40 euros" in s.text)


def test_attributed_and_unsupported_claims_are_marked_in_place(passages: list[Selected]) -> None:
    answer = answer_of("The yearly plot fee is 40 euros, and members also get free beer every Friday.", passages)
    n = fee(passages)
    assert marked(answer) == f"The yearly plot fee is 40 euros [{n}†], and members also get free beer every Friday [?]."
    assert marks_used(answer) == [Mark.ATTRIBUTED, Mark.UNSUPPORTED]


def test_the_models_own_markers_are_kept_or_flagged(passages: list[Selected]) -> None:
    right = fee(passages)
    wrong = next(n for n in range(1, len(passages) + 1) if n != right)
    answer = answer_of(
        f"The yearly plot fee is 40 euros [{right}]. The fee is due on the first of February [{wrong}].", passages
    )
    assert marked(answer) == (
        f"The yearly plot fee is 40 euros [{right}]. The fee is due on the first of February [{right}†][{wrong}✗]."
    )


def test_an_answer_of_verified_model_markers_needs_no_legend(passages: list[Selected]) -> None:
    answer = answer_of(f"The yearly plot fee is 40 euros [{fee(passages)}].", passages)
    assert marked(answer) == answer.text and marks_used(answer) == []


def test_markdown_puts_footnotes_in_place_with_a_legend(passages: list[Selected]) -> None:
    n = fee(passages)
    text = markdown(
        answer_of("The yearly plot fee is 40 euros, and members also get free beer every Friday.", passages)
    )
    body, _, rest = text.partition("\n\n")
    assert (
        body == f"The yearly plot fee is 40 euros [^{n}]†, and members also get free beer every Friday *(unsupported)*."
    )
    assert f"[^{n}]: " in rest and "*† attributed by lecto" in rest


def test_json_keeps_the_answer_and_adds_it_marked(passages: list[Selected]) -> None:
    text = "The yearly plot fee is 40 euros."
    out = json.loads(json.dumps(to_json(answer_of(text, passages))))
    assert out["answer"] == text
    assert out["answer_marked"] == f"The yearly plot fee is 40 euros [{fee(passages)}†]."


def test_the_redrawn_answer_is_marked_and_the_sources_narrowed(
    passages: list[Selected], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    stream = TextStream(out)
    stream.write("The yearly plot fee is 40 euros.")
    stream.finish(answer_of("The yearly plot fee is 40 euros.", passages))
    lines = out.getvalue().split("\x1b[1F\x1b[J")[1].splitlines()
    n = fee(passages)
    assert lines[0] == f"The yearly plot fee is 40 euros [{n}†]."
    assert lines[1].startswith("† attributed by lecto")
    assert lines[3].startswith(f"[{n}] {HANDBOOK}, lines 16-17 (attributed by lecto)")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_json_carries_the_marked_answer_and_a_narrower_location(lecto) -> None:  # type: ignore[no-untyped-def]
    r = lecto("ask", "--json", str(HANDBOOK), FEE_QUESTION)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["answer_marked"].startswith(out["answer"].rstrip(".")[:20])
    cited = [c for c in out["citations"] if c["verified"]]
    assert cited and all(f"[{c['n']}" in out["answer_marked"] for c in cited)
    for c in cited:
        inner, outer = c["location"], c["passage_location"]
        assert outer["start_line"] <= inner["start_line"] <= inner["end_line"] <= outer["end_line"]


def test_a_passage_cited_at_two_of_its_messages_has_one_footnote(tmp_path: Path) -> None:
    path = tmp_path / "chat.jsonl"
    lines = [
        ("Melanie", "Painting landscapes and still life is my favorite!"),
        ("Caroline", "Any more paintings coming up?"),
        ("Melanie", "I'm feeling inspired by autumn so I'm planning a few landscapes."),
    ]
    rows = [{"id": str(i), "time": f"2023-08-25T14:0{i}:00", "speaker": p, "text": t} for i, (p, t) in enumerate(lines)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    chat = [Selected(c, c.text, 0) for c in load_corpus([str(path)], Store(tmp_path / "cache")).chunks]
    text = "Painting landscapes and still life is my favorite [1]. I'm planning a few landscapes for autumn [1]."
    answer = answer_of(text, chat, "What does Melanie paint?")
    assert len(answer.citations) == 2 and {c.n for c in answer.citations} == {1}
    notes = [line for line in markdown(answer).splitlines() if line.startswith("[^")]
    assert len(notes) == 1 and "14:00" in notes[0] and "14:02" in notes[0]
