"""A repository's changelog and docs rank below its source, unless the question asks what changed:
a repository written here, read by the real ingesters into a real store, ranked by BM25."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecto.context.rank import rank
from lecto.data import Chunk, Kind
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


@pytest.fixture
def repo(tmp_path: Path) -> tuple[list[Chunk], Store]:
    root = tmp_path / "express"
    (root / "lib").mkdir(parents=True)
    (root / "lib" / "response.js").write_text(RESPONSE)
    (root / "History.md").write_text(HISTORY)
    store = Store(tmp_path / "cache")
    return load_corpus([str(root)], store).chunks, store


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("How does res.redirect set the status of a redirect?", Kind.CODE),
        ("What changed in res.redirect in 4.18?", Kind.TEXT),
    ],
)
def test_the_changelog_ranks_below_source_unless_asked_what_changed(
    repo: tuple[list[Chunk], Store], question: str, first: Kind
) -> None:
    chunks, store = repo
    assert rank(question, chunks, store, dense=False).hits[0].chunk.span.kind is first
