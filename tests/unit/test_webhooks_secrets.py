"""Signing secrets derived from the deployment's master key: never stored, stable, rotated by version."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastfaktura.models.webhooks import SECRET_PATTERN
from fastfaktura.webhooks.secrets import derive_secret, master_key_from_text, signing_secrets

KEY = bytes(range(32))
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_a_secret_is_whsec_and_256_bits_and_matches_the_answer_pattern():
    secret = derive_secret(KEY, "biz", "we_1", 1)
    assert re.fullmatch(SECRET_PATTERN, secret)
    assert len(base64.urlsafe_b64decode(secret.removeprefix("whsec_") + "=")) == 32


def test_derivation_is_stable_and_differs_by_every_input():
    secret = derive_secret(KEY, "biz", "we_1", 1)
    assert derive_secret(KEY, "biz", "we_1", 1) == secret
    others = {derive_secret(bytes(32), "biz", "we_1", 1), derive_secret(KEY, "biz2", "we_1", 1),
              derive_secret(KEY, "biz", "we_2", 1), derive_secret(KEY, "biz", "we_1", 2)}
    assert secret not in others and len(others) == 4
    # the separator cannot be gamed: moving a character between ids changes the secret
    assert derive_secret(KEY, "bi", "zwe_1", 1) != derive_secret(KEY, "biz", "we_1", 1)


def test_a_weak_master_key_or_version_is_refused():
    with pytest.raises(ValueError):
        derive_secret(bytes(31), "biz", "we_1", 1)
    with pytest.raises(ValueError):
        derive_secret(KEY, "biz", "we_1", 0)


def test_master_key_from_the_parameter_text():
    text = base64.b64encode(bytes(range(200, 240))).decode()
    assert master_key_from_text(text + "\n") == bytes(range(200, 240))
    assert master_key_from_text(base64.urlsafe_b64encode(KEY).decode().rstrip("=")) == KEY
    for bad in [base64.b64encode(bytes(16)).decode(), "not base64 at all!", ""]:
        with pytest.raises(ValueError):
            master_key_from_text(bad)


def test_the_previous_secret_signs_for_24_hours_after_a_rotation():
    current, previous = derive_secret(KEY, "biz", "we_1", 3), derive_secret(KEY, "biz", "we_1", 2)
    rotated = NOW - timedelta(hours=23, minutes=59)
    assert signing_secrets(KEY, "biz", "we_1", 3, rotated, NOW) == [current, previous]
    assert signing_secrets(KEY, "biz", "we_1", 3, NOW - timedelta(hours=24), NOW) == [current]
    assert signing_secrets(KEY, "biz", "we_1", 1, None, NOW) == [derive_secret(KEY, "biz", "we_1", 1)]
