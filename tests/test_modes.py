"""Context modes: each registered once, planned through the registry, and within the prompt's real size."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CHAT, PAPERS
from lecto.answer.prompt import messages, overhead_tokens
from lecto.backends import ModelOptions
from lecto.context.modes import cycle, mode_of
from lecto.context.planner import PlanOptions, plan
from lecto.data import Mode
from lecto.session import Session, Settings

GFS = PAPERS / "the-google-file-system.pdf"
CHAT_LOG = CHAT / "locomo-0.whatsapp.txt"
QUESTION = "What chunk size does GFS use?"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    return Session(Settings(cache_dir=tmp_path_factory.mktemp("cache"), model=ModelOptions(None)))


def test_every_mode_but_auto_has_its_module() -> None:
    assert {m for m in Mode if m is not Mode.AUTO} == {m for m in Mode if _registered(m)}


def test_the_reading_room_cycles_the_one_call_modes_after_auto() -> None:
    assert cycle() == (Mode.AUTO, Mode.FULL, Mode.COMPRESS, Mode.RETRIEVE)


@pytest.mark.parametrize("source", [GFS, CHAT_LOG])
@pytest.mark.parametrize("mode", [Mode.RETRIEVE, Mode.COMPRESS, Mode.MAPREDUCE])
def test_a_plan_is_of_the_mode_asked_and_its_prompt_fits_the_budget(session: Session, source: Path, mode: Mode) -> None:
    budget = 1024
    corpus = session.load([str(source)], {})
    p = plan(QUESTION, corpus, PlanOptions(mode=mode, budget=budget), session.backend, session.store)
    assert p.mode is mode
    if mode is Mode.MAPREDUCE:
        return  # read in several calls, each within its group's budget (tests/test_mapreduce.py)
    prompt = sum(session.backend.count_tokens(m["content"]) for m in messages(p, QUESTION))
    # The prompt counts its headers and skeleton itself; only the chat template's role markers are estimated.
    assert prompt <= budget + overhead_tokens(session.backend, QUESTION)


def _registered(mode: Mode) -> bool:
    try:
        mode_of(mode)
    except KeyError:
        return False
    return True
