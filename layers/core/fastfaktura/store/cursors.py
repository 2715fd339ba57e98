"""Opaque list cursors, for every list of the API (`next_cursor` in, `?cursor=` out).

A cursor is the position of a Query — the key of the last item answered (its `LastEvaluatedKey`) —
signed for one list: base64url(JSON of the key's string attributes) `.` base64url(HMAC-SHA256 over the
list's scope and that JSON, 16 bytes). The scope names the list, the business and every filter, so a
cursor continues only the list it came from: another business's, another filter's, a tampered one or
anything else is refused (400) before any read. On top of the signature, the position must lie in the
list's own partition (`Scope.partition`), so even a leaked key could not point a Query elsewhere.

Any list uses it in three lines: build its `Scope`, `decode` the `cursor` into the Query's
ExclusiveStartKey (`store.pages.read_from`), `encode` the answer's last key into `next_cursor`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from fastfaktura import settings
from fastfaktura.domain.errors import InvalidRequest

_SIGNATURE_BYTES = 16
_MAX_CURSOR_CHARS = 2048
_CONTEXT = b"fastfaktura list cursor v1"  # fixed: changing it invalidates every cursor given out


@dataclass(frozen=True)
class Scope:
    """One list as a caller asked for it: `name` (e.g. "invoices"), the business, the filters that shape
    it (None values included: "no filter" is a filter too), the attributes of its Query's keys, and
    the values those keys must have in this list (its partition)."""

    name: str
    business_id: str
    key_attributes: tuple[str, ...]
    partition: dict[str, str]
    filters: dict[str, Any] = field(default_factory=dict)

    def canonical(self) -> bytes:
        return json.dumps([self.name, self.business_id, sorted(self.filters.items())], separators=(",", ":"),
                          default=str).encode()


def encode(position: dict[str, Any], scope: Scope) -> str:
    """The cursor of a Query position (a key in DynamoDB form: string attributes only)."""
    plain = {name: position[name]["S"] for name in scope.key_attributes}
    payload = json.dumps(plain, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(payload)}.{_b64(_signature(scope, payload))}"


def decode(cursor: str, scope: Scope) -> dict[str, Any]:
    """The Query position (DynamoDB form) a cursor of this list stands for; InvalidRequest (400) for
    anything else."""
    try:
        encoded_payload, encoded_signature = cursor.split(".")
        if len(cursor) > _MAX_CURSOR_CHARS:
            raise ValueError("too long")
        payload, signature = _unb64(encoded_payload), _unb64(encoded_signature)
    except (ValueError, binascii.Error) as exc:
        raise _refused() from exc
    if not hmac.compare_digest(signature, _signature(scope, payload)):
        raise _refused()
    plain = json.loads(payload)
    if (sorted(plain) != sorted(scope.key_attributes) or not all(isinstance(v, str) for v in plain.values())
            or any(plain[name] != value for name, value in scope.partition.items())):
        raise _refused()  # signed, yet not a position of this list: never read from it
    return {name: {"S": value} for name, value in plain.items()}


def _refused() -> InvalidRequest:
    return InvalidRequest("cursor is not a cursor of this list (use the next_cursor of the same list, "
                          "with the same filters)", [{"field": "cursor", "issue": "invalid_cursor", "value": None}])


def _signature(scope: Scope, payload: bytes) -> bytes:
    message = scope.canonical() + b"\n" + payload
    return hmac.new(_key(), message, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def _key() -> bytes:
    """The deployment's signing key (settings), bound to this use."""
    return hmac.new(settings.get().cursor_signing_key.encode(), _CONTEXT, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    if not text or not text.replace("-", "").replace("_", "").isalnum():
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:  # the unused bits of the last character are ours to set: one spelling only
        raise ValueError("not the canonical base64url")
    return data
