"""OpenAI-compatible servers (vLLM, llama.cpp's server, …): `--model openai:http://host:port/v1[#model]`.

This is how a user who outgrows one machine scales out without lecto changing. Chat
completions stream as server-sent events over plain HTTP (the standard library's urllib);
OpenAI-shaped dicts stay inside this module. Tokens are counted with the bundled model's
tokenizer: servers have no standard tokenize call, and planning needs a count, not the
server's exact one.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from typing import Any

from lecto.backends.llama import LlamaBackend
from lecto.backends.registry import Message, ModelOptions, register_backend
from lecto.errors import ModelError

PREFIX = "openai:"
KEY_VARIABLES = ("LECTO_API_KEY", "OPENAI_API_KEY")
# A server that reports no window (llama.cpp's does not) is assumed to have a common small one.
DEFAULT_WINDOW = 8192
# Long enough for a first token after pre-filling a large prompt on a busy server.
TIMEOUT_S = 120.0
# 429 and 5xx are often passing (a queue full, a restart): three tries, waits doubling from 0.5 s.
RETRIES = 3
BACKOFF_S = 0.5
RETRYABLE = {429, 500, 502, 503, 504}


def _api_key() -> str | None:
    return next((os.environ[k] for k in KEY_VARIABLES if os.environ.get(k)), None)


class OpenAIBackend:
    backend = "openai"

    def __init__(self, options: ModelOptions):
        url, _, model = options.spec.removeprefix(PREFIX).partition("#") if options.spec else ("", "", "")
        if not url.startswith(("http://", "https://")):
            raise ModelError("expected openai:http://host:port/v1[#model]", source=options.spec)
        self.url = url.rstrip("/")
        self._key = _api_key()
        card = self._model_card(model)
        self.name = model or card["id"]
        self._window = options.ctx or int(card.get("max_model_len") or DEFAULT_WINDOW)
        self._tokens = LlamaBackend(ModelOptions(spec=None))
        self.tokenizer_id = self._tokens.tokenizer_id

    @property
    def context_window(self) -> int:
        return self._window

    def count_tokens(self, text: str) -> int:
        return self._tokens.count_tokens(text)

    def count_many(self, texts: Sequence[str]) -> list[int]:
        return self._tokens.count_many(texts)

    def stream(self, messages: list[Message], max_tokens: int) -> Iterator[str]:
        body = {"model": self.name, "messages": messages, "max_tokens": max_tokens, "temperature": 0, "stream": True}
        with self._send("/chat/completions", body) as response:
            yield from _deltas(response, self.url)

    def _model_card(self, wanted: str) -> dict[str, Any]:
        with self._send("/models", None) as response:
            cards = json.load(response).get("data") or []
        for card in cards:
            if not wanted or card.get("id") == wanted:
                return card
        known = ", ".join(c.get("id", "?") for c in cards) or "none"
        raise ModelError(f"the server has no model {wanted!r} (it has: {known})", source=self.url)

    def _send(self, path: str, body: dict[str, Any] | None) -> Any:
        for attempt in range(RETRIES):
            try:
                return urllib.request.urlopen(self._request(path, body), timeout=TIMEOUT_S)
            except urllib.error.HTTPError as e:
                if e.code not in RETRYABLE or attempt == RETRIES - 1:
                    raise _http_error(e, self.url) from e
                time.sleep(_wait(e, attempt))
            except (urllib.error.URLError, TimeoutError, OSError) as e:
                raise _connection_error(e, self.url) from e
        raise AssertionError("unreachable: the last attempt raises")

    def _request(self, path: str, body: dict[str, Any] | None) -> urllib.request.Request:
        headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        data = json.dumps(body).encode() if body is not None else None
        return urllib.request.Request(self.url + path, data=data, headers=headers)


def _deltas(response: Any, url: str) -> Iterator[str]:
    """The text of each server-sent event; a stream that stops before `[DONE]` was dropped."""
    try:
        for raw in response:
            line = raw.decode("utf-8").strip()
            if not line.startswith("data:"):
                continue
            data = line.removeprefix("data:").strip()
            if data == "[DONE]":
                return
            choices = json.loads(data).get("choices") or [{}]
            text = (choices[0].get("delta") or {}).get("content")
            if text:
                yield text
    except (OSError, http.client.HTTPException, json.JSONDecodeError) as e:
        raise ModelError(f"the answer stream broke off ({e})", source=url) from e
    raise ModelError("the server closed the stream before the answer ended", source=url)


def _wait(error: urllib.error.HTTPError, attempt: int) -> float:
    after = error.headers.get("Retry-After", "")
    return float(after) if after.replace(".", "", 1).isdigit() else BACKOFF_S * 2**attempt


def _http_error(error: urllib.error.HTTPError, url: str) -> ModelError:
    if error.code in (401, 403):
        hint = "set OPENAI_API_KEY or LECTO_API_KEY"
        return ModelError(f"the server refused the API key (HTTP {error.code})", source=url, hint=hint)
    return ModelError(f"the server answered HTTP {error.code} {error.reason}", source=url)


def _connection_error(error: Exception, url: str) -> ModelError:
    reason = getattr(error, "reason", error)
    if isinstance(reason, ConnectionRefusedError):
        return ModelError("connection refused", source=url, hint="is the server running?")
    if isinstance(reason, TimeoutError | socket.timeout):
        return ModelError(f"no answer within {TIMEOUT_S:.0f} s", source=url)
    return ModelError(f"cannot reach the server ({reason})", source=url)


def _claims(spec: str | None) -> bool:
    return spec is not None and spec.startswith(PREFIX)


register_backend("openai", _claims)(OpenAIBackend)
