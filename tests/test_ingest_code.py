"""Code and folder ingest on real files: symbol lines against `ast`, ignore rules, odd files, bounded memory."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from lecto.data import Kind
from lecto.errors import SourceError
from lecto.ingest import load_corpus
from lecto.ingest.code import CodeIngester
from lecto.ingest.repomap import repo_map
from lecto.kinds.code import CodeLocation
from lecto.store import Store

STDLIB = Path(sysconfig.get_paths()["stdlib"])
ENCODER = STDLIB / "json" / "encoder.py"


def _ast_lines(path: Path, qualname: str) -> tuple[int, int]:
    node: ast.AST = ast.parse(path.read_text())
    for name in qualname.split("."):
        node = next(n for n in ast.iter_child_nodes(node) if getattr(n, "name", None) == name)
    return node.lineno, node.end_lineno  # type: ignore[attr-defined]


@pytest.mark.parametrize("qualname", ["_make_iterencode", "JSONEncoder.encode", "JSONEncoder"])
def test_symbol_chunks_span_the_lines_ast_gives(qualname: str) -> None:
    parsed = CodeIngester().parse(ENCODER, "json/encoder.py")
    locs = [p.location for p in parsed.pieces if isinstance(p.location, CodeLocation)]
    mine = [loc for loc in locs if loc.symbol == qualname or (loc.symbol or "").startswith(qualname + ".")]
    assert (mine[0].start_line, max(loc.end_line for loc in mine)) == _ast_lines(ENCODER, qualname)


def test_citation_reads_path_lines_and_symbol(tmp_path: Path) -> None:
    repo = tmp_path / "lib"
    (repo / "json").mkdir(parents=True)
    (repo / "json" / "encoder.py").write_bytes(ENCODER.read_bytes())
    corpus = load_corpus([str(repo)], Store(tmp_path / "cache"))
    described = [c.span.location.describe() for c in corpus.chunks]
    start, end = _ast_lines(ENCODER, "JSONEncoder.encode")
    assert f"json/encoder.py:{start}-{end} (JSONEncoder.encode)" in described
    assert "encoder.py" in repo_map(corpus) and "def encode(self, o):" in repo_map(corpus)


@pytest.mark.parametrize(
    ("suffix", "source", "symbol"),
    [
        (".js", "function add(a, b) {\n  return a + b;\n}\n", "add"),
        (".ts", "class Box {\n  open(): void {}\n}\n", "Box"),
        (".go", "package m\n\nfunc Add(a int) int {\n\treturn a\n}\n", "Add"),
        (".rs", "fn add(a: i32) -> i32 {\n    a\n}\n", "add"),
        (".java", "class Calc {\n  int add(int a) { return a; }\n}\n", "Calc"),
        (".c", "int add(int a) {\n  return a;\n}\n", "add"),
        (".cpp", "namespace m {\nint add(int a) { return a; }\n}\n", "m"),
        (".rb", "def add(a)\n  a\nend\n", "add"),
        (".sh", "greet() {\n  echo hi\n}\n", "greet"),
    ],
)
def test_each_grammar_finds_its_symbol(tmp_path: Path, suffix: str, source: str, symbol: str) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_text(source)
    symbols = [p.location.symbol for p in CodeIngester().parse(path, path.name).pieces]  # type: ignore[union-attr]
    assert symbol in symbols


def test_a_file_without_grammar_is_read_in_line_windows(tmp_path: Path) -> None:
    path = tmp_path / "m.lua"
    path.write_text("\n".join(f"local x{i} = {i}" for i in range(200)) + "\n")
    locs = [p.location for p in CodeIngester().parse(path, path.name).pieces]
    assert locs[0].start_line == 1 and locs[-1].end_line == 200  # type: ignore[union-attr]


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "pkg" / "sub").mkdir(parents=True)
    (repo / "pkg" / "app.py").write_text("def kept():\n    return 1\n")
    (repo / ".gitignore").write_text("secret.py\nbuild/\n")
    (repo / "secret.py").write_text("def hidden_by_gitignore():\n    pass\n")
    (repo / "build").mkdir()
    (repo / "build" / "out.py").write_text("def built():\n    pass\n")
    (repo / "pkg" / "sub" / ".gitignore").write_text("*.py\n!keep.py\n")
    (repo / "pkg" / "sub" / "drop.py").write_text("def nested_ignored():\n    pass\n")
    (repo / "pkg" / "sub" / "keep.py").write_text("def re_included():\n    pass\n")
    (repo / "node_modules").mkdir()
    (repo / "node_modules" / "dep.js").write_text("function vendored() {}\n")
    (repo / "blob.bin").write_bytes(bytes(range(256)) * 40)
    (repo / "empty.py").write_text("")
    (repo / "pkg" / "__init__.py").write_text("\n\n")
    (repo / "loop").symlink_to(repo, target_is_directory=True)
    return repo


def test_walk_honours_ignores_and_skips_binaries_links_and_empty_files(tmp_path: Path) -> None:
    corpus = load_corpus([str(_repo(tmp_path))], Store(tmp_path / "cache"))
    paths = sorted(c.span.location.path for c in corpus.chunks)  # type: ignore[union-attr]
    assert paths == ["pkg/app.py", "pkg/sub/keep.py"]
    assert all(d.kind is Kind.CODE for d in corpus.documents)
    assert corpus.warnings == []


def test_second_read_hashes_only_changed_files(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    store = Store(tmp_path / "cache")
    load_corpus([str(repo)], store)
    (repo / "pkg" / "app.py").write_text("def changed():\n    return 2\n")
    corpus = load_corpus([str(repo)], store)
    assert "changed" in [c.span.location.symbol for c in corpus.chunks]  # type: ignore[union-attr]
    rows = store.db.execute("SELECT count(*) FROM file_digests").fetchone()[0]
    assert rows == 2  # one row per path, replaced when the file changed


def test_a_single_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.py"
    path.write_text("")
    with pytest.raises(SourceError, match="empty"):
        load_corpus([str(path)], Store(tmp_path / "cache"))


# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a big pytest
# process would report the parent's peak (seen: 1.2 GB after the torch tests).
_RSS_CHILD = """
import re, sys
from pathlib import Path
from lecto.ingest import load_corpus
from lecto.store import Store
corpus = load_corpus([sys.argv[1]], Store(Path(sys.argv[2])))
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
print(len(corpus.chunks), peak_kb // 1024)
"""


def test_a_50_mb_text_file_ingests_with_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    paragraph = ("The chunkserver stores each chunk as a plain Linux file. " * 8 + "\n\n").encode()
    with big.open("wb") as f:
        for _ in range(50 * (1 << 20) // len(paragraph)):
            f.write(paragraph)
    out = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(big), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
    ).stdout.split()
    chunks, peak_mb = int(out[0]), int(out[1])
    assert chunks > 50_000
    assert peak_mb < 1024, f"peak RSS {peak_mb} MB for a 50 MB file"
