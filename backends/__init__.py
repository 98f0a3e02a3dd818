"""Model backends. Importing this package registers every built-in backend."""

from lecto.backends import llama  # noqa: F401  (registration happens on import)
from lecto.backends.registry import Backend, Message, ModelOptions, open_backend

__all__ = ["Backend", "Message", "ModelOptions", "open_backend"]
