"""Hybrid retrieval (BM25 + embeddings) and the repository map that code plans read first."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from conftest import CHAT, PAPERS
from lecto.answer.prompt import messages
from lecto.backends import ModelOptions
from lecto.context import dense
from lecto.context.pack import Packer
from lecto.context.planner import PlanOptions, plan
from lecto.context.rank import rank
from lecto.context.tokens import count_corpus
from lecto.data import Mode, Plan
from lecto.session import Session, Settings

CHUBBY = PAPERS / "the-chubby-lock-service-for-loosely-coupled-distributed-systems.pdf"
JSON_PACKAGE = Path(sysconfig.get_paths()["stdlib"]) / "json"
GFS = PAPERS / "the-google-file-system.pdf"
# GFS says "by default, we store three replicas"; the question shares only "default" with it.
PARAPHRASE = "How many copies of every piece of data are kept by default?"
EVIDENCE = "three replicas"
BUDGET = 1024


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    return Session(Settings(cache_dir=tmp_path_factory.mktemp("cache"), model=ModelOptions(None)))


def _plan(session: Session, source: Path, question: str, mode: Mode, budget: int) -> Plan:
    corpus = session.load([str(source)], {})
    return plan(question, corpus, PlanOptions(mode=mode, budget=budget), session.backend, session.store)


def _bm25_alone(session: Session, question: str, budget: int) -> str:
    chunks = count_corpus(session.load([str(GFS)], {}), session.backend, session.store)
    packer = Packer(budget)
    for hit in rank(question, chunks, session.store, dense=False).hits:
        packer.add(hit.chunk)
    return " ".join(" ".join(s.text.split()) for s in packer.in_document_order(chunks))


@pytest.mark.xfail(
    strict=True,
    reason="known regression since 0e3cbc8: GFS's chunk now opens at '2.3 Architecture', and its embedding no longer"
    " ranks in dense's top 10 for the paraphrase (BM25 misses it as before); recall over the paper sets is 1.00",
)
def test_hybrid_finds_a_paraphrased_passage_that_bm25_alone_misses(session: Session) -> None:
    assert dense.available()
    assert EVIDENCE not in _bm25_alone(session, PARAPHRASE, BUDGET)
    p = _plan(session, GFS, PARAPHRASE, Mode.RETRIEVE, BUDGET)
    assert any(EVIDENCE in " ".join(s.text.split()) for s in p.selected)
    assert "bm25 + dense (all-MiniLM-L6-v2)" in p.reason


def test_dense_counts_less_on_chat_windows(session: Session) -> None:
    # BM25 ranks the window with "Researching adoption agencies" first; at prose's dense
    # weight, windows about Caroline's plans in general outranked it at 1K.
    chunks = count_corpus(session.load([str(CHAT / "locomo-0.whatsapp.txt")], {}), session.backend, session.store)
    ranking = rank("What did Caroline research?", chunks, session.store)
    assert ranking.retrievers.startswith("bm25 + dense")
    # Among the four best windows: what a 1K plan of these windows (about 280 tokens each) holds.
    assert any("Researching adoption agencies" in r.chunk.text for r in ranking.hits[:4])


def test_vectors_are_cached_per_chunk_and_model(session: Session) -> None:
    chunks = count_corpus(session.load([str(GFS)], {}), session.backend, session.store)
    _plan(session, GFS, PARAPHRASE, Mode.RETRIEVE, BUDGET)
    cached = session.store.vectors([c.id for c in chunks], dense.MODEL_NAME)
    assert set(cached) == {c.id for c in chunks}
    assert session.store.vectors([c.id for c in chunks], "another-model") == {}


def test_without_the_embed_extra_bm25_ranks_alone_and_says_so(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dense, "_PACKAGES", ("sentence_transformers", "lecto_no_such_package"))
    p = _plan(session, CHUBBY, "How many lines of code is Chubby's C++ client library?", Mode.RETRIEVE, BUDGET)
    assert "bm25 only; dense needs lecto[embed]" in p.reason
    assert any("7000 lines" in " ".join(s.text.split()) for s in p.selected)


def test_a_corpus_too_costly_to_embed_in_the_time_allowed_is_ranked_by_bm25(session: Session) -> None:
    corpus = session.load([str(PAPERS / "paxos-made-simple.pdf")], {})
    options = PlanOptions(mode=Mode.RETRIEVE, budget=BUDGET, dense_seconds=1.0)
    p = plan("What is a proposal number?", corpus, options, session.backend, session.store)
    assert "dense skipped" in p.reason
    assert p.selected


@pytest.mark.parametrize("mode", [Mode.FULL, Mode.RETRIEVE, Mode.COMPRESS, Mode.AUTO])
def test_code_plans_read_the_repository_map_first(session: Session, mode: Mode) -> None:
    budget = 100_000 if mode is Mode.FULL else 4096
    p = _plan(session, JSON_PACKAGE, "Where does the encoder detect circular references?", mode, budget)
    assert p.preamble.startswith("__init__.py\n")
    assert "decoder.py" in p.preamble and "class JSONDecoder" in p.preamble
    assert 0 < p.preamble_tokens <= budget // 8
    if mode in (Mode.RETRIEVE, Mode.COMPRESS):
        assert "bm25 only; dense not used for code" in p.reason
    assert p.sent_tokens <= p.budget <= budget
    prompt = messages(p, "q")[1]["content"]
    assert prompt.index("Repository map") < prompt.index("Sources:") < prompt.index("[1] ")
    assert prompt.count("Repository map") == 1


def test_documents_without_code_have_no_preamble(session: Session) -> None:
    p = _plan(session, GFS, PARAPHRASE, Mode.RETRIEVE, BUDGET)
    assert p.preamble == "" and p.preamble_tokens == 0
    assert "Repository map" not in messages(p, PARAPHRASE)[1]["content"]
