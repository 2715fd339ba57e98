"""A real HTTP server on 127.0.0.1 for the tests (a webhook receiver, a stand-in for Stripe, a front for
the browser): one handler class served from daemon threads, started and stopped at will."""

from __future__ import annotations

import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class LoopbackServer:
    """`port` 0 picks a free one; after `stop()`, `start()` again listens on the same port. With `tls`,
    the server speaks HTTPS with that context's certificate."""

    handler: type[BaseHTTPRequestHandler]
    port: int = 0
    tls: ssl.SSLContext | None = None
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LoopbackServer:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        server.daemon_threads = True  # a request left hanging on purpose never holds the stop up
        if self.tls is not None:
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        self.port, self._server = server.server_address[1], server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Down: the port refuses connections until `start()` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
