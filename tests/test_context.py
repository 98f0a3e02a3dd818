"""The context manager on real corpus files: evidence planned in, budgets kept, text verbatim."""

from __future__ import annotations

import json
import sysconfig
from datetime import date
from pathlib import Path

import pytest

from conftest import CHAT, PAPERS
from lecto.backends import ModelOptions
from lecto.context.answertype import (
    AnswerType,
    defined_term,
    defines,
    expected,
    holds,
    instance_asked,
)
from lecto.context.compress import GAP
from lecto.context.planner import PlanOptions, plan
from lecto.context.shape import Shape, question_shape
from lecto.context.timeq import time_window
from lecto.data import Mode, Plan
from lecto.session import Session, Settings

CHUBBY = PAPERS / "the-chubby-lock-service-for-loosely-coupled-distributed-systems.pdf"
PLANNED = (Mode.RETRIEVE, Mode.COMPRESS, Mode.AUTO)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    return Session(Settings(cache_dir=tmp_path_factory.mktemp("cache"), model=ModelOptions(None)))


def _plan(session: Session, source: Path, question: str, mode: Mode, budget: int, **kw: int) -> Plan:
    corpus = session.load([str(source)], {})
    return plan(question, corpus, PlanOptions(mode=mode, budget=budget, **kw), session.backend, session.store)


@pytest.mark.parametrize("mode", PLANNED)
def test_page_12_of_16_is_planned_into_2k(session: Session, mode: Mode) -> None:
    p = _plan(session, CHUBBY, "How many lines of code is Chubby's C++ client library?", mode, 2048)
    pages = [s.chunk.span.location.page for s in p.selected if "7000 lines" in s.text]  # type: ignore[union-attr]
    assert pages == [12]


@pytest.mark.parametrize("mode", PLANNED)
def test_chat_question_plans_the_right_message(session: Session, mode: Mode) -> None:
    question = "What kind of project was Tim discussing collaborations for?"
    p = _plan(session, CHAT / "locomo-4.jsonl", question, mode, 1024)
    assert any("Harry Potter fan project" in s.text for s in p.selected)


@pytest.mark.parametrize("mode", PLANNED)
@pytest.mark.parametrize("budget", [300, 1024, 4096])
def test_plan_stays_within_budget_and_quotes_the_original(session: Session, mode: Mode, budget: int) -> None:
    p = _plan(session, PAPERS / "the-google-file-system.pdf", "What chunk size does GFS use?", mode, budget)
    assert p.selected
    assert sum(s.tokens + 16 for s in p.selected) <= budget
    for s in p.selected:
        assert all(piece in s.chunk.text for piece in s.text.split(GAP))
    order = [(s.chunk.doc_id, s.chunk.ord) for s in p.selected]
    assert order == sorted(order)


def test_auto_retrieves_prose_whole_when_no_passage_stands_out(session: Session) -> None:
    # The answer ("891 seconds") is two passages after the one naming the sort and shares no
    # word with the question; sentence pruning dropped it, whole passages keep it.
    question = "How long did the sort program take with normal execution in the MapReduce paper?"
    p = _plan(session, PAPERS / "mapreduce-simplified-data-processing-on-large-clusters.pdf", question, Mode.AUTO, 4096)
    assert p.mode is Mode.RETRIEVE, p.reason
    assert "kept in whole passages" in p.reason
    assert any("891 seconds" in s.text for s in p.selected)


@pytest.mark.parametrize("mode", [Mode.RETRIEVE, Mode.AUTO])
def test_a_how_long_question_plans_the_passage_stating_a_duration_into_2k(session: Session, mode: Mode) -> None:
    # BM25 ranks the passage with "891 seconds" 12th: it names neither "normal" nor "execution".
    question = "How long did the sort program take with normal execution in the MapReduce paper?"
    p = _plan(session, PAPERS / "mapreduce-simplified-data-processing-on-large-clusters.pdf", question, mode, 2048)
    assert any("891 seconds" in " ".join(s.text.split()) for s in p.selected)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How long did the sort program take?", AnswerType.DURATION),
        ("How often are blocks generated?", AnswerType.FREQUENCY),
        ("For how many years has Caroline known her friends?", AnswerType.DURATION),
        ("How many lines of code is Chubby's client library?", AnswerType.QUANTITY),
        ("How much is the yearly plot fee?", AnswerType.QUANTITY),
        ("What chunk size does GFS use?", AnswerType.SIZE),
        ("What percentage of CPU time did the C compiler use?", AnswerType.PERCENT),
        ("What share of master requests in cluster X were FindLocation?", AnswerType.PERCENT),
        ("Which share class pays the dividend?", None),
        ("Which hash function is given as an example?", None),
        ("How does the master detect worker failures?", None),
    ],
)
def test_the_answer_a_question_expects(question: str, kind: AnswerType | None) -> None:
    assert expected(question) is kind


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        (AnswerType.DURATION, "the entire computation takes 891 seconds", True),
        (AnswerType.DURATION, "a lease timeout of 60 seconds", True),
        (AnswerType.DURATION, "I've known them for four years", True),
        (AnswerType.DURATION, "it took a couple of weeks", True),
        (AnswerType.DURATION, "a further interval called the grace period, 45s by default", True),
        (AnswerType.DURATION, "the seconds column of Figure 3", False),
        (AnswerType.DURATION, "[2023-05-08 13:58] Caroline: see you soon", False),
        (AnswerType.FREQUENCY, "each node contacts a peer every second", True),
        (AnswerType.FREQUENCY, "we go a few times a week", True),
        (AnswerType.FREQUENCY, "the daemon's poll interval is currently 30 seconds", True),
        (AnswerType.FREQUENCY, "backups run nightly", True),
        (AnswerType.FREQUENCY, "the second node of every chain", False),
        (AnswerType.FREQUENCY, "I went there once", False),
    ],
)
def test_a_duration_or_a_frequency_is_found_in_text(kind: AnswerType, text: str, found: bool) -> None:
    assert holds(kind, text) is found


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What is a straggler?", "straggler"),
        ("What does the i in i-number stand for?", "i-number"),
        ("What is the hot spot problem?", "hot spot problem"),
        ("What is the name of the UNIX command interpreter program?", None),
        ("How does the master detect worker failures?", None),
    ],
)
def test_the_term_a_definition_question_asks_about(question: str, term: str | None) -> None:
    assert defined_term(question) == term


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("straggler", "a MapReduce operation is a “straggler”: a machine that takes an unusually long time", True),
        ("i-number", "This pointer is an integer called the i-number (for index number) of the file.", True),
        ("tail", "the last server is called the tail", True),
        ("znode", "The znode is a convenient abstraction upon which we add watches.", True),
        ("straggler", "We have a general mechanism to alleviate the problem of stragglers.", False),
        ("chunkserver", "regardless of which chunkserver is the primary", False),
        ("vector clock", "A possible issue with vector clocks is that the size may grow.", False),
        ("timestamp server", "A timestamp server works by taking a hash of a block of items", True),
        ("timestamp server", "The solution we propose begins with a timestamp server.", False),
        # A reference mark after the term, and a run-in heading repeating it, as a PDF's text has them.
        ("Katta", "Katta Katta [17] is a distributed indexer that uses ZooKeeper for coordination.", True),
        ("Chubby", "Chubby [8] is a lock service.", True),
        ("Katta", "Katta Katta divides the work of indexing using shards.", False),
    ],
)
def test_a_sentence_defining_a_term_is_told_from_one_using_it(term: str, text: str, found: bool) -> None:
    assert defines(term, text) is found


def test_auto_compresses_code_of_a_large_repository_when_no_passage_stands_out(session: Session) -> None:
    # http is 53K tokens, 50x a 1K budget; whole passages ranked by BM25 miss `_MAXHEADERS`,
    # lines matched on the words inside names find it.
    question = "What is the maximum number of headers http.client accepts in a response?"
    p = _plan(session, Path(sysconfig.get_paths()["stdlib"]) / "http", question, Mode.AUTO, 1024)
    assert p.mode is Mode.COMPRESS, p.reason
    assert any("_MAXHEADERS = 100" in s.text for s in p.selected)


def test_compress_keeps_fewer_tokens_than_its_chunks(session: Session) -> None:
    p = _plan(session, PAPERS / "the-google-file-system.pdf", "How long is the lease timeout?", Mode.COMPRESS, 2048)
    assert sum(s.tokens for s in p.selected) < sum(s.chunk.tokens for s in p.selected)
    assert any("60 seconds" in s.text for s in p.selected)


def test_auto_reads_everything_that_fits(session: Session) -> None:
    p = _plan(session, PAPERS / "paxos-made-simple.pdf", "Who are the agents?", Mode.AUTO, 100_000)
    assert p.mode is Mode.FULL
    assert "fit the budget" in p.reason


def test_auto_cuts_the_budget_to_the_time_allowed(session: Session) -> None:
    p = _plan(session, CHUBBY, "How many lines is the client library?", Mode.AUTO, 6000, time_tokens=1500)
    assert p.budget == 1500
    assert "--max-wait" in p.reason
    assert p.sent_tokens <= 1500


def test_auto_compresses_the_whole_corpus_for_a_summary(session: Session) -> None:
    # Time for one call only: no map-reduce (tests/test_mapreduce.py), the whole paper pruned into one.
    p = _plan(session, PAPERS / "paxos-made-simple.pdf", "Summarise the paper", Mode.AUTO, 1024, time_tokens=1024)
    assert p.mode is Mode.COMPRESS
    assert "whole" in p.reason
    assert len({s.chunk.span.location.page for s in p.selected}) > 5  # type: ignore[union-attr]


def test_full_mode_on_a_corpus_that_does_not_fit_fails_clearly(lecto) -> None:  # type: ignore[no-untyped-def]
    result = lecto("ask", "--dry-run", "--mode", "full", "--budget", "1000", str(CHUBBY), "What is Chubby?")
    assert result.returncode == 1
    assert "--mode full" in result.stderr and "budget is 1000" in result.stderr


def test_dry_run_json_reports_mode_and_reason(lecto) -> None:  # type: ignore[no-untyped-def]
    result = lecto(
        "ask", "--dry-run", "--json", "--budget", "2048", str(CHUBBY), "How many lines is the C++ client library?"
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["mode"] in ("retrieve", "compress")
    assert "budget (2048 tokens)" in out["mode_reason"]


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        # Each named span runs on TOLD_WITHIN (4) days: "yesterday I went…" is sent after the day asked about.
        ("What did Caroline do in May 2023?", date(2023, 5, 1), date(2023, 6, 5)),
        ("Who called on 8 May 2023?", date(2023, 5, 8), date(2023, 5, 13)),
        ("What happened on July 3, 2023?", date(2023, 7, 3), date(2023, 7, 8)),
        ("What did she do the week after 3 July 2023?", date(2023, 7, 4), date(2023, 7, 15)),
        ("Where did they travel in 2022?", date(2022, 1, 1), date(2023, 1, 5)),
        ("What did he buy before June 2023?", date.min, date(2023, 6, 1)),
        # Counted back from a day: the event is told on that day ("I got a puppy two weeks ago!").
        ("What puppy did she get two weeks before August 11, 2023?", date(2023, 7, 28), date(2023, 8, 16)),
        ("What was shown on the Sunday before October 25, 2022?", date(2022, 10, 18), date(2022, 10, 30)),
        ("Where was John between August 11 and August 15 2023?", date(2023, 8, 11), date(2023, 8, 20)),
    ],
)
def test_time_expressions_become_date_windows(question: str, start: date, end: date) -> None:
    window = time_window(question)
    assert window is not None
    assert (window.start, window.end + window.told) == (start, end)


@pytest.mark.parametrize("mode", PLANNED)
@pytest.mark.parametrize("when", ["two weeks before August 11, 2023", "before August 11, 2023"])
def test_a_question_counting_back_from_a_day_plans_what_was_told_that_day(
    session: Session, mode: Mode, when: str
) -> None:
    # The answer was told on 11 August ("I got a puppy two weeks ago! Her name's Coco"); a
    # window ending before that day, or one holding most of the chat, used to sink it to rank 130.
    question = f"What is the name of Maria's puppy she got {when}?"
    p = _plan(session, CHAT / "locomo-2.discord.json", question, mode, 1024)
    assert any("Her name's Coco" in s.text for s in p.selected)


def test_a_month_without_its_year_is_the_one_of_the_chats_days() -> None:
    question = "When did Melanie go camping in June?"
    window = time_window(question, (date(2023, 5, 8), date(2023, 10, 22)))
    assert window is not None
    assert (window.start, window.end) == (date(2023, 6, 1), date(2023, 7, 1))
    # A chat of two Junes does not say which one.
    assert time_window(question, (date(2022, 5, 1), date(2023, 7, 1))) is None


def test_a_question_without_dates_has_no_window() -> None:
    assert time_window("What chunk size does GFS use?") is None


@pytest.mark.parametrize(
    ("question", "shape"),
    [
        ("Summarise the paper", Shape.GLOBAL),
        ("List every decision they made", Shape.GLOBAL),
        ("Compare Paxos and Raft", Shape.GLOBAL),
        ("What chunk size does GFS use?", Shape.LOCAL),
        ("How many copies of every piece of data are kept by default?", Shape.LOCAL),
        ("How does Boeing's effective tax rate in FY2022 compare to FY2021?", Shape.GLOBAL),
        # What something was likened to is one fact, not a comparison across the documents.
        ("What did Jon and Gina compare their entrepreneurial journeys to?", Shape.LOCAL),
    ],
)
def test_question_shape(question: str, shape: Shape) -> None:
    assert question_shape(question) is shape


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What hash function does Bitcoin use?", "hash function"),
        ("Which distributed lock service does Bigtable depend on?", "distributed lock service"),
        ("What kind of dance piece did Gina's team perform?", "dance piece"),
        ("What does Dynamo use to capture causality?", None),  # no kind of thing named
        ("What chunk size does GFS use?", None),  # a size, which a pattern checks
        ("What is a straggler?", None),  # a definition
    ],
)
def test_the_kind_of_thing_a_question_asks_the_name_of(question: str, kind: str | None) -> None:
    found = instance_asked(question)
    assert (found.head if found else None) == kind


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        ("hash function", "scanning for a value that when hashed, such as with SHA-256, the hash begins", True),
        ("digest", "they each initialize a SHA-1 digest with a derivative of that key", True),
        ("protocol", "the leader broadcasts the change through Zab [24], an atomic broadcast protocol.", True),
        ("lock service", "Bigtable relies on a persistent distributed lock service called Chubby [8].", True),
        ("hash function", "The interior hashes do not need to be stored.", False),
        # Named beside a word of the question's, but not as the kind asked for.
        ("hash function", "transactions are hashed in a Merkle Tree, with only the root in the block's hash.", False),
        ("hash function", "publishing the hash, such as in a newspaper or Usenet post.", False),
        ("hash function", "Hash chains work. Bitcoin hashes blocks.", False),  # the question's own name
    ],
)
def test_a_sentence_naming_an_instance_of_the_kind_asked_for(kind: str, text: str, found: bool) -> None:
    asked = instance_asked(f"Which {kind} does Bitcoin use?")
    assert asked is not None and asked.named_in(text) is found
