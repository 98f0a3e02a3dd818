"""llama.cpp stopped midway at a deadline: while the weights load, inside a pre-fill, inside one token.

Under `--max-wait` the session gives the backend the question's deadline (`LlamaBackend.stop_at`).
A call into llama.cpp cannot be interrupted from Python, and on a busy CPU one pre-fill or one
token took seconds (the weights' load and the speed probe, a minute: docs/BENCHMARKS.md, issue
19), so llama.cpp is asked itself: its model loader calls a progress callback before each
tensor, and its graph computation an abort callback after each step; either one saying stop
makes the call fail, which the backend reports as `OutOfTime`.
"""

from __future__ import annotations

import threading
import time
from typing import Any


class Deadline:
    """When a backend's model calls give up (monotonic clock; `at` None: never); its scorer shares it."""

    def __init__(self) -> None:
        self.at: float | None = None
        self._abort: Any = None  # the C callback: llama.cpp keeps only its address, so it lives here

    def passed(self) -> bool:
        at = self.at
        return at is not None and time.monotonic() >= at

    def watch(self, llm: Any) -> None:
        """Have `llm`'s computation ask `passed` after each step, while a deadline is set.

        Only then: each question is a Python call, hundreds a token, and waits for the
        interpreter's lock whenever another thread holds it (the reading room's interface): with
        a busy Python thread beside it the bundled model wrote about a third slower.
        """
        import llama_cpp

        if self._abort is None:
            self._abort = llama_cpp.ggml_abort_callback(lambda _: self.passed())
        callback = self._abort if self.at is not None else llama_cpp.ggml_abort_callback()  # NULL: never asked
        llama_cpp.llama_set_abort_callback(llm._ctx.ctx, callback, None)


def load(deadline: Deadline, **kwargs: Any) -> Any:
    """`llama_cpp.Llama(**kwargs)`, whose weights' load gives up (ValueError) once `deadline` has passed."""
    from lecto.backends.llama import llama_class

    llama = llama_class()
    _stop_loading_at_deadlines()
    _LOADING.deadline = deadline
    try:
        llm = llama(**kwargs)
    finally:
        _LOADING.deadline = None
    deadline.watch(llm)
    return llm


# The deadline of the load running on this thread: llama.cpp calls the progress callback on the loading thread.
_LOADING = threading.local()
_PROGRESS: Any = None  # the C progress callback, made once


def _keep_loading(progress: float, data: Any) -> bool:
    deadline = getattr(_LOADING, "deadline", None)
    return not (deadline and deadline.passed())


def _stop_loading_at_deadlines() -> None:
    """Every model this process loads asks `_keep_loading` before each tensor.

    Llama() takes no progress callback, so the defaults it starts from are changed, once (as
    `llama.avoid_extra_buffers` does for AMX). The file's header and vocabulary are read before
    the first question: a second or two the load cannot be stopped in.
    """
    global _PROGRESS
    import llama_cpp.llama_cpp as native

    if _PROGRESS is not None:
        return
    _PROGRESS = native.llama_progress_callback(_keep_loading)
    default = native.llama_model_default_params

    def asking() -> Any:
        params = default()
        params.progress_callback = _PROGRESS
        return params

    native.llama_model_default_params = asking
