"""`FastFaktura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.

During a rotation the header carries one `v1=` entry per secret (the new one first, then the previous
one for 24 h), so a receiver that still holds the old secret keeps verifying while it switches over.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

HEADER = "FastFaktura-Signature"
DEFAULT_TOLERANCE_SECONDS = 300  # how old (or how far ahead) `t` may be: refuses replays of old requests


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secrets: Sequence[str], body: bytes, timestamp: int) -> str:
    """The header's value for `body` sent at `timestamp`, one `v1=` per secret, in the order given."""
    if not secrets:
        raise ValueError("at least one secret signs")
    return ",".join([f"t={timestamp}", *(f"v1={signature(secret, timestamp, body)}" for secret in secrets)])


def verify(header: str, body: bytes, secret: str, tolerance: int = DEFAULT_TOLERANCE_SECONDS,
           now: float | None = None) -> bool:
    """True when one `v1=` entry is `secret`'s signature of `body` and `t` is within `tolerance` seconds
    of `now`: what a receiver does with the raw body, before parsing it."""
    timestamp, candidates = None, []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            candidates.append(value)
    if timestamp is None or abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
