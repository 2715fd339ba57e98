"""API keys: `ffk_test_…` / `ffk_live_…` + 32 base62 characters (≈ 190 random bits); only a SHA-256 of a key
is stored."""

from __future__ import annotations

import hashlib
import re
import secrets

KEY_PATTERN = re.compile(r"^ffk_(test|live)_[A-Za-z0-9]{32}$")
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
KEY_ID_LENGTH = 16  # "ffk_test_" + 7 characters: shown in listings and used to revoke a key


def new_key(sandbox: bool) -> str:
    """32 characters of base62 ≈ 190 bits of randomness after the prefix."""
    prefix = "ffk_test_" if sandbox else "ffk_live_"
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(32))


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id(key: str) -> str:
    return key[:KEY_ID_LENGTH]


def is_well_formed(key: str) -> bool:
    return bool(KEY_PATTERN.match(key))
