"""A local server of the OpenAI-compatible chat-completions endpoint, run in a thread by tests.

`POST /v1/chat/completions` answers `server.reply` as one JSON completion, or, when the request
asks `"stream": true`, as server-sent events a few characters at a time. `server.mode` makes it
misbehave: "error" (HTTP 500), "slow" (waits `server.delay` seconds first), "malformed" (a body
or stream piece that is not JSON), "wrong-shape" (JSON that is not a completion), "cut-short"
(a stream that stops before `[DONE]`). Every request body it
received is kept in `server.requests`, to show what left.
"""

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ChatHandler)
        self.reply = "A draft."
        self.mode = "ok"
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def sent_text(self) -> str:
        """Everything the server was sent, as one text."""
        return json.dumps(self.requests)


class ChatHandler(BaseHTTPRequestHandler):
    server: ChatServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test's output is the test's."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        self.server.headers.append(dict(self.headers))
        if self.path != "/v1/chat/completions":
            self._send(404, b'{"error": "not found"}')
        elif self.server.mode == "error":
            self._send(500, b'{"error": "overloaded"}')
        elif self.server.mode == "malformed" and body.get("stream"):
            self._send(200, b'data: {"choices": [{"delta": \n\n')
        elif self.server.mode == "malformed":
            self._send(200, b'{"choices": [{"message": ')
        elif self.server.mode == "cut-short":
            self._send(200, b'data: {"choices": [{"delta": {"content": "Pt"}}]}\n\n')
        elif self.server.mode == "wrong-shape":
            self._send(200, json.dumps({"result": self.server.reply}).encode())
        else:
            if self.server.mode == "slow":
                time.sleep(self.server.delay)
            if body.get("stream"):
                self._stream(self.server.reply)
            else:
                completion = {
                    "choices": [{"message": {"role": "assistant", "content": self.server.reply}}]
                }
                self._send(200, json.dumps(completion).encode())

    def _send(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, text: str) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that gave up
            self._stream_pieces(text)

    def _stream_pieces(self, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for start in range(0, len(text), 7):
            chunk = {"choices": [{"delta": {"content": text[start : start + 7]}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")


@contextlib.contextmanager
def chat_server() -> Iterator[ChatServer]:
    server = ChatServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
