"""A language model behind the OpenAI-compatible chat-completions API.

`POST {base_url}/v1/chat/completions`, as Ollama, vLLM, llama.cpp's server and hosted services
answer it. Non-streaming answers one JSON body; streaming (`"stream": true`) answers
server-sent events, one `data: {json}` line per piece, ending with `data: [DONE]`. Every
failure (connection, HTTP status, time, an answer that is not the API's shape) raises a
`ProviderError` whose message names the kind of failure, never the text exchanged.
"""

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests


class ProviderError(RuntimeError):
    """The model gave no usable answer; the message says why in plain words, without text."""


class ProviderTimeout(ProviderError):
    pass


@dataclass(frozen=True)
class ChatProvider:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 30.0
    temperature: float = 0.2

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + "/v1/chat/completions"

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The model's whole answer to `messages`."""
        response = self._post(messages, stream=False)
        try:
            body = response.json()
            content = body["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise ProviderError("the model's answer was not a chat completion") from None
        if not isinstance(content, str):
            raise ProviderError("the model's answer held no text")
        return content

    def stream(self, messages: list[dict[str, str]]) -> str:
        """The model's answer to `messages`, read as it streams, within the same time limit."""
        return "".join(self.pieces(messages))

    def pieces(self, messages: list[dict[str, str]]) -> Iterator[str]:
        deadline = time.monotonic() + self.timeout
        response = self._post(messages, stream=True)
        try:
            for line in response.iter_lines():
                if time.monotonic() > deadline:
                    raise ProviderTimeout(f"the model took longer than {self.timeout:g} s")
                raw = line.decode("utf-8", errors="replace")
                if not raw.startswith("data:"):
                    continue
                data = raw[len("data:") :].strip()
                if data == "[DONE]":
                    return
                yield _delta(data)
        except requests.RequestException as exc:
            raise _failure(exc, self.timeout) from None
        finally:
            response.close()
        raise ProviderError("the model's stream ended before it was complete")

    def _post(self, messages: list[dict[str, str]], *, stream: bool) -> requests.Response:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": stream,
            "temperature": self.temperature,
        }
        try:
            response = requests.post(
                self.url, json=payload, headers=headers, timeout=self.timeout, stream=stream
            )
        except requests.RequestException as exc:
            raise _failure(exc, self.timeout) from None
        if response.status_code != 200:
            response.close()
            raise ProviderError(f"the model's server answered HTTP {response.status_code}")
        return response


def _delta(data: str) -> str:
    try:
        choice = json.loads(data)["choices"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        raise ProviderError("the model's stream held a piece that was not a chat chunk") from None
    piece = (choice.get("delta") or {}).get("content") if isinstance(choice, dict) else None
    return piece if isinstance(piece, str) else ""


def _failure(exc: requests.RequestException, timeout: float) -> ProviderError:
    if isinstance(exc, requests.Timeout):
        return ProviderTimeout(f"the model took longer than {timeout:g} s")
    return ProviderError(f"the model's server could not be reached ({type(exc).__name__})")
