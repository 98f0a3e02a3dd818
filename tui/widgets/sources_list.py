"""The sources list: each document, and inside it its pages, line ranges or conversations.

A document's passages are added when it is opened, so a 2,000-page PDF lists at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.widgets import Tree

from lecto.data import Chunk, Document
from lecto.kinds import kind_of
from lecto.tui.literal import literal
from lecto.tui.messages import PassagePicked


@dataclass(frozen=True)
class Entry:
    document: Document
    chunk: Chunk | None  # None for the document's own node


class SourcesList(Tree[Entry]):
    def __init__(self) -> None:
        super().__init__(Text("Sources"), id="sources")
        self.show_root = False
        self.border_title = "Sources"

    def set_documents(self, documents: list[Document]) -> None:
        self.clear()
        for doc in documents:
            # The file's name, not the document's title: PDF metadata titles are often "paper.dvi" or empty.
            label = Text.assemble(literal(Path(doc.source).name), (f"  {doc.kind.value}", "dim"))
            self.root.add(label, Entry(doc, None), allow_expand=True)
        self.cursor_line = 0

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        entry = event.node.data
        if entry is None or entry.chunk is not None or event.node.children:
            return
        for chunk in kind_of(entry.document.kind).listed(entry.document):
            event.node.add_leaf(literal(chunk.span.location.describe()), Entry(entry.document, chunk))

    def on_tree_node_selected(self, event: Tree.NodeSelected[Entry]) -> None:
        entry = event.node.data
        if entry is not None and entry.chunk is not None:
            event.stop()
            self.post_message(PassagePicked(entry.document, entry.chunk))
