"""llama-cpp-python's OpenAI-compatible server, started after lecto's fix for CPUs with AMX.

    python -m lecto.backends.llama_server --model model.gguf --port 8000

Takes exactly the arguments of `python -m llama_cpp.server`, which on a CPU with AMX crashes
on its first prompt (backends/llama.py, `avoid_extra_buffers`); elsewhere the two are the same.
"""

from __future__ import annotations

import runpy

from lecto.backends.llama import llama_class

if __name__ == "__main__":
    llama_class()
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
