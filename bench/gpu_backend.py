"""The torch backend on CUDA: a SmolLM2-135M-shaped model (random weights, the real tokenizer).

The bundled GGUF is larger than what can be carried to the GPU machine, so the weights are
random there; this shows the backend's CUDA path (bf16, SDPA, streaming, the kept prefix),
not answer quality, which tests/test_backends_torch.py checks with the real weights on the CPU.

    python3 bench/gpu_backend.py TOKENIZER_DIR
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time

import torch
import transformers

from lecto.backends.registry import ModelOptions
from lecto.backends.torch_backend import TorchBackend

SYSTEM = "You answer questions using only the numbered sources the user gives you."
SMOLLM2_135M = dict(
    hidden_size=576,
    intermediate_size=1536,
    num_hidden_layers=30,
    num_attention_heads=9,
    num_key_value_heads=3,
    vocab_size=49152,
    max_position_embeddings=8192,
    rope_theta=100000.0,
    tie_word_embeddings=True,
)


def main() -> None:
    folder = tempfile.mkdtemp()
    shutil.copytree(sys.argv[1], folder, dirs_exist_ok=True)
    transformers.AutoModelForCausalLM.from_config(transformers.LlamaConfig(**SMOLLM2_135M)).save_pretrained(folder)
    backend = TorchBackend(ModelOptions(spec=f"hf:{folder}"))
    docs = "Sources:\n\n[1] paper.pdf, page 3\n" + "Bigtable keeps tablets in GFS. " * 400
    for question in ("Where are tablets kept?", "Who serves a tablet?"):
        messages = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"{docs}\n\nQuestion: {question}"},
        ]
        start = time.perf_counter()
        text = "".join(backend.stream(messages, 32))
        print(
            f"{backend.device} {backend.dtype}: {time.perf_counter() - start:.3f}s, "
            f"prefix reused {backend.prefix_reused} tokens, {len(text)} chars streamed"
        )
    print("cuda device:", torch.cuda.get_device_name())


if __name__ == "__main__":
    main()
