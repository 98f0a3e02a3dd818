"""The torch backend: the bundled GGUF loaded through transformers on the CPU, answering a real question."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lecto.backends import ModelOptions, TokenScorer, open_backend
from lecto.backends.torch_backend import TorchBackend

QUESTION = "Who is the lighthouse keeper of Nimbrook?"
DOC = "Lighthouse log.\n\nThe lighthouse keeper of Nimbrook is Ada Varga. She lit the lamp every night in 1887.\n"


@pytest.fixture(scope="module")
def backend() -> TorchBackend:
    chosen = open_backend(ModelOptions(spec=None, ctx=2048), "torch")
    assert isinstance(chosen, TorchBackend)
    return chosen


def test_follow_up_reuses_the_document_prefix(backend: TorchBackend) -> None:
    first = [{"role": "user", "content": f"{DOC}\nQuestion: {QUESTION}"}]
    assert "".join(backend.stream(first, 16)).strip()
    assert backend.prefix_reused == 0 or backend.prefix_reused < backend.count_tokens(DOC)
    follow = [{"role": "user", "content": f"{DOC}\nQuestion: When did she light the lamp?"}]
    assert "".join(backend.stream(follow, 16)).strip()
    assert backend.prefix_reused >= backend.count_tokens(DOC)


def test_scores_tokens(backend: TorchBackend) -> None:
    assert isinstance(backend, TokenScorer)
    scored = backend.token_logprobs("The lighthouse keeper lit the lamp.")
    assert len(scored) == backend.count_tokens("The lighthouse keeper lit the lamp.")
    assert all(p <= 0 for _, p in scored)


def test_same_plan_and_citation_contract_as_llama(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "log.txt"
    doc.write_text(DOC)
    plans = [lecto("ask", "--json", "--dry-run", *b, str(doc), QUESTION) for b in ([], ["--backend", "torch"])]
    assert [p.returncode for p in plans] == [0, 0]
    spans = [json.loads(p.stdout)["context"]["spans"] for p in plans]
    assert spans[0] == spans[1]
    result = lecto("ask", "--json", "--backend", "torch", str(doc), QUESTION)
    answer = json.loads(result.stdout)
    # A free answer is the model's own greedy text; whichever it is, the exit code must say what the status says.
    assert result.returncode == {"answered": 0, "not_found": 3}[answer["status"]], result.stderr
    assert answer["model"]["backend"] == "torch"
    assert answer["answer"]
    assert (answer["status"] == "answered") == bool(answer["citations"])


def test_missing_checkpoint_is_a_clear_error(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "log.txt"
    doc.write_text(DOC)
    result = lecto("ask", "--model", f"hf:{tmp_path / 'nothing'}", str(doc), QUESTION)
    assert result.returncode == 1
    assert result.stderr.strip() == f"lecto: {tmp_path / 'nothing'}: model not found"
