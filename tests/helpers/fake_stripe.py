"""A stand-in for Stripe's API on 127.0.0.1, for the pay route and the browser test: stripe's own
HTTP client talks to it through STRIPE_API_BASE (no network). It records each Checkout Session
request and serves a page at the session's URL, as Checkout would, and records each Refund request."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

from tests.helpers.http_server import LoopbackServer


@dataclass
class SessionRequest:
    params: dict[str, str]  # form fields as stripe sends them, e.g. "line_items[0][quantity]"
    authorization: str
    idempotency_key: str | None


@dataclass
class FakeStripe:
    base_url: str = ""
    sessions: list[SessionRequest] = field(default_factory=list)
    refunds: list[SessionRequest] = field(default_factory=list)  # Refund API requests, same shape
    fail_with: int | None = None  # answer every API call with this status (a Stripe outage)
    _server: LoopbackServer | None = None

    def start(self) -> FakeStripe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                if self.path not in ("/v1/checkout/sessions", "/v1/refunds"):
                    return self._send(404, b'{"error": {"type": "invalid_request_error"}}', "application/json")
                if fake.fail_with:
                    error = {"error": {"type": "api_error", "message": "fake outage"}}
                    return self._send(fake.fail_with, json.dumps(error).encode(), "application/json")
                if self.path == "/v1/refunds":
                    return self._refund(form)
                fake.sessions.append(SessionRequest(form, self.headers.get("Authorization", ""),
                                                    self.headers.get("Idempotency-Key")))
                session_id = f"cs_test_fake{len(fake.sessions):04d}"
                session = {"id": session_id, "object": "checkout.session", "mode": "payment",
                           "url": f"{fake.base_url}/c/pay/{session_id}", "payment_status": "unpaid",
                           "client_reference_id": form.get("client_reference_id"),
                           "amount_total": int(form.get("line_items[0][price_data][unit_amount]", 0))}
                return self._send(200, json.dumps(session).encode(), "application/json")

            def _refund(self, form: dict[str, str]) -> None:
                """As Stripe: a repeated idempotency key answers the first refund again."""
                key = self.headers.get("Idempotency-Key")
                earlier = [i for i, r in enumerate(fake.refunds) if key and r.idempotency_key == key]
                if not earlier:
                    fake.refunds.append(SessionRequest(form, self.headers.get("Authorization", ""), key))
                number = (earlier or [len(fake.refunds) - 1])[0] + 1
                refund = {"id": f"re_test_fake{number:04d}", "object": "refund", "status": "pending",
                          "amount": int(form.get("amount", 0)), "payment_intent": form.get("payment_intent"),
                          "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}}
                return self._send(200, json.dumps(refund).encode(), "application/json")

            def do_GET(self):
                if self.path.startswith("/c/pay/"):
                    page = ("<!DOCTYPE html><html lang='en'><title>Fake Stripe Checkout</title>"
                            f"<h1>Fake Stripe Checkout</h1><p>{self.path.rsplit('/', 1)[-1]}</p></html>")
                    return self._send(200, page.encode(), "text/html; charset=utf-8")
                return self._send(404, b"", "text/plain")

        self._server = LoopbackServer(Handler).start()
        self.base_url = self._server.base_url
        return self

    def stop(self) -> None:
        if self._server:
            self._server.stop()


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header as Stripe computes it: HMAC-SHA256 of "<t>.<payload>"."""
    timestamp = timestamp or int(time.time())
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"
