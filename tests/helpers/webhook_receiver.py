"""A webhook receiver for the tests: a real HTTP server on loopback that answers what it is told."""

from __future__ import annotations

import http.server
import json
from dataclasses import dataclass, field

from tests.helpers.http_server import LoopbackServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next status of `answers` (then 200), and keeps what it received."""

    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    _server: LoopbackServer | None = None

    @property
    def port(self) -> int:
        return self._server.port if self._server else 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> Receiver:
        if self._server is None:
            self._server = LoopbackServer(self._handler())
        self._server.start()
        return self

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    def stop(self) -> None:
        """Down: the port refuses connections until `start()` again (on the same port)."""
        if self._server:
            self._server.stop()

    def types(self) -> list[str]:
        return [r.event["type"] for r in self.received]
