"""A repository's changelog and docs rank below its source, unless the question asks what changed:
a repository written here, read by the real ingesters into a real store, ranked by BM25."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecto.context.rank import rank
from lecto.data import Chunk
from lecto.ingest import load_corpus
from lecto.store import Store

RESPONSE = """\
/**
 * Redirect to the given url with an optional status code (302 by default).
 */
res.redirect = function redirect(url, status) {
  var address = this.location(url).get('Location');
  this.statusCode = status || 302;
  this.set('Content-Length', 0);
  this.end();
};
"""

HISTORY = """\
4.18.0 / 2022-04-25
===================

  * res.redirect: encode the url given to res.redirect
  * res.redirect: keep the status given to res.redirect as a number

4.17.0 / 2019-05-16
===================

  * res.redirect: res.redirect sets Content-Length to 0 on a redirect
  * res.redirect: deprecate res.redirect(url, status) for res.redirect(status, url)
"""

README = """\
# express

Redirect a request with `res.redirect(url)`; give a status first to set it: `res.redirect(301, url)`.
"""


@pytest.fixture
def repo(tmp_path: Path) -> tuple[list[Chunk], Store]:
    root = tmp_path / "express"
    (root / "lib").mkdir(parents=True)
    (root / "lib" / "response.js").write_text(RESPONSE)
    (root / "History.md").write_text(HISTORY)
    (root / "Readme.md").write_text(README)
    store = Store(tmp_path / "cache")
    return load_corpus([str(root)], store).chunks, store


def files(question: str, repo: tuple[list[Chunk], Store]) -> list[str]:
    """The files of the ranked chunks, best first, each once."""
    chunks, store = repo
    return list(dict.fromkeys(Path(h.chunk.span.source).name for h in rank(question, chunks, store, dense=False).hits))


def test_a_code_question_ranks_source_then_docs_then_the_changelog(repo: tuple[list[Chunk], Store]) -> None:
    assert files("How does res.redirect set the status of a redirect?", repo) == [
        "response.js",
        "Readme.md",
        "History.md",
    ]


def test_a_question_about_a_release_ranks_the_changelog_first(repo: tuple[list[Chunk], Store]) -> None:
    assert files("What changed in res.redirect in 4.18?", repo)[0] == "History.md"
