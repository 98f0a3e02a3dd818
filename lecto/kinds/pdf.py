"""PDF documents: passages located by page, shown with the rest of their page.

A passage never crosses a page, so its page is already its quote's: nothing to narrow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecto.data import Chunk, Document, Kind, Location
from lecto.kinds import Excerpt, RankWeights, register_kind
from lecto.kinds.prose import Prose


@dataclass(frozen=True)
class PageLocation(Location):
    page: int
    label: str | None = None
    ocr: bool = False  # read by OCR from the page's image: machine-read text, may hold misread words

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"page": self.page}
        if self.label is not None:
            out["label"] = self.label
        if self.ocr:
            out["ocr"] = True
        return out

    def describe(self) -> str:
        where = f"p. {self.page}"
        if self.label and self.label != str(self.page):
            where = f"p. {self.label} (PDF page {self.page})"
        return f"{where}, OCR text" if self.ocr else where


@register_kind(Kind.PDF)
class Pdf(Prose):
    location = PageLocation
    # A dense rank counts 0.3 of a BM25 rank on prose: alone it finds less evidence than BM25, and
    # fused at full weight it pushed evidence out at small budgets, but at 0.3 it rescues passages
    # phrased unlike the question (papers at 1K: 0.81 -> 0.88; docs/BENCHMARKS.md). Passages
    # holding the kind of answer asked for vote again at half a BM25 rank: in prose that finds
    # the sentence stating the figure (papers at 2K: 0.67 -> 1.00 on the 3 such questions).
    weights = RankWeights(dense=0.3, answer=0.5)
    ocr = True

    def excerpt(self, doc: Document, chunk: Chunk) -> Excerpt:
        """The passage with the rest of its page."""
        loc = chunk.span.location
        assert isinstance(loc, PageLocation)
        lines: list[str] = []
        marked: set[int] = set()
        for c in doc.chunks:
            if isinstance(c.span.location, PageLocation) and c.span.location.page == loc.page:
                if lines:
                    lines.append("")
                start = len(lines)
                lines += c.text.splitlines()
                if c.id == chunk.id:
                    marked.update(range(start, len(lines)))
        return Excerpt(f"{Path(doc.source).name} — {loc.describe()}", lines, 0, frozenset(marked))

    def listed(self, doc: Document) -> list[Chunk]:
        """One entry a page: its first passage."""
        seen: set[int] = set()
        firsts = []
        for chunk in doc.chunks:
            page = chunk.span.location.page  # type: ignore[attr-defined]
            if page not in seen:
                seen.add(page)
                firsts.append(chunk)
        return firsts
