"""Symbols for the ways JavaScript, TypeScript and Go define things beyond `function` and `func`,
read by the real tree-sitter grammars from files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from lecto.ingest.code import MAX_CHARS, CodeIngester
from lecto.kinds.code import CodeLocation


def symbols(tmp_path: Path, name: str, source: str) -> dict[int, str | None]:
    """The symbol of each line's chunk, by 1-based line."""
    path = tmp_path / name
    path.write_text(source)
    out: dict[int, str | None] = {}
    for piece in CodeIngester().parse(path, name).pieces:
        loc = piece.location
        assert isinstance(loc, CodeLocation)
        out |= {n: loc.symbol for n in range(loc.start_line, loc.end_line + 1)}
    return out


@pytest.mark.parametrize(
    ("name", "source", "symbol"),
    [
        ("response.js", "res.redirect = function redirect(url) {\n  this.location(url);\n};\n", "res.redirect"),
        ("a.js", "obj.send = (body) => {\n  return body;\n};\n", "obj.send"),
        ("a.js", "exports.compile = function (fn) {\n  return fn;\n};\n", "exports.compile"),
        ("a.js", "module.exports = function createApplication() {\n  return {};\n};\n", "module.exports"),
        ("a.js", "Router.prototype.use = function use(fn) {\n  this.stack.push(fn);\n};\n", "Router.prototype.use"),
        ("a.js", "const parse = (text) => {\n  return text.split(',');\n};\n", "parse"),
        ("a.js", "export const parse = async (text) => {\n  return text;\n};\n", "parse"),
        ("a.js", "var app = {\n  get(path) {\n    return path;\n  },\n};\n", "app"),
        ("a.ts", "type Handler = (req: Request) => void;\n", "Handler"),
        ("a.go", "package m\n\ntype Server struct {\n\tAddr string\n}\n", "Server"),
        ("a.go", 'package m\n\nvar ErrClosed = errors.New("closed")\n', "ErrClosed"),
        ("a.go", "package m\n\nconst (\n\tRead Mode = iota\n\tWrite\n)\n", "Read, Write"),
        ("a.go", "package m\n\nfunc (s *Server) Serve(l Listener) error {\n\treturn nil\n}\n", "Server.Serve"),
        ("a.go", "package m\n\n// Dial connects to the socket.\nfunc Dial() error {\n\treturn nil\n}\n", "Dial"),
        ("a.js", "/**\n * Send JSON.\n */\nres.json = function json(obj) {\n  return obj;\n};\n", "res.json"),
    ],
)
def test_each_common_form_carries_its_symbol(tmp_path: Path, name: str, source: str, symbol: str) -> None:
    found = symbols(tmp_path, name, source)
    first = next(n for n, line in enumerate(source.splitlines(), 1) if line and not line.startswith("package"))
    assert found[first] == symbol


@pytest.mark.parametrize(
    ("source", "member", "symbol"),
    [
        (
            "class Router {\n  handle = (req) => {\n{body}  };\n  route = () => {\n{body}  };\n}\n",
            "  route",
            "Router.route",
        ),
        ("const app = {\n  listen: function () {\n{body}  },\n  get() {\n{body}  },\n};\n", "  get", "app.get"),
        ("class Pool {\n  #grow = () => {\n{body}  };\n  #drain = () => {\n{body}  };\n}\n", "  #drain", "Pool.#drain"),
    ],
)
def test_a_big_class_or_object_splits_into_its_members(tmp_path: Path, source: str, member: str, symbol: str) -> None:
    text = source.replace("{body}", "".join(f"    const step{i} = {i};\n" for i in range(MAX_CHARS // 40)))
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith(member))
    assert symbols(tmp_path, "big.js", text)[line] == symbol
