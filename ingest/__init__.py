"""Ingest: turn PDFs, code, chat logs and text into located chunks.

Importing this package registers every built-in ingester.
"""

from lecto.ingest import chat, code, pdf, text  # noqa: F401  (registration happens on import)
from lecto.ingest.sources import STDIN, load_corpus

__all__ = ["STDIN", "load_corpus"]
