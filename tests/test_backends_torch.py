"""The torch backend: the bundled GGUF loaded through transformers on the CPU, answering a real question.

Decoding is checked against transformers' own greedy search on a small random model of
Qwen2.5's architecture (grouped key heads, biased projections) carrying the bundled tokenizer:
the same weights give the same answer, on the CPU here and through a replayed CUDA graph on a GPU.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
import transformers

from lecto.backends import (
    Message,
    ModelOptions,
    TokenScorer,
    open_backend,
    torch_decode,
    torch_kv,
    torch_layers,
    torch_prompt,
)
from lecto.backends.torch_backend import TorchBackend

QUESTION = "Who is the lighthouse keeper of Nimbrook?"
DOC = "Lighthouse log.\n\nThe lighthouse keeper of Nimbrook is Ada Varga. She lit the lamp every night in 1887.\n"


ANSWER = 24  # prompt and answer stay inside the penalty's 64-token look-back, as transformers penalises all
SMALL_QWEN2 = dict(
    hidden_size=64,
    intermediate_size=128,
    num_hidden_layers=3,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=4096,
    tie_word_embeddings=False,
    initializer_range=0.5,
)
cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@pytest.fixture(scope="module")
def backend() -> TorchBackend:
    chosen = open_backend(ModelOptions(spec=None, ctx=2048), "torch")
    assert isinstance(chosen, TorchBackend)
    return chosen


@pytest.fixture(scope="module")
def small_model(backend: TorchBackend, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random small Qwen2 with the bundled tokenizer, saved as `--model hf:DIR` reads it."""
    folder = tmp_path_factory.mktemp("small-qwen2")
    backend.tokenizer.save_pretrained(folder)
    torch.manual_seed(0)
    config = transformers.Qwen2Config(vocab_size=len(backend.tokenizer), **SMALL_QWEN2)
    model = transformers.AutoModelForCausalLM.from_config(config)
    with torch.no_grad():  # attention, what lecto replaces, then decides the answer: a wrong mask changes it
        for layer in model.model.layers:
            layer.mlp.down_proj.weight.zero_()
    model.generation_config.eos_token_id = backend.tokenizer.eos_token_id
    model.save_pretrained(folder)
    return folder


def transformers_greedy(folder: Path, ids: list[int], device: str) -> list[int]:
    """The answer transformers' own generate() gives with its stock SDPA attention and cache."""
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, attn_implementation="sdpa").to(device)
    out = model.generate(
        torch.tensor([ids], device=device), max_new_tokens=ANSWER, do_sample=False, repetition_penalty=1.1
    )
    return out[0, len(ids) :].tolist()


def small_answer(folder: Path, question: str) -> tuple[TorchBackend, list[Message], str]:
    small = TorchBackend(ModelOptions(spec=f"hf:{folder}"))
    messages = [{"role": "user", "content": question}]
    return small, messages, "".join(small.stream(messages, ANSWER))


def test_decode_gives_transformers_greedy_answer(small_model: Path) -> None:
    small, messages, text = small_answer(small_model, QUESTION)
    expected = transformers_greedy(small_model, small._prompt(messages).ids, "cpu")
    assert text == small.tokenizer.decode(expected, skip_special_tokens=True)


def test_follow_up_over_kept_documents_gives_a_fresh_backend_s_answer(small_model: Path) -> None:
    small, _, _ = small_answer(small_model, f"{DOC}\nQuestion: {QUESTION}")
    follow = [{"role": "user", "content": f"{DOC}\nQuestion: When did she light the lamp?"}]
    kept = "".join(small.stream(follow, ANSWER))
    assert small.prefix_reused >= small.count_tokens(DOC)
    assert kept == small_answer(small_model, follow[0]["content"])[2]


def test_streamed_pieces_join_to_the_whole_decode(backend: TorchBackend) -> None:
    tokens = backend.tokenizer.encode("Ada Varga’s café: naïve 東京 lamps 🚀, lit in 1887.", add_special_tokens=False)
    text = torch_decode.Detokenizer(backend.tokenizer)
    assert "".join(text.push(t) for t in tokens) == backend.tokenizer.decode(tokens, skip_special_tokens=True)


@cuda
def test_replayed_graph_gives_the_eager_answer(small_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    replayed = small_answer(small_model, QUESTION)
    assert replayed[0]._steppers and all(s.graph is not None for s in replayed[0]._steppers.values())
    monkeypatch.setattr(torch_decode, "BREAK_EVEN_TOKENS", ANSWER + 1)
    assert small_answer(small_model, QUESTION)[2] == replayed[2]


def test_follow_up_reuses_the_document_prefix(backend: TorchBackend) -> None:
    first = [{"role": "user", "content": f"{DOC}\nQuestion: {QUESTION}"}]
    assert "".join(backend.stream(first, 16)).strip()
    assert backend.prefix_reused == 0 or backend.prefix_reused < backend.count_tokens(DOC)
    follow = [{"role": "user", "content": f"{DOC}\nQuestion: When did she light the lamp?"}]
    assert "".join(backend.stream(follow, 16)).strip()
    assert backend.prefix_reused >= backend.count_tokens(DOC)


def test_counts_many_texts_in_one_call_as_it_counts_each(backend: TorchBackend) -> None:
    texts = ["The lighthouse keeper lit the lamp.", "", "Capital expenditures (116) (131) (155)", "é — " * 40]

    assert backend.count_many(texts) == [backend.count_tokens(t) for t in texts]


def test_scores_tokens(backend: TorchBackend) -> None:
    assert isinstance(backend, TokenScorer)
    scored = backend.token_logprobs("The lighthouse keeper lit the lamp.")
    assert len(scored) == backend.count_tokens("The lighthouse keeper lit the lamp.")
    assert all(p <= 0 for _, p in scored)


def test_same_plan_and_citation_contract_as_llama(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "log.txt"
    doc.write_text(DOC)
    plans = [lecto("ask", "--json", "--dry-run", *b, str(doc), QUESTION) for b in ([], ["--backend", "torch"])]
    assert [p.returncode for p in plans] == [0, 0]
    spans = [json.loads(p.stdout)["context"]["spans"] for p in plans]
    assert spans[0] == spans[1]
    result = lecto("ask", "--json", "--backend", "torch", str(doc), QUESTION)
    answer = json.loads(result.stdout)
    # A free answer is the model's own greedy text; whichever it is, the exit code must say what the status says.
    assert result.returncode == {"answered": 0, "not_found": 3}[answer["status"]], result.stderr
    assert answer["model"]["backend"] == "torch"
    assert answer["answer"]
    assert (answer["status"] == "answered") == bool(answer["citations"])


def test_missing_checkpoint_is_a_clear_error(lecto, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "log.txt"
    doc.write_text(DOC)
    missing = tmp_path / "nothing.gguf"
    result = lecto("ask", "--backend", "torch", "--model", str(missing), str(doc), QUESTION)
    assert result.returncode == 1
    assert result.stderr.strip() == f"lecto: {missing}: model not found"


@pytest.mark.parametrize("tokens", [1, 35])  # a decode step's one token (the joined products), a pre-fill's many
def test_rewritten_layers_give_the_model_s_logits(small_model: Path, tokens: int) -> None:
    """Joined projections, the in-place rotary embedding and the fused norms change no logit (MLPs live here)."""
    stock = transformers.AutoModelForCausalLM.from_pretrained(small_model)
    for layer in stock.model.layers:
        torch.nn.init.normal_(layer.mlp.down_proj.weight, std=0.5)
    ids = torch.tensor([list(range(5, 5 + tokens))])
    with torch.inference_mode():
        expected = stock(ids).logits
        torch_layers.rewrite(stock)
        rewritten = stock(ids).logits
    assert torch.allclose(rewritten, expected, atol=1e-5)


class CountingTokenizer:
    """The bundled tokenizer, noting how many characters each call tokenises."""

    def __init__(self, tokenizer: Any):
        self.tokenizer, self.encoded = tokenizer, []

    @property
    def backend_tokenizer(self) -> CountingTokenizer:
        return self

    def encode(self, text: str, add_special_tokens: bool) -> Any:
        self.encoded.append(len(text))
        return self.tokenizer.backend_tokenizer.encode(text, add_special_tokens=add_special_tokens)


DOCS = f"<|im_start|>user\nSources:\n\n[1] log.txt\n{DOC * 40}"
PROMPT = f"{DOCS}\nQuestion: {QUESTION}<|im_end|>\n<|im_start|>assistant\n"


@pytest.mark.parametrize(
    "follow",
    [
        PROMPT.replace(QUESTION, "When did she light the lamp?"),  # a follow-up over the same documents
        PROMPT.replace(DOC * 40, DOC * 39 + DOC.replace("Varga.", "Varga’s café 東京 🚀.")),  # the last document
        PROMPT + "And the year?",  # the same text, longer
        PROMPT,
    ],
)
def test_prompt_tokens_reuse_the_shared_start_and_equal_whole_tokenising(backend: TorchBackend, follow: str) -> None:
    counting = CountingTokenizer(backend.tokenizer)
    last = torch_prompt.tokens(counting, PROMPT, torch_prompt.PromptTokens())
    again = torch_prompt.tokens(counting, follow, last)
    assert again.ids == backend.tokenizer.encode(follow, add_special_tokens=False)
    assert counting.encoded[1] < len(follow) // 4


def test_prompt_tokens_of_a_different_text_are_its_whole_tokenising(backend: TorchBackend) -> None:
    last = torch_prompt.tokens(backend.tokenizer, PROMPT, torch_prompt.PromptTokens())
    other = "Lighthouse " + PROMPT
    assert torch_prompt.tokens(backend.tokenizer, other, last).ids == backend.tokenizer.encode(
        other, add_special_tokens=False
    )


@cuda
def test_flash_decode_gives_the_products_attention() -> None:
    """FlashAttention's decode over the used slots gives what the masked products give, within bf16 rounding."""
    torch.manual_seed(0)
    view, position = 4096, 3000
    keys, values = (torch.randn(4, view, 128, device="cuda", dtype=torch.bfloat16) for _ in range(2))
    step = torch_kv.DecodeStep.over(view, torch.device("cuda"), torch.bfloat16)
    step.position.fill_(position)
    step.mask()
    q = torch.randn(1, 28, 1, 128, device="cuda", dtype=torch.bfloat16)
    flash = torch_kv._flash_decode(step, q, keys, values, 128**-0.5)
    products = torch_kv._split_products(step, q, keys, values, 128**-0.5)
    assert torch.allclose(flash.float(), products.float(), atol=2e-2)
