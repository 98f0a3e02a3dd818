"""Grounded answers over code: the line that answers is found and quoted though only its names hold the question.

Real parts: files of the Python standard library that runs the tests, read by lecto's own ingester into a real store.
"""

from __future__ import annotations

import sysconfig
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ScriptedReader
from lecto.answer import ground
from lecto.answer.citations import check
from lecto.answer.codelines import CodeWords, Stated, asks_default, imports, named, stated_asked, states
from lecto.context.lexical import stem
from lecto.data import Chunk, Kind, Selected, Span
from lecto.ingest import load_corpus
from lecto.ingest.walk import is_test
from lecto.kinds.code import CodeLocation, built_from, defaulted, excerpt, set_name
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
        ("DEFAULT_MODE = RTLD_LOCAL", "DEFAULT_MODE"),  # a constant named in capitals
        ("    handler = STREAM_HANDLER(stream)", None),  # a call, not a value
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


@pytest.fixture(scope="module")
def stdlib(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[Selected]]:
    """A file of the standard library, ingested whole, every chunk planned."""
    store = Store(tmp_path_factory.mktemp("stdlib"))
    return lambda name: [Selected(c, c.text, 0) for c in load_corpus([str(STDLIB / name)], store).chunks]


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("def quote(string, safe='/', encoding=None, errors=None):", ["safe", "encoding", "errors"]),
        ("async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED):", ["timeout", "return_when"]),
        (
            '    def toprettyxml(self, indent="\\t", newl="\\n",\n                   encoding=None):',
            ["indent", "newl", "encoding"],
        ),
        ("def dumps(obj, *, key: str | None = None) -> str:", ["key"]),
        ("def fill(text, width=70, **kwargs):\n    w = TextWrapper(width=width, **kwargs)", ["width"]),
        ("def read(self):", []),
        ("    w = TextWrapper(width=width, **kwargs)", []),  # a call's keyword arguments give no default
        ("max_workers = min(32, (os.cpu_count() or 1) + 4)", []),
    ],
)
def test_a_signature_gives_its_parameters_defaults(text: str, params: list[str]) -> None:
    assert defaulted(text) == params


@pytest.mark.parametrize(
    ("question", "default"),
    [
        ("What is the default width of a TextWrapper?", True),
        ("Which character does quote leave unescaped by default?", True),
        ("What is the maximum number of headers http.client accepts in a response?", False),
    ],
)
def test_a_question_asking_for_a_default_is_told(question: str, default: bool) -> None:
    assert asks_default(question) is default


@pytest.mark.parametrize(
    ("file", "question", "signature"),
    [
        ("textwrap.py", "What width does textwrap.fill wrap to by default?", "def fill(text, width=70"),
        ("difflib.py", "What is the default cutoff of difflib.get_close_matches?", "def get_close_matches("),
        ("socketserver.py", "What is the default bind_and_activate of a TCPServer?", "def __init__(self, server_"),
    ],
)
def test_a_default_is_answered_by_the_signature_giving_it(
    stdlib: Callable[[str], list[Selected]], file: str, question: str, signature: str
) -> None:
    # Before, the docstrings that say "width" or "cutoff" in words came first; the value is in the signature.
    best = ground.offered(question, stdlib(file))[0]
    assert best.text.strip().startswith(signature)


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What does shutil.copyfile raise when both paths are the same file?", {"copyfile"}),
        (
            "Is HTTPServer's allow_reuse_address on by default?",
            {"HTTPServer", "allow_reuse_address"},
        ),
        ("What does html.parser.HTMLParser.feed keep of incomplete input?", {"feed"}),
        ("When does TextWrapper break on hyphens?", {"TextWrapper"}),
        ("How long does the server wait for a reply?", set()),  # "wait" is a word here
        ("Which characters does it escape besides letters, digits and _.-~?", set()),
    ],
)
def test_a_question_names_a_definition_as_code_writes_it(question: str, names: set[str]) -> None:
    assert named(question) == names


def test_the_definition_a_question_names_holds_its_answer(stdlib: Callable[[str], list[Selected]]) -> None:
    # dedent's comments say "lines" and "whitespace" as often as indent's docstring does; the question names indent.
    selected = stdlib("textwrap.py")
    best = ground.offered("What does textwrap.indent do with lines that hold only whitespace?", selected)[0]
    assert selected[best.n - 1].chunk.span.location.symbol == "indent"


def test_a_word_no_line_holds_does_not_keep_the_answer_from_the_candidates(
    stdlib: Callable[[str], list[Selected]],
) -> None:
    # tomllib never writes "tomllib", nor "passed": counted, they left the line that answers under MIN_COVERAGE.
    question = "What may a parse_float function passed to tomllib not return?"
    selected = stdlib("tomllib/_parser.py")
    line = 'raise ValueError("parse_float must not return dicts or lists")'
    units = [c for c in ground.candidates(question, selected, 10_000) if c.text.strip().startswith(line)]
    assert max(c.coverage for c in units) >= ground.MIN_COVERAGE


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., list[Selected]]:
    """Files or folders of the standard library, each ingested whole as its own source, every chunk planned."""
    store = Store(tmp_path_factory.mktemp("files"))
    return lambda *names: [Selected(c, c.text, 0) for c in load_corpus([str(STDLIB / n) for n in names], store).chunks]


def test_an_import_of_the_module_asked_about_is_never_offered(files: Callable[..., list[Selected]]) -> None:
    # util.py's `from ctypes.macholib.dyld import dyld_find` holds "ctypes", "macholib" and "dyld" by name;
    # every line of dyld.py is in that module, and the list it sets is the answer.
    question = "Which directories are in the default library fallback path of ctypes.macholib.dyld?"
    found = ground.offered(question, files("ctypes/util.py", "ctypes/macholib"))
    assert not any(imports(c.text.split("\n", 1)[0]) for c in found)
    assert found[0].text.strip().startswith("DEFAULT_LIBRARY_FALLBACK = [")


@pytest.mark.parametrize(
    ("names", "question", "line"),
    [
        (
            ("lib2to3/refactor.py",),
            "Which exception does RefactoringTool raise when it cannot find a fixer's class?",
            "raise FixerError(",
        ),
        (
            ("distutils/config.py", "distutils/command/upload.py"),
            "Which repository URL does distutils upload packages to by default?",
            "DEFAULT_REPOSITORY = 'https://upload.pypi.org/legacy/'",
        ),
        (
            ("idlelib/pyshell.py",),
            "What timeout does the IDLE shell allow the subprocess to connect back?",
            "settimeout(10)",
        ),
        (
            ("lib2to3/main.py",),
            "Which suffix does 2to3 add to the backup copies of files it rewrites?",
            'backup = filename + ".bak"',
        ),
    ],
)
def test_the_line_whose_code_states_what_is_asked_answers(
    files: Callable[..., list[Selected]], names: tuple[str, ...], question: str, line: str
) -> None:
    # Before, lines repeating the question's words ("fixer", "upload", "subprocess", "backup") came first.
    best = ground.offered(question, files(*names))[0]
    assert line in best.text.split("\n", 1)[0]


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        ("Which exception does distutils raise when compiling fails?", Stated.EXCEPTION),
        ("What does shutil.copyfile raise when both paths are the same file?", Stated.EXCEPTION),
        ("What timeout does the IDLE shell allow the subprocess?", Stated.VALUE),
        ("How many headers does http.client accept?", Stated.VALUE),
        ("What buffer size does the rpc module use?", Stated.VALUE),
        ("Which suffix does 2to3 add to backups?", Stated.FILE),
        ("Which file in the home directory holds the credentials?", Stated.FILE),
        ("Which repository URL does distutils upload to?", Stated.ADDRESS),
        ("What does tkinter.messagebox.askyesno return?", None),
        ("How does RotatingFileHandler decide whether a rollover should occur?", None),
    ],
)
def test_what_a_question_asks_a_line_to_state(question: str, stated: Stated | None) -> None:
    assert stated_asked(question) is stated


@pytest.mark.parametrize(
    ("stated", "line", "says"),
    [
        (Stated.VALUE, "BUFSIZE = 8*1024", True),
        (Stated.VALUE, "        self.rpcclt.listening_sock.settimeout(10)", True),
        (Stated.VALUE, "        if 0 < len(label) < 64:", True),
        (Stated.VALUE, "    timeout: the time to wait (defaults to 60s)", False),  # a docstring's words
        (Stated.VALUE, "    ('required_pkey_type', c_int64),", False),  # a name's digits
        (Stated.VALUE, "    x = 1  # up to 64 entries", True),
        (Stated.VALUE, "    y = size  # up to 64 entries", False),  # a comment's number
        (Stated.EXCEPTION, "                raise CompileError(msg)", True),
        (Stated.EXCEPTION, "        except (OSError, ValueError):", True),
        (Stated.EXCEPTION, "class FixerError(Exception):", True),
        (Stated.EXCEPTION, "    Raises an error if the file is missing.", False),
        (Stated.FILE, '            backup = filename + ".bak"', True),
        (Stated.FILE, "        return os.path.join(os.path.expanduser('~'), '.pypirc')", True),
        (Stated.FILE, '    self.template = "MANIFEST.in"', True),
        (Stated.FILE, "    name = 'pip'", False),
        (Stated.ADDRESS, "    DEFAULT_REPOSITORY = 'https://upload.pypi.org/legacy/'", True),
        (Stated.ADDRESS, "HOST = '127.0.0.1'", True),
        (Stated.ADDRESS, "    host = self.host", False),
    ],
)
def test_a_line_whose_code_states_the_kind_asked_for(stated: Stated, line: str, says: bool) -> None:
    assert states(stated, line) is says


@pytest.mark.parametrize(
    ("line", "imported"),
    [
        ("from ctypes.macholib.dyld import dyld_find as _dyld_find", True),
        ("import os, sys", True),
        ("    from . import util", True),
        ("from .connection import (wait,", True),
        ("important = 1", False),
        ("    # import this later", False),
    ],
)
def test_an_import_line_is_told(line: str, imported: bool) -> None:
    assert imports(line) is imported


def test_a_folder_s_file_holds_the_name_of_its_package(files: Callable[..., list[Selected]]) -> None:
    # Each file of a folder is its own source (`…/tomllib/_parser.py`, path `_parser.py`): the package's name is
    # the folder above the path, and every line of it holds the question's "tomllib".
    question = "What may a parse_float function passed to tomllib not return?"
    selected = files("tomllib")
    words = CodeWords.build(question, ground._question_terms(question, selected), selected)
    span = next(s.chunk.span for s in selected if s.chunk.span.location.path == "_parser.py")
    assert "tomllib" in words.of_file(span.source, span.location)


@pytest.mark.parametrize(
    ("question", "line", "noun"),
    [
        ("Which exception does distutils raise when compiling a source file fails?", "raise CompileError(msg)", True),
        ("Which exception does distutils raise when compiling a source file fails?", "self.compile(src)", False),
        ("Which suffix does 2to3 add to the backup copies of files it rewrites?", 'backup = filename + ".bak"', True),
        # A number is written everywhere in code (`address[0]`); a value's noun is held by its name (`_MAXHEADERS`).
        ("What timeout does the IDLE shell allow the subprocess to connect back?", "root.after(0, callback)", False),
    ],
)
def test_a_line_stating_what_is_asked_holds_the_noun_asking_it(
    client: list[Selected], question: str, line: str, noun: bool
) -> None:
    # `raise CompileError(msg)` never writes "exception", though it is the exception the question asks for.
    terms = ground._question_terms(question, client)
    words = CodeWords.build(question, terms, client)
    asked = {stem(w) for w in ("exception", "suffix", "timeout")} & set(terms)
    assert asked
    assert (asked <= words.held(line)) is noun


def test_the_model_is_offered_lines_apart(files: Callable[..., list[Selected]]) -> None:
    # Every line's unit runs five lines more: the three best were one docstring read three times, and the
    # model had one choice.
    offered = ground.offered("What does html.escape turn a single quote into?", files("html/__init__.py"))
    assert not any(o.n == c.n and o.start <= c.focus < o.end for o in offered for c in offered if o is not c)


def _lines_from(path: str, first: str, count: int = 6) -> tuple[str, str]:
    """The `count` lines of a standard-library file from the line starting with `first`, and the text before them."""
    text = (STDLIB / path).read_text()
    start = text.index(first)
    return "\n".join(text[start:].split("\n")[:count]), text[:start]


@pytest.mark.parametrize(
    ("path", "first", "opens", "ends"),
    [
        # The unit of the docstring's closing quotes: quoted from the code after them.
        (
            "unittest/case.py",
            '    """\n\n    failureException',
            "    failureException = AssertionError",
            "longMessage = True",
        ),
        # Begun inside a docstring, the quote ends with it, before the code after it.
        ("html/__init__.py", "    characters, both double quote", "    characters, both double quote", "translated."),
        # Its closing quotes on its last line of text: the text is kept, the quotes and the code after them not.
        ("tkinter/__init__.py", "    of an application. It has", "    of an application.", "Tcl interpreter."),
        # A docstring opened inside the quote is kept, with the definition it documents.
        (
            "logging/handlers.py",
            "    def shouldRollover(self, record):",
            "    def shouldRollover",
            "the size limit we have.",
        ),
    ],
)
def test_a_code_quote_keeps_to_the_lines_that_say_something(path: str, first: str, opens: str, ends: str) -> None:
    text, before = _lines_from(path, first)
    quoted = excerpt(text, before)
    assert quoted.startswith(opens)
    assert quoted.rstrip().endswith(ends)


def test_a_code_answer_does_not_open_on_a_docstring_s_closing_quotes(files: Callable[..., list[Selected]]) -> None:
    question = "How long may the diff in an assertion failure message be by default?"
    selected = files("unittest/case.py")
    found = ground.candidates(question, selected, limit=len(selected) * 64)
    unit = next(c for c in found if c.text.startswith('    """\n') and "maxDiff = 80*8" in c.text)
    _, claims = ground.answer_text(question, ground.Choice(unit, [unit], []), selected)
    assert claims.startswith("failureException = AssertionError longMessage = True maxDiff = 80*8")


def test_a_default_is_answered_by_the_attribute_set_to_it(files: Callable[..., list[Selected]]) -> None:
    # `max_line_length = 78` in class Policy is the default; a comment saying "default value of 78" came first.
    question = "What is the default maximum line length of an email policy?"
    best = ground.offered(question, files("email/_policybase.py", "email/contentmanager.py"))[0]
    assert best.text.strip().startswith("max_line_length = 78")


@pytest.mark.parametrize(
    ("line", "default"),
    [
        ("    max_line_length = 78", True),  # a class's attribute
        ("MAXLINELEN = 78", True),  # a module's constant
        ("    def fill(text, width=70, **kwargs):", True),  # a parameter's default
        ("            diff = _Mismatch(0, cnt_t, elem)", False),  # a variable deep inside a function
    ],
)
def test_a_line_setting_a_value_holds_the_default_asked_for(client: list[Selected], line: str, default: bool) -> None:
    question = "What is the default maximum line length?"
    words = CodeWords.build(question, ground._question_terms(question, client), client)
    assert (stem("default") in words.held(line)) is default


def test_a_value_built_from_names_set_above_is_quoted_with_them(files: Callable[..., list[Selected]]) -> None:
    # `software_version = server_version + ' ' + sys_version` names what it is made of; the name is two lines up.
    question = "What server software name does wsgiref's simple server report?"
    selected = files("wsgiref/simple_server.py")
    choice = ground.choose(question, ground.offered(question, selected), ScriptedReader())  # type: ignore[arg-type]
    assert choice is not None
    _, claims = ground.answer_text(question, choice, selected)
    assert claims.startswith('server_version = "WSGIServer/" + __version__')


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ('a = "x"\nb = 2\nc = a + "/"\n', "c = a", 'a = "x"'),  # `a` is set two lines up; `b` is not used
        ("a = 1\nc = 3\n", "c = 3", "c = 3"),  # a value naming nothing
        ("    run(a)\nc = a + 1\n", "c = a", "c = a"),  # `a` is used above, not set
    ],
)
def test_where_a_binding_s_value_is_set_from(text: str, line: str, first: str) -> None:
    assert text[built_from(text, text.index(line)) :].startswith(first)


def test_a_value_s_names_are_not_quoted_from_lines_the_model_did_not_read() -> None:
    text = 'server_version = "WSGIServer/" + __version__\nsoftware_version = server_version + " " + sys_version\n'
    kept = 'software_version = server_version + " " + sys_version'
    found = ground.candidates("What software version does the server report?", [passage("server.py", "", text, kept)])
    assert found[0].text.strip() == kept


def test_a_docstring_s_unit_states_only_what_its_quote_shows(files: Callable[..., list[Selected]]) -> None:
    # The unit of copy_tree's docstring's last lines runs into `raise DistutilsFileError(` after it, but its quote
    # ends with the docstring: it states no exception, and is not offered to a question asking for one.
    question = "Which exception does distutils raise when the destination of a symlink is copied?"
    selected = files("distutils/dir_util.py")
    found = ground.candidates(question, selected, limit=len(selected) * 64)
    unit = next(c for c in found if c.text.startswith("    (the default), the destination of the symlink"))
    assert states(Stated.EXCEPTION, unit.text)
    assert not states(Stated.EXCEPTION, ground._quoted(unit, selected))
    assert all(states(Stated.EXCEPTION, ground._quoted(c, selected)) for c in ground.offered(question, selected))
