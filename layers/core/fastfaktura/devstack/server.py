"""The HTTP front of the local stack: each request becomes the HTTP API's payload v2.0 event and goes
to the function that template.yaml routes it to; the answer goes back as API Gateway would send it."""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fastfaktura.devstack.runtime import http_answer, new_request_id, route_request

log = logging.getLogger("fastfaktura.devstack.server")

MAX_PAYLOAD_BYTES = 10 * 1024 * 1024    # API Gateway's limit for an HTTP API request
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"}


class ApiRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "FastFaktura local"

    def _handle(self) -> None:
        started = time.monotonic()
        request_id = new_request_id()
        try:
            body = self._read_body()
        except _BodyError as exc:
            self._send(*_error(exc.status, exc.type, exc.message, request_id), started=started)
            return
        headers: dict[str, str] = {}
        for name, value in self.headers.items():    # repeated headers are joined, as API Gateway does
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        domain = headers.get("host", "127.0.0.1").rsplit(":", 1)[0]
        try:
            event, result = route_request(self.command, self.path, headers, body, domain=domain)
            status, answer_headers, payload = http_answer(result)
            cookies = result.get("cookies", []) if isinstance(result, dict) else []
            answer_headers.pop("set-cookie", None)
            answer_headers.setdefault("apigw-requestid", event["requestContext"]["requestId"])
        except Exception:
            # API Gateway answers 500 when a function fails; here it is the contract's JSON, and
            # the traceback goes to the console of the developer, not to the client.
            traceback.print_exc(file=sys.stderr)
            status, answer_headers, payload = _error(500, "internal_error", "an internal error occurred",
                                                     request_id)
            cookies = []
        self._send(status, answer_headers, payload, cookies, started=started)

    def __getattr__(self, name: str):
        """Every method goes to the router (API Gateway hands unknown ones to `$default`)."""
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library answers HTML here (malformed request lines and the like)."""
        self.close_connection = True
        type_ = {400: "invalid_request", 404: "not_found", 413: "payload_too_large"}.get(code, "invalid_request")
        text = message or self.responses.get(code, ("error",))[0]
        _status, headers, body = _error(code, type_ if code < 500 else "internal_error", text, new_request_id())
        self.send_response(code, text)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.send_header("connection", "close")
        self.end_headers()
        if getattr(self, "command", "") != "HEAD":
            self.wfile.write(body)

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_PAYLOAD_BYTES:
            self.close_connection = True
            raise _BodyError(413, "payload_too_large", f"the request is larger than {MAX_PAYLOAD_BYTES} bytes")
        return self.rfile.read(length) if length else None

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_PAYLOAD_BYTES:
                self.close_connection = True
                raise _BodyError(413, "payload_too_large", f"the request is larger than {MAX_PAYLOAD_BYTES} bytes")
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, status: int, headers: dict[str, str], body: bytes, cookies: list[str] | None = None, *,
              started: float) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        for cookie in cookies or []:
            self.send_header("set-cookie", cookie)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        elapsed_ms = (time.monotonic() - started) * 1000
        sys.stderr.write(f"{self.command} {self.path} → {status} ({elapsed_ms:.0f} ms)\n")

    def log_request(self, code="-", size="-") -> None:
        """Requests are logged once they are answered, with their duration (see _send)."""

    def log_error(self, format: str, *args) -> None:
        log.warning(format, *args)


class _BodyError(Exception):
    def __init__(self, status: int, type_: str, message: str):
        super().__init__(message)
        self.status, self.type, self.message = status, type_, message


def _error(status: int, type_: str, message: str, request_id: str) -> tuple[int, dict[str, str], bytes]:
    body = {"error": {"type": type_, "message": message, "details": [], "request_id": request_id}}
    return status, {"content-type": "application/json"}, json.dumps(body).encode()


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    """The listen backlog (socketserver's default is 5): 50 clients connecting at once are all answered,
    as API Gateway would, instead of some being reset before a thread accepts them."""

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up mid-answer is not worth a traceback."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


def make_server(port: int, host: str = "127.0.0.1") -> ApiServer:
    return ApiServer((host, port), ApiRequestHandler)
