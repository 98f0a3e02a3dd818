"""Map-reduce for global questions: plans spread over groups, notes cite the original chunks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PAPERS
from lecto.backends import ModelOptions
from lecto.context.modes.mapreduce import NOTE_TOKENS
from lecto.context.planner import PlanOptions, plan
from lecto.data import Mode, Plan, Status
from lecto.session import Session, Settings

PAXOS = PAPERS / "paxos-made-simple.pdf"
GFS = PAPERS / "the-google-file-system.pdf"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    return Session(Settings(cache_dir=tmp_path_factory.mktemp("cache"), model=ModelOptions(None)))


def _plan(session: Session, source: Path, question: str, mode: Mode, budget: int, **kw: int) -> Plan:
    corpus = session.load([str(source)], {})
    return plan(question, corpus, PlanOptions(mode=mode, budget=budget, **kw), session.backend, session.store)


def _group_tokens(p: Plan) -> list[int]:
    out, first = [], 0
    for size in p.groups:
        out.append(sum(s.tokens + s.chunk.header_tokens for s in p.selected[first : first + size]))
        first += size
    return out


@pytest.mark.parametrize("question", ["Summarise the paper", "List every role an agent can play", "Compare the roles"])
def test_auto_maps_a_global_question_over_groups_that_each_fit(session: Session, question: str) -> None:
    p = _plan(session, PAXOS, question, Mode.AUTO, 1024)
    assert p.mode is Mode.MAPREDUCE
    assert len(p.groups) > 2 and sum(p.groups) == len(p.selected)
    assert all(t <= 1024 for t in _group_tokens(p))
    # The paper fits the map budget, so every passage is read whole and in order.
    assert p.sent_tokens == p.corpus_tokens
    assert "map-reduce" in p.reason and f"{len(p.groups)} groups" in p.reason


def test_a_local_question_is_not_mapped(session: Session) -> None:
    p = _plan(session, PAXOS, "What does a proposer send in phase 1?", Mode.AUTO, 1024)
    assert p.mode is not Mode.MAPREDUCE and p.groups == []


def test_a_corpus_past_the_map_budget_is_pruned_and_the_reason_says_so(session: Session) -> None:
    p = _plan(session, GFS, "Summarise the paper", Mode.MAPREDUCE, 1024)
    assert len(p.groups) >= 1024 // NOTE_TOKENS
    assert p.sent_tokens < p.corpus_tokens
    assert "left out" in p.reason and "--mode mapreduce" in p.reason
    pages = {s.chunk.span.location.page for s in p.selected}  # type: ignore[union-attr]
    assert min(pages) <= 2 and max(pages) >= 12  # spread over the paper, not its start


def test_time_for_only_one_call_falls_back_to_one_pruned_context(session: Session) -> None:
    p = _plan(session, PAXOS, "Summarise the paper", Mode.AUTO, 4096, time_tokens=1024)
    assert p.mode is Mode.COMPRESS and p.groups == []


def test_time_allowing_a_few_calls_limits_the_groups(session: Session) -> None:
    p = _plan(session, PAXOS, "Summarise the paper", Mode.AUTO, 4096, time_tokens=3000)
    assert p.mode is Mode.MAPREDUCE
    assert "--max-wait" in p.reason and "left out" in p.reason
    assert len(p.groups) <= 3


def test_summary_answer_cites_the_original_chunks(session: Session) -> None:
    """A real map-reduce run: several map calls, then an answer whose citations check against the paper."""
    corpus = session.load([str(PAXOS)], {})
    timings: dict[str, float] = {}
    p = session.plan("Summarise the paper", corpus, Mode.MAPREDUCE, 384, timings)
    assert len(p.groups) >= 2
    answer = session.answer("Summarise the paper", p, lambda _: None, timings)
    assert "map_s" in timings
    assert answer.plan.mode is Mode.MAPREDUCE
    if answer.status is Status.ANSWERED:
        assert answer.citations and all(c.verified for c in answer.citations)
        texts = {s.chunk.text for s in p.selected}
        assert all(c.text in texts and c.quote in c.text for c in answer.citations)


def test_mode_mapreduce_from_the_cli(lecto) -> None:  # type: ignore[no-untyped-def]
    result = lecto("ask", "--dry-run", "--json", "--mode", "mapreduce", "--budget", "1024", str(PAXOS), "Summarise it")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["mode"] == "mapreduce" and "groups of up to 1024 tokens" in out["mode_reason"]
