"""What a tree-sitter node defines: the symbol's name and the node holding its inner definitions.

Beyond the declarations each grammar names (`def`, `class`, `func`), code defines by binding:
JavaScript writes most of its methods as `res.redirect = function redirect() {…}`,
`exports.x = () => …`, `const f = () => …`, class fields and object-literal methods, and Go
groups `var`, `const` and `type` specs in blocks. Each carries its name, so a citation says
which function a passage is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lecto.ingest.code_grammars import Grammar

# Values that make a binding a symbol: a function, a class, or an object literal holding methods.
_FUNCTIONS = frozenset({"function_expression", "function", "arrow_function", "generator_function", "class"})
_OBJECT = "object"
# Left-hand sides that are names (`app.init`), not computed (`app[method]`).
_NAMES = frozenset({"identifier", "member_expression", "property_identifier", "private_property_identifier"})
_NAME_FIELDS = ("name", "declarator", "type")
# A block of specs (`const (A = 1; B = 2)`) is named by its first few names.
BLOCK_NAMES = 3


@dataclass(frozen=True)
class Definition:
    name: str
    body: Any  # the node whose children are inner definitions or statements
    qualifies: bool = True  # inner names read `outer.inner`; a Go block's specs are names of their own


def definition(node: Any, grammar: Grammar) -> Definition | None:
    """The symbol `node` is or wraps (a Python decorator, a JS export, a binding, a Go block), else None."""
    if node.type in grammar.symbols:
        return Definition(_name(node), node.child_by_field_name("body") or node)
    if node.type in ("decorated_definition", "export_statement"):
        inner = node.child_by_field_name("definition") or node.child_by_field_name("declaration")
        return definition(inner, grammar) if inner is not None else None
    if node.type in grammar.bindings:
        return _binding(node)
    if node.type in grammar.blocks:
        return _block(node, grammar)
    return None


def _binding(node: Any) -> Definition | None:
    """`a.b = function …`, `const f = () => …`, `handle = () => …` in a class, `get: function …` in an object."""
    name, value = _bound(node)
    if name is None or value is None or name.type not in _NAMES and node.type != "pair":
        return None
    if value.type in _FUNCTIONS or value.type == _OBJECT and _holds_methods(value):
        return Definition(_text(name).strip("'\"`"), value.child_by_field_name("body") or value)
    return None


def _bound(node: Any) -> tuple[Any, Any]:
    """The name and the value a binding statement binds, or Nones."""
    if node.type == "expression_statement":
        assigned = node.named_children[0] if node.named_children else node
        return assigned.child_by_field_name("left"), assigned.child_by_field_name("right")
    if node.type in ("lexical_declaration", "variable_declaration"):
        if len(node.named_children) != 1:
            return None, None  # `var a = f, b = 2`: no one name for the statement
        declarator = node.named_children[0]
        return declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
    fields = ("key", "name", "property")  # a pair's, a TypeScript field's, a JavaScript field's
    name = next((c for f in fields if (c := node.child_by_field_name(f)) is not None), None)
    return name, node.child_by_field_name("value")


def _holds_methods(node: Any) -> bool:
    return any(
        c.type == "method_definition" or c.type == "pair" and _binding(c) is not None for c in node.named_children
    )


def _block(node: Any, grammar: Grammar) -> Definition | None:
    """A Go `type`, `var` or `const` declaration, named by its specs."""
    body = next((c for c in node.named_children if c.type.endswith("_list")), node)
    names = [_name(c) for c in body.named_children if c.type in grammar.symbols]
    if not names:
        return None
    shown = ", ".join(names[:BLOCK_NAMES]) + (", …" if len(names) > BLOCK_NAMES else "")
    return Definition(shown, body, qualifies=False)


def _name(node: Any) -> str:
    receiver = node.child_by_field_name("receiver")
    for field in _NAME_FIELDS:
        child = node.child_by_field_name(field)
        while child is not None and child.child_by_field_name("declarator") is not None:
            child = child.child_by_field_name("declarator")  # C: `int *f(void)` nests the name
        if child is not None and child.text:
            name = _text(child).split("(")[0].strip()
            return f"{_receiver(receiver)}.{name}" if receiver is not None else name
    return str(node.type)


def _receiver(params: Any) -> str:
    """Go's `(s *Server[T])` → `Server`, so a method reads `Server.Serve` as Go's documentation writes it."""
    declared = params.named_children[0] if params.named_children else None
    kind = declared.child_by_field_name("type") if declared is not None else None
    return _text(kind).lstrip("*").split("[")[0] if kind is not None else ""


def _text(node: Any) -> str:
    return " ".join(node.text.decode(errors="replace").split())
