"""The llama.cpp backend with the bundled model, `--model` routing, and clear errors for bad model files."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from lecto.backends import ModelOptions, TokenScorer, open_backend
from lecto.backends.llama import LlamaBackend, bundled_model
from lecto.backends.openai_http import OpenAIBackend
from lecto.backends.registry import _BACKENDS, OutOfTime
from lecto.errors import ModelError, UsageError

QUESTION = "Who is the lighthouse keeper of Nimbrook?"
DOC = "Lighthouse log.\n\nThe lighthouse keeper of Nimbrook is Ada Varga. She lit the lamp every night in 1887.\n"


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "log.txt"
    path.write_text(DOC)
    return path


@pytest.mark.parametrize(
    ("spec", "backend"),
    [
        (None, "llama.cpp"),
        ("model.gguf", "llama.cpp"),
        ("C:model.gguf", "llama.cpp"),
        ("hf:some/folder", "torch"),
        ("openai:http://127.0.0.1:1/v1", "openai"),
        ("openai:http://127.0.0.1:1/v1#model.gguf", "openai"),
    ],
)
def test_model_spec_picks_backend(spec: str | None, backend: str) -> None:
    claimed = [name for name, (claims, _) in _BACKENDS.items() if claims(spec)]
    assert claimed == [backend]


def test_unknown_spec_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no backend understands"):
        open_backend(ModelOptions(spec="model.bin"))


def test_llama_generates_with_bundled_model() -> None:
    backend = open_backend(ModelOptions(spec=None, ctx=1024))
    assert isinstance(backend, LlamaBackend)
    assert backend.context_window == 1024
    messages = [{"role": "user", "content": f"{DOC}\nQuestion: {QUESTION}"}]
    parts = list(backend.stream(messages, 24))
    assert parts and "".join(parts).strip()


@pytest.mark.parametrize(("cores", "threads"), [({0}, 1), ({0, 1}, 1), (set(range(8)), 7)])
def test_llama_reads_and_writes_leaving_one_core_free(
    monkeypatch: pytest.MonkeyPatch, cores: set[int], threads: int
) -> None:
    # llama.cpp's threads spin-wait on each other: on two shared cores, two threads stalled at every step.
    monkeypatch.setattr("os.sched_getaffinity", lambda _: cores)
    backend = open_backend(ModelOptions(spec=None, ctx=512))
    assert isinstance(backend, LlamaBackend)
    backend.continuation_logprobs([("Hello.", " Hello.")])  # loads the scorer, a second instance
    for llm in (backend._model(), backend._scorer.llm):
        assert (llm.context_params.n_threads, llm.context_params.n_threads_batch) == (threads, threads)


@pytest.mark.parametrize("loaded", [False, True], ids=["weights-load", "pre-fill"])
def test_llama_gives_up_a_call_at_its_deadline_and_answers_after(loaded: bool) -> None:
    # One pre-fill, one token or the weights' load took seconds on a busy CPU and could not be stopped.
    backend = open_backend(ModelOptions(spec=None, ctx=1024))
    assert isinstance(backend, LlamaBackend)
    messages = [{"role": "user", "content": f"{DOC}\nQuestion: {QUESTION}"}]
    if loaded:
        backend._model()
    backend.stop_at(time.monotonic())  # already passed: llama.cpp gives up at its first step
    with pytest.raises(OutOfTime):
        list(backend.stream(messages, 24))
    with pytest.raises(OutOfTime):
        backend.continuation_logprobs([("Hello.", " Hello.")])
    assert (backend._llm is not None) is loaded, "a load given up keeps no half-loaded model"

    backend.stop_at(None)
    assert "".join(backend.stream(messages, 8)).strip()
    assert len(backend.continuation_logprobs([("Hello.", " Hello.")])) == 1


def test_llama_answer_through_cli(lecto, doc: Path) -> None:  # type: ignore[no-untyped-def]
    result = lecto("ask", "--json", "--mode", "full", str(doc), QUESTION)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["model"]["backend"] == "llama.cpp"
    assert answer["answer"]
    assert "Ada Varga" in answer["context"]["spans"][0]["text"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "model file not found"),
        (b"not a model at all\n" * 100, "cannot load the model"),
        ("truncated", "cannot load the model"),
    ],
)
def test_bad_model_files_give_clear_errors(tmp_path: Path, content: bytes | str | None, message: str) -> None:
    path = tmp_path / "model.gguf"
    if content == "truncated":
        path.write_bytes(bundled_model().read_bytes()[:200_000])
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelError, match=message) as caught:
        LlamaBackend(ModelOptions(spec=str(path)))
    assert caught.value.source == str(path)


def test_bad_model_file_is_one_line_on_stderr(lecto, tmp_path: Path, doc: Path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "fake.gguf"
    fake.write_text("hello")
    result = lecto("ask", "--model", str(fake), str(doc), QUESTION)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "fake.gguf" in result.stderr and "Traceback" not in result.stderr


def test_only_torch_scores_tokens() -> None:
    assert not issubclass(LlamaBackend, TokenScorer)
    assert not issubclass(OpenAIBackend, TokenScorer)


def test_llama_counts_many_texts_as_it_counts_each_and_as_its_tokenizer_splits_them() -> None:
    backend = LlamaBackend(ModelOptions(None))
    texts = [*DOC.split(". "), "", "Capital expenditures (116) (131) (155)", "é — ‹|im_start|› " * 40]

    counts = backend.count_many(texts)

    assert counts == [backend.count_tokens(t) for t in texts]
    assert counts == [len(backend._vocab.tokenize(t.encode(), add_bos=False, special=False)) for t in texts]
