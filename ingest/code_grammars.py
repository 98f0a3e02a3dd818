"""Which tree-sitter grammar reads which file, and which of its nodes are symbols.

Grammars come from the per-language wheels (tree-sitter-python, …), loaded on first use;
`tree-sitter-language-pack` is avoided because it downloads grammars at run time.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Grammar:
    module: str  # the wheel's import name
    function: str  # the function in it that returns the language
    symbols: frozenset[str]  # node types that name a function, class, method or type
    bindings: frozenset[str] = frozenset()  # node types that bind a name to a value (a symbol when a function)
    blocks: frozenset[str] = frozenset()  # node types that group specs (Go's `const ( … )`)


_PY = Grammar("tree_sitter_python", "language", frozenset({"function_definition", "class_definition"}))
_JS_SYMBOLS = {"function_declaration", "generator_function_declaration", "class_declaration", "method_definition"}
_JS_BINDINGS = frozenset(
    {"expression_statement", "lexical_declaration", "variable_declaration", "pair", "field_definition"}
)
_JS = Grammar("tree_sitter_javascript", "language", frozenset(_JS_SYMBOLS), _JS_BINDINGS)
_TS_SYMBOLS = frozenset(
    _JS_SYMBOLS | {"interface_declaration", "abstract_class_declaration", "enum_declaration", "type_alias_declaration"}
)
_TS_BINDINGS = _JS_BINDINGS | {"public_field_definition"}
_TS = Grammar("tree_sitter_typescript", "language_typescript", _TS_SYMBOLS, _TS_BINDINGS)
_TSX = Grammar("tree_sitter_typescript", "language_tsx", _TS_SYMBOLS, _TS_BINDINGS)
_GO = Grammar(
    "tree_sitter_go",
    "language",
    frozenset({"function_declaration", "method_declaration", "type_spec", "type_alias", "var_spec", "const_spec"}),
    blocks=frozenset({"type_declaration", "var_declaration", "const_declaration"}),
)
_RUST = Grammar(
    "tree_sitter_rust",
    "language",
    frozenset({"function_item", "impl_item", "struct_item", "enum_item", "trait_item", "mod_item"}),
)
_JAVA = Grammar(
    "tree_sitter_java",
    "language",
    frozenset(
        {
            "class_declaration",
            "interface_declaration",
            "enum_declaration",
            "record_declaration",
            "method_declaration",
            "constructor_declaration",
        }
    ),
)
_C = Grammar("tree_sitter_c", "language", frozenset({"function_definition", "struct_specifier"}))
_CPP = Grammar(
    "tree_sitter_cpp",
    "language",
    frozenset({"function_definition", "class_specifier", "struct_specifier", "namespace_definition"}),
)
_RUBY = Grammar("tree_sitter_ruby", "language", frozenset({"method", "singleton_method", "class", "module"}))
_BASH = Grammar("tree_sitter_bash", "language", frozenset({"function_definition"}))

BY_SUFFIX: dict[str, Grammar] = {
    ".py": _PY,
    ".pyi": _PY,
    ".js": _JS,
    ".mjs": _JS,
    ".cjs": _JS,
    ".jsx": _JS,
    ".ts": _TS,
    ".mts": _TS,
    ".tsx": _TSX,
    ".go": _GO,
    ".rs": _RUST,
    ".java": _JAVA,
    ".c": _C,
    ".h": _C,
    ".cc": _CPP,
    ".cpp": _CPP,
    ".cxx": _CPP,
    ".hpp": _CPP,
    ".hh": _CPP,
    ".rb": _RUBY,
    ".sh": _BASH,
    ".bash": _BASH,
}

# Source code with no grammar installed: read as code (paths, line windows), just not by symbol.
WITHOUT_GRAMMAR = frozenset(
    {".php", ".kt", ".kts", ".swift", ".scala", ".lua", ".pl", ".pm", ".r", ".cs", ".m", ".zig", ".pyx", ".sql"}
)


@cache
def parser_for(grammar: Grammar) -> Any:
    from tree_sitter import Language, Parser

    module = importlib.import_module(grammar.module)
    return Parser(Language(getattr(module, grammar.function)()))
