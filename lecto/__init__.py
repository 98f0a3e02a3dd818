"""lecto: answer questions about long documents with a local model, and show where every answer came from."""

__version__ = "0.1.0"
