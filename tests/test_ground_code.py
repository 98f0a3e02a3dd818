"""Grounded answers over code: the line that answers is found and quoted though only its names hold the question.

Real parts: files of the Python standard library that runs the tests, read by lecto's own ingester into a real store.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from conftest import ScriptedReader
from lecto.answer import ground
from lecto.answer.citations import check
from lecto.data import Chunk, Kind, Selected, Span
from lecto.ingest import load_corpus
from lecto.ingest.walk import is_test
from lecto.kinds.code import CodeLocation, set_name
from lecto.store import Store

STDLIB = Path(sysconfig.get_paths()["stdlib"])
HEADERS = "What is the maximum number of headers http.client accepts in a response?"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> list[Selected]:
    store = Store(tmp_path_factory.mktemp("cache"))
    return [Selected(c, c.text, 0) for c in load_corpus([str(STDLIB / "http" / "client.py")], store).chunks]


def test_a_constant_whose_name_holds_the_question_s_words_is_the_best_candidate(client: list[Selected]) -> None:
    # `_MAXHEADERS = 100` says "maximum" and "headers" only inside its name; _read_headers' docstring says
    # them in words ("number of headers is limited") but not how many.
    best = ground.offered(HEADERS, client)[0]
    assert best.text.strip() == "_MAXHEADERS = 100"


def test_a_quoted_constant_is_backed_and_on_the_question(client: list[Selected]) -> None:
    # "MAXHEADERS" is a word of `_MAXHEADERS`, and the name holds the question's "maximum" and "headers".
    [sentence] = check("_MAXHEADERS = 100 [1].", HEADERS, client).sentences
    assert sentence.support.backed


def test_the_model_reads_a_line_of_code_with_its_file_and_symbol(client: list[Selected]) -> None:
    question = "Which method of HTTPResponse reads and parses the status line?"
    reader = ScriptedReader()
    ground.choose(question, ground.offered(question, client), reader)  # type: ignore[arg-type]
    assert any(p.startswith("Passage: http/client.py (HTTPResponse.") for p in reader.read)


def passage(path: str, symbol: str, text: str, kept: str | None = None) -> Selected:
    location = CodeLocation(path, 1, text.count("\n") + 1, symbol)
    chunk = Chunk(path, "d", 0, text, Span(path, Kind.CODE, location))
    return Selected(chunk, text if kept is None else kept, 0)


LOADER = (STDLIB / "unittest" / "loader.py").read_text()
PREFIX = "What name prefix marks a method as a test for the unittest loader?"


def _class_body(name: str) -> str:
    start = LOADER.index(f"class {name}")
    return LOADER[start : LOADER.index("\n    def ", start)]


def test_a_package_s_own_tests_count_for_less_than_its_code() -> None:
    # unittest's tests set the prefix to made-up values to check the loader respects it.
    test = "        loader = unittest.TestLoader()\n        loader.testMethodPrefix = 'foo'\n"
    passages = [
        passage("test/test_loader.py", "Test_TestLoader.test_testMethodPrefix", test),
        passage("loader.py", "TestLoader", _class_body("TestLoader")),
    ]
    best = ground.offered(PREFIX, passages)[0]
    assert best.text.strip().startswith("testMethodPrefix = 'test'")


def test_a_line_compression_kept_is_a_candidate_though_the_lines_after_it_were_dropped() -> None:
    body = _class_body("TestLoader")
    kept = "    testMethodPrefix = 'test'"
    assert kept in body and body.count("\n") > 6
    best = ground.offered(PREFIX, [passage("loader.py", "TestLoader", body, kept=kept)])[0]
    assert best.text == kept


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("_MAXCACHE = 512", "_MAXCACHE"),
        ("    maxDiff = 80*8", "maxDiff"),
        ('    env_var = os.environ.get("PYTHONTZPATH", None)', "env_var"),
        ("    max_line_length: int = 78", "max_line_length"),
        ("export const MAX_RETRIES = 5;", "MAX_RETRIES"),
        ("        self.headers = self.msg = None", None),  # no value written out
        ("        upgrade_deps=options.upgrade_deps)", None),  # a keyword argument
        ("    if count == 100:", None),
        ("    total += 1", None),
    ],
)
def test_a_line_that_sets_a_name_to_a_value(line: str, name: str | None) -> None:
    assert set_name(line) == name


@pytest.mark.parametrize(
    ("path", "tests"),
    [
        ("unittest/test/test_loader.py", True),
        ("tests/conftest.py", True),
        ("test_client.py", True),
        ("server_test.go", True),
        ("src/app.spec.ts", True),
        ("unittest/loader.py", False),
        ("numpy/testing.py", False),
        ("contest.py", False),
    ],
)
def test_a_package_s_test_files_are_told_from_its_code(path: str, tests: bool) -> None:
    assert is_test(path) is tests
