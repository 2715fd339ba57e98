"""Endpoint signing secrets, derived rather than stored.

secret = `whsec_` + base64url(HMAC-SHA256(master key, business id | endpoint id | version)): 256 bits,
as unpredictable as the master key (a random 32 bytes or more, one per deployment, kept as an SSM
SecureString and read once per container). The endpoint item holds only `secret_version` and, after a
rotation, `rotated_at`, so neither the table, its backups nor its stream ever hold a secret; the delivery
function derives it again for each attempt. Rotating bumps the version (the previous one is version − 1).
Replacing the master key changes every endpoint's secret at once: that is the emergency brake, not the
way to rotate one endpoint.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from datetime import datetime, timedelta

PREFIX = "whsec_"
MIN_MASTER_KEY_BYTES = 32
ROTATION_OVERLAP = timedelta(hours=24)  # how long the previous secret keeps signing after a rotation
_CONTEXT = b"fastfaktura webhook signing secret v1"  # fixed forever: changing it changes every secret


def master_key_from_text(text: str) -> bytes:
    """The SSM parameter's value (base64 or base64url of ≥ 32 random bytes) → the key; a short or
    malformed value is a deployment error, raised at the first use rather than signing with a weak key."""
    try:
        key = base64.urlsafe_b64decode(text.strip().replace("+", "-").replace("/", "_") + "==")
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the webhook master key is not base64") from exc
    if len(key) < MIN_MASTER_KEY_BYTES:
        raise ValueError(f"the webhook master key has {len(key)} bytes, fewer than {MIN_MASTER_KEY_BYTES}")
    return key


def derive_secret(master_key: bytes, business_id: str, endpoint_id: str, version: int) -> str:
    if len(master_key) < MIN_MASTER_KEY_BYTES:
        raise ValueError(f"the webhook master key needs at least {MIN_MASTER_KEY_BYTES} bytes")
    if version < 1:
        raise ValueError("secret versions start at 1")
    message = b"|".join((_CONTEXT, business_id.encode(), endpoint_id.encode(), str(version).encode()))
    digest = hmac.new(master_key, message, hashlib.sha256).digest()
    return PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signing_secrets(master_key: bytes, business_id: str, endpoint_id: str, version: int,
                    rotated_at: datetime | None, now: datetime) -> list[str]:
    """The secrets that sign a delivery at `now`: the current one, then the previous one while the
    rotation is under 24 h old."""
    current = [derive_secret(master_key, business_id, endpoint_id, version)]
    if version > 1 and rotated_at is not None and now < rotated_at + ROTATION_OVERLAP:
        return [*current, derive_secret(master_key, business_id, endpoint_id, version - 1)]
    return current
