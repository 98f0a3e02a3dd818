"""The OpenAI-compatible backend against llama-cpp-python's own server, and against servers that fail."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lecto.backends import ModelOptions, open_backend
from lecto.backends.llama import bundled_model
from lecto.backends.openai_http import OpenAIBackend

QUESTION = "Who is the lighthouse keeper of Nimbrook?"
DOC = "Lighthouse log.\n\nThe lighthouse keeper of Nimbrook is Ada Varga. She lit the lamp every night in 1887.\n"
MODELS = json.dumps({"object": "list", "data": [{"id": "tiny", "object": "model"}]}).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """llama-cpp-python's server with the bundled model on a free local port.

    Through `lecto.backends.llama_server`, as the README starts it: plain `llama_cpp.server`
    crashes on a CPU with AMX (backends/llama.py).
    """
    port = free_port()
    command = [sys.executable, "-m", "lecto.backends.llama_server", "--model", str(bundled_model())]
    proc = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/models", timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "log.txt"
    path.write_text(DOC)
    return path


def test_streams_from_real_server(server: str) -> None:
    backend = open_backend(ModelOptions(spec=f"openai:{server}"))
    assert isinstance(backend, OpenAIBackend)
    parts = list(backend.stream([{"role": "user", "content": f"{DOC}\nQuestion: {QUESTION}"}], 24))
    assert len(parts) > 1  # deltas arrive one by one, not as one block
    assert "".join(parts).strip()


def test_cli_answers_through_real_server(lecto, server: str, doc: Path) -> None:  # type: ignore[no-untyped-def]
    result = lecto("ask", "--json", "--model", f"openai:{server}", str(doc), QUESTION)
    answer = json.loads(result.stdout)
    # A free answer is the model's own greedy text; whichever it is, the exit code must say what the status says.
    assert result.returncode == {"answered": 0, "not_found": 3}[answer["status"]], result.stderr
    assert answer["model"]["backend"] == "openai"
    assert answer["answer"]
    assert "Ada Varga" in answer["context"]["spans"][0]["text"]


def test_unknown_model_name_lists_the_served_ones(server: str) -> None:
    with pytest.raises(Exception, match="has no model 'missing'"):
        OpenAIBackend(ModelOptions(spec=f"openai:{server}#missing"))


class Failing(BaseHTTPRequestHandler):
    """Serves the model list, then fails chat completions in the way the server's `behaviour` says."""

    behaviour = "500"
    chats = 0

    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        self._send(200, MODELS, "application/json")

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).chats += 1
        if self.behaviour == "401":
            self._send(401, b'{"error": "bad key"}', "application/json")
        elif self.behaviour == "500":
            self._send(500, b'{"error": "boom"}', "application/json")
        else:  # one event, then the connection closes without [DONE]
            event = {"choices": [{"delta": {"content": "The keeper"}}]}
            self._send(200, f"data: {json.dumps(event)}\n\n".encode(), "text/event-stream")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads lecto's stderr, not the server's."""


@pytest.fixture
def failing() -> Iterator[tuple[str, type[Failing]]]:
    handler = type("Handler", (Failing,), {"chats": 0})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", handler
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("behaviour", "message", "tries"),
    [
        ("500", "the server answered HTTP 500 Internal Server Error", 3),
        ("401", "the server refused the API key (HTTP 401) (set OPENAI_API_KEY or LECTO_API_KEY)", 1),
        ("drop", "the server closed the stream before the answer ended", 1),
    ],
)
def test_server_failures_are_one_clean_line(  # type: ignore[no-untyped-def]
    lecto, failing, doc: Path, behaviour: str, message: str, tries: int
) -> None:
    url, handler = failing
    handler.behaviour = behaviour
    result = lecto("ask", "--model", f"openai:{url}", str(doc), QUESTION)
    assert result.returncode == 1
    assert result.stderr.strip() == f"lecto: {url}: {message}"
    assert handler.chats == tries  # 5xx is retried with back-off, the others are not


def test_refused_connection(lecto, doc: Path) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = lecto("ask", "--model", f"openai:{url}", str(doc), QUESTION)
    assert result.returncode == 1
    assert result.stderr.strip() == f"lecto: {url}: connection refused (is the server running?)"
