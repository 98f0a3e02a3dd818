"""`--prune-ratio`: self-information token pruning with the bundled model's own log-probs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import PAPERS
from lecto.backends import ModelOptions
from lecto.backends.llama import LlamaBackend, bundled_model
from lecto.backends.llama_scorer import LlamaScorer
from lecto.context.modes.full import whole
from lecto.context.prune import prune_text
from lecto.context.tokens import count_corpus
from lecto.data import Mode, Plan
from lecto.session import Session, Settings

GFS = PAPERS / "the-google-file-system.pdf"
TEXT = (
    "The master stores three major types of metadata in memory. "
    "We have chosen 64 MB as the chunk size, which is much larger than typical file system block sizes. "
    "Each chunk replica is stored as a plain Linux file on a chunkserver and is extended only as needed."
)


@pytest.fixture(scope="module")
def scorer() -> LlamaScorer:
    return LlamaScorer(bundled_model(), threads=2)


def test_scorer_pieces_spell_the_text_and_carry_log_probs(scorer: LlamaScorer) -> None:
    scored = scorer.token_logprobs("Café naïve — the chunk size is 64 MB.")
    assert "".join(piece for piece, _ in scored) == "Café naïve — the chunk size is 64 MB."
    assert all(p <= 0 for _, p in scored)


def test_continuations_score_as_if_each_were_read_alone(scorer: LlamaScorer) -> None:
    """The scorer keeps the text it last read and re-reads only what differs; each score is still its own."""
    from llama_cpp import Llama

    reference = Llama(model_path=str(bundled_model()), n_ctx=1024, n_threads=2, logits_all=True, verbose=False)
    paper = "Passage: From the google file system:"
    pairs = [
        (f"{paper} We have chosen 64 MB.\nA question:", " What chunk size does GFS use?"),
        (f"{paper} Each chunk replica is a plain file.\nA question:", " How is it stored?"),
        (f"{paper} Each chunk replica is a plain file.\nA question:", " How is it stored?"),
        (paper, " Each chunk replica"),
        (f"{paper} We have chosen 64 MB.", ""),
    ]
    for prefix, continuation in pairs:
        head = reference.tokenize(prefix.encode(), add_bos=False)
        tail = reference.tokenize(continuation.encode(), add_bos=False)
        reference.reset()
        reference.eval([reference.token_bos(), *head, *tail])
        logits = reference.scores[len(head) : len(head) + len(tail)].astype("float64")
        rows = logits - logits.max(axis=1, keepdims=True)
        logprobs = rows[range(len(tail)), tail] - np.log(np.exp(rows).sum(axis=1))
        alone = float(logprobs.mean()) if tail else 0.0
        assert scorer.continuation_logprob(prefix, continuation) == pytest.approx(alone, abs=1e-4)


def test_kept_sentence_stays_verbatim_and_the_rest_shrinks(scorer: LlamaScorer) -> None:
    tokens = LlamaBackend(ModelOptions(None)).count_tokens
    quote = "We have chosen 64 MB as the chunk size, which is much larger than typical file system block sizes."
    start = TEXT.index(quote)
    pruned = prune_text(TEXT, [(start, start + len(quote))], 4, scorer)
    assert quote in pruned
    rest = tokens(TEXT.replace(quote, ""))
    # Re-tokenising pruned text may split a few pieces differently.
    assert tokens(pruned.replace(quote, "")) <= rest / 4 + 3


def test_a_pruned_plan_keeps_the_evidence_and_its_chunks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    session = Session(Settings(cache_dir=tmp_path, model=ModelOptions(None)))
    question = "What chunk size does GFS use?"
    chunks = count_corpus(session.load([str(GFS)], {}), session.backend, session.store)
    i = next(i for i, c in enumerate(chunks) if "chosen 64 MB" in " ".join(c.text.split()))
    plan = Plan(Mode.RETRIEVE, "the evidence and its neighbour", 1024, 0, whole(chunks[i : i + 2]))
    timings: dict[str, float] = {}
    pruned = session.prune(question, plan, 3, timings)
    assert [s.chunk.id for s in pruned.selected] == [s.chunk.id for s in plan.selected]
    assert pruned.sent_tokens < plan.sent_tokens
    assert "chosen 64 MB" in " ".join(pruned.selected[0].text.split())
    assert "self-information" in pruned.reason and "prune_s" in timings


def test_prune_ratio_from_the_cli(lecto) -> None:  # type: ignore[no-untyped-def]
    question = "What chunk size does GFS use?"
    args = ("ask", "--dry-run", "--json", "--mode", "retrieve", "--budget", "300", str(GFS), question)
    plain = lecto(*args)
    pruned = lecto(*args[:1], "--prune-ratio", "4", *args[1:])
    assert plain.returncode == 0 and pruned.returncode == 0, pruned.stderr
    before, after = json.loads(plain.stdout), json.loads(pruned.stdout)
    assert after["context"]["sent_tokens"] < before["context"]["sent_tokens"]
    assert "pruned to 1/4" in after["mode_reason"]
