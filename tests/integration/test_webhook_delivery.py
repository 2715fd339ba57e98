"""Delivery attempts against a real HTTP receiver on loopback: signatures, retries with the same event
id, the timeout, redirects, the body cap, DNS rebinding, and TLS pinned to the checked address."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import random
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from fastfaktura.webhooks import attempt
from fastfaktura.webhooks.attempt import DEFAULT_TIMEOUT_SECONDS, TIMEOUT, deliver, post
from fastfaktura.webhooks.events import body, envelope, webhook_events_of_change
from fastfaktura.webhooks.schedule import FAST_RETRIES_SCALE, next_delay
from fastfaktura.webhooks.secrets import derive_secret, signing_secrets
from fastfaktura.webhooks.signing import HEADER, verify
from fastfaktura.webhooks.ssrf import Target

from tests.helpers.http_server import LoopbackServer

KEY = bytes(range(32))
BID, IID = "0195a1b2-0000-7000-8000-000000000001", "0195a1b2-0000-7000-8000-000000000002"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the receiver answers, one behaviour per request (the last one repeats), and what it got."""

    url: str = ""
    port: int = 0
    behaviours: list[str] = field(default_factory=lambda: ["200"])
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def _handler(receiver: Receiver) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(Received(self.path, dict(self.headers), data))
            behaviour = receiver.behaviours[min(len(receiver.received), len(receiver.behaviours)) - 1]
            if behaviour == "hang":
                receiver.release.wait(30)
                return
            if behaviour == "drip":  # headers, then one byte of body a time: per-read timeouts never fire
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                for _ in range(100):
                    if receiver.release.wait(0.2):
                        return
                    self.wfile.write(b"x")
                    self.wfile.flush()
                return
            if behaviour == "redirect":
                self.send_response(302)
                self.send_header("Location", f"{receiver.url}/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if behaviour == "huge":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                try:
                    for _ in range(50 * 1024):
                        self.wfile.write(b"y" * 1024)
                except OSError:  # the client stopped reading: what the cap is for
                    pass
                return
            answer = b'{"ok": true}'
            self.send_response(int(behaviour))
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    server = LoopbackServer(_handler(state)).start()
    state.port, state.url = server.port, server.base_url
    yield state
    state.release.set()
    server.stop()


def _event_body() -> bytes:
    [event] = webhook_events_of_change("INSERT", {}, {
        "PK": f"BIZ#{BID}#INV#{IID}", "SK": "INVOICE", "status": "draft", "number": "F-0001",
        "total_cents": 1200, "currency": "EUR", "created_at": "2026-12-01T10:00:00Z"})
    return body(envelope(event, True, {"id": IID, "number": "F-0001", "status": "draft"}))


def _deliver(receiver: Receiver, secrets: list[str], **kwargs) -> attempt.AttemptResult:
    return deliver(f"{receiver.url}/hooks/ff", _event_body(), secrets, allow_local_http=True, **kwargs)


def test_the_signature_verifies_on_the_receiver(receiver):
    secret = derive_secret(KEY, BID, "we_1", 1)
    result = _deliver(receiver, [secret])
    assert (result.status_code, result.error, result.delivered) == (200, None, True)
    assert result.response_body == b'{"ok": true}' and 0 <= result.duration_ms < 5000
    [got] = receiver.received
    assert got.path == "/hooks/ff" and got.headers["Content-Type"] == "application/json"
    assert verify(got.headers[HEADER], got.body, secret, tolerance=300)
    assert not verify(got.headers[HEADER], got.body, derive_secret(KEY, BID, "we_1", 2))
    assert json.loads(got.body)["type"] == "invoice.created"


def test_during_a_rotation_both_secrets_verify(receiver):
    rotated_at = datetime.now(UTC) - timedelta(hours=1)
    _deliver(receiver, signing_secrets(KEY, BID, "we_1", 2, rotated_at, datetime.now(UTC)))
    [got] = receiver.received
    for version in (1, 2):
        assert verify(got.headers[HEADER], got.body, derive_secret(KEY, BID, "we_1", version))


def test_500_500_200_is_three_attempts_of_the_same_event(receiver):
    """Retried on the (fast) schedule until a 2xx: the receiver sees one event id three times, the
    same bytes each time, each with its own fresh signature."""
    receiver.behaviours = ["500", "500", "200"]
    secret, rng, first = derive_secret(KEY, BID, "we_1", 1), random.Random(3), datetime.now(UTC)
    results = []
    while True:
        results.append(_deliver(receiver, [secret]))
        if results[-1].delivered:
            break
        delay = next_delay(len(results), first, datetime.now(UTC), scale=FAST_RETRIES_SCALE, rng=rng)
        assert delay is not None
        time.sleep(delay)
    assert [(r.status_code, r.error) for r in results] == [(500, "HTTP 500"), (500, "HTTP 500"), (200, None)]
    assert len({json.loads(got.body)["id"] for got in receiver.received}) == 1
    assert len({got.body for got in receiver.received}) == 1
    assert all(verify(got.headers[HEADER], got.body, secret) for got in receiver.received)


def test_a_hanging_receiver_is_cut_at_the_timeout(receiver):
    receiver.behaviours = ["hang"]
    result = _deliver(receiver, ["whsec_x"], timeout=1.0)
    assert (result.status_code, result.error) == (None, TIMEOUT)
    assert 1000 <= result.duration_ms < 2500


def test_a_receiver_dripping_its_answer_is_cut_at_the_timeout_too(receiver):
    receiver.behaviours = ["drip"]
    result = _deliver(receiver, ["whsec_x"], timeout=1.0)
    assert result.error == TIMEOUT and not result.delivered
    assert 1000 <= result.duration_ms < 2500


def test_the_default_timeout_is_10_seconds(receiver):
    assert DEFAULT_TIMEOUT_SECONDS == 10.0
    receiver.behaviours = ["hang"]
    result = _deliver(receiver, ["whsec_x"])
    assert result.error == TIMEOUT
    assert 10_000 <= result.duration_ms < 12_000


def test_redirects_are_not_followed(receiver):
    receiver.behaviours = ["redirect", "200"]
    result = _deliver(receiver, ["whsec_x"])
    assert (result.status_code, result.error, result.delivered) == (302, "redirect not followed", False)
    assert [got.path for got in receiver.received] == ["/hooks/ff"]  # nothing asked for /elsewhere


def test_the_body_read_back_is_capped(receiver):
    receiver.behaviours = ["huge"]
    result = _deliver(receiver, ["whsec_x"])
    assert (result.status_code, result.delivered) == (200, True)
    assert result.response_body == b"y" * attempt.DEFAULT_BODY_CAP
    assert result.duration_ms < 5000


def test_a_receiver_that_is_down_is_connection_refused(receiver):
    url = receiver.url
    receiver.release.set()
    result = deliver(url.rsplit(":", 1)[0] + ":1/hooks", _event_body(), ["whsec_x"], allow_local_http=True)
    assert (result.status_code, result.error) == (None, "connection refused")


def test_a_name_rebound_to_a_private_address_after_registration_is_refused_without_connecting(receiver):
    result = deliver("https://hooks.example.com/in", _event_body(), ["whsec_x"],
                     resolve=lambda host, port: ["127.0.0.1"])
    assert result.status_code is None and result.error.startswith("refused: url has a host that resolves to")
    assert receiver.received == []


def test_live_delivery_to_http_loopback_is_refused(receiver):
    result = deliver(f"{receiver.url}/hooks", _event_body(), ["whsec_x"])  # no local-stack flag
    assert result.error.startswith("refused: url must be an https URL") and receiver.received == []


# --- TLS to the checked address, with the endpoint's name as SNI, certificate name and Host -------------

@pytest.fixture
def tls_receiver(receiver, tmp_path) -> Iterator[tuple[Receiver, ssl.SSLContext]]:
    """An HTTPS receiver on loopback whose certificate names hooks.example.com (a name that resolves
    nowhere here): it is reached only through the address given, and only if SNI and the name match."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hooks.example.com")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("hooks.example.com")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    server = LoopbackServer(_handler(receiver), tls=server_context).start()
    receiver.port = server.port
    client_context = ssl.create_default_context(cafile=str(cert_file))
    yield receiver, client_context
    server.stop()


def test_https_goes_to_the_checked_address_with_the_name_for_tls_and_host(tls_receiver):
    receiver, context = tls_receiver
    target = Target("https", "hooks.example.com", receiver.port, "/in", ("127.0.0.1",))
    result = post(target, b"{}", "t=1,v1=00", tls_context=context)
    assert (result.status_code, result.error) == (200, None)
    assert receiver.received[0].headers["Host"] == f"hooks.example.com:{receiver.port}"


def test_https_refuses_a_certificate_for_another_name(tls_receiver):
    receiver, context = tls_receiver
    target = Target("https", "other.example.com", receiver.port, "/in", ("127.0.0.1",))
    result = post(target, b"{}", "t=1,v1=00", tls_context=context)
    assert result.status_code is None and result.error.startswith("TLS error")
    assert receiver.received == []
