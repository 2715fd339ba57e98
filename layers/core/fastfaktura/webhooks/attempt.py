"""One delivery attempt: POST the event's bytes to a checked target, at most 10 s in all.

The connection goes to the address the SSRF guard checked (never a second DNS lookup), with the
endpoint's name as TLS SNI, certificate name and `Host`. Redirects are not followed (a 3xx is a failed
attempt), and at most `body_cap` bytes of the answer are read: a receiver cannot hold the delivery
function, nor make it fetch something else, nor fill its memory.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass

from fastfaktura.domain.errors import ValidationFailed
from fastfaktura.webhooks.signing import HEADER, signature_header
from fastfaktura.webhooks.ssrf import Resolver, Target, check_url, system_resolver

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_BODY_CAP = 4096
USER_AGENT = "FastFaktura-Webhooks/1.1"
TIMEOUT = "timeout: no complete answer in time"


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None  # None when no answer came back
    error: str | None  # None when delivered (a 2xx)
    duration_ms: int
    response_body: bytes = b""  # the answer's first `body_cap` bytes

    @property
    def delivered(self) -> bool:
        return self.error is None


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to `address` while TLS and `Host` use the name the connection was made for."""

    def __init__(self, host: str, port: int, address: str, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._tls = context

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)  # the watchdog's during TLS
        self.sock = self._tls.wrap_socket(self.sock, server_hostname=self.host)


def deliver(url: str, body: bytes, secrets: list[str], *, allow_local_http: bool = False,
            resolve: Resolver = system_resolver, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> AttemptResult:
    """One attempt to deliver an event's bytes: the URL is checked again (its name may resolve elsewhere
    since it was registered), then signed at this moment and posted, all within `timeout` seconds."""
    started = time.monotonic()
    try:
        target = check_url(url, allow_local_http=allow_local_http, resolve=resolve)
    except ValidationFailed as exc:
        return AttemptResult(None, f"refused: {exc.message}", _elapsed_ms(started))
    remaining = timeout - (time.monotonic() - started)
    if remaining <= 0:
        return AttemptResult(None, TIMEOUT, _elapsed_ms(started))
    result = post(target, body, signature_header(secrets, body, int(time.time())), timeout=remaining)
    return AttemptResult(result.status_code, result.error, _elapsed_ms(started), result.response_body)


def post(target: Target, body: bytes, signature: str, timeout: float = DEFAULT_TIMEOUT_SECONDS,
         body_cap: int = DEFAULT_BODY_CAP, tls_context: ssl.SSLContext | None = None) -> AttemptResult:
    """POST `body` (JSON) with its `FastFaktura-Signature`; a 2xx answer within `timeout` seconds,
    counted from the first byte of the connection to the last byte read, is delivered."""
    started = time.monotonic()
    address = target.addresses[0]
    if target.scheme == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
            target.host, target.port, address, timeout, tls_context or ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(address, target.port, timeout=timeout)
    # A watchdog closes the socket at the deadline: per-read timeouts alone let a receiver that drips
    # one byte a second hold the attempt for ever.
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        if connection.sock is not None:
            with contextlib.suppress(OSError):  # already closed
                connection.sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(timeout, cut)
    watchdog.daemon = True
    watchdog.start()
    status, answer, error = None, b"", None
    try:
        connection.request("POST", target.path, body=body, headers={
            "Content-Type": "application/json", "User-Agent": USER_AGENT, HEADER: signature,
            "Host": target.host if target.port in (80, 443) else f"{target.host}:{target.port}"})
        response = connection.getresponse()
        status = response.status
        answer = response.read(body_cap)
    except (OSError, http.client.HTTPException) as exc:
        error = _describe(exc)
    finally:
        watchdog.cancel()
        connection.close()
    duration_ms = _elapsed_ms(started)
    if expired.is_set():
        error = TIMEOUT
    elif error is None and status is not None and not 200 <= status < 300:
        error = "redirect not followed" if 300 <= status < 400 else f"HTTP {status}"
    return AttemptResult(status, error, duration_ms, answer)


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return TIMEOUT
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    return f"{type(exc).__name__}: {exc}"[:200]
