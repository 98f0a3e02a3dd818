"""Model backends. Importing this package registers every built-in backend."""

from lecto.backends import llama, openai_http, torch_backend  # noqa: F401  (registration happens on import)
from lecto.backends.registry import Backend, Message, ModelOptions, TokenScorer, open_backend

__all__ = ["Backend", "Message", "ModelOptions", "TokenScorer", "open_backend"]
