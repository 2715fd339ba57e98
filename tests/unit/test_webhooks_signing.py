"""`FastFaktura-Signature` made and verified, with the rotation's second `v1=`."""

from __future__ import annotations

import hashlib
import hmac

from fastfaktura.webhooks.signing import signature_header, verify

BODY = b'{"id":"evt_1","type":"invoice.paid"}'
NOW = 1_790_000_000


def test_header_is_t_then_v1_hmac_of_t_dot_body():
    header = signature_header(["whsec_a"], BODY, NOW)
    expected = hmac.new(b"whsec_a", f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert header == f"t={NOW},v1={expected}"


def test_a_rotation_signs_with_both_secrets_the_new_first():
    header = signature_header(["whsec_new", "whsec_old"], BODY, NOW)
    assert header.count("v1=") == 2
    assert header.split(",")[1] == signature_header(["whsec_new"], BODY, NOW).split(",")[1]
    assert verify(header, BODY, "whsec_new", now=NOW) and verify(header, BODY, "whsec_old", now=NOW)
    assert not verify(header, BODY, "whsec_other", now=NOW)


def test_verify_refuses_a_changed_body_or_secret():
    header = signature_header(["whsec_a"], BODY, NOW)
    assert verify(header, BODY, "whsec_a", now=NOW)
    assert not verify(header, BODY + b" ", "whsec_a", now=NOW)
    assert not verify(header, BODY, "whsec_b", now=NOW)


def test_verify_refuses_a_timestamp_outside_the_tolerance():
    header = signature_header(["whsec_a"], BODY, NOW)
    assert verify(header, BODY, "whsec_a", tolerance=300, now=NOW + 300)
    assert not verify(header, BODY, "whsec_a", tolerance=300, now=NOW + 301)
    assert not verify(header, BODY, "whsec_a", tolerance=300, now=NOW - 301)


def test_verify_refuses_malformed_headers():
    good = signature_header(["whsec_a"], BODY, NOW)
    v1 = good.split(",")[1]
    for header in ["", v1, f"t=abc,{v1}", f"t={NOW}", f"t=-{NOW},{v1}", "garbage"]:
        assert not verify(header, BODY, "whsec_a", now=NOW), header
    # a replayed signature under another timestamp is not valid
    assert not verify(f"t={NOW + 1},{v1}", BODY, "whsec_a", now=NOW)


def test_signing_needs_a_secret():
    import pytest

    with pytest.raises(ValueError):
        signature_header([], BODY, NOW)
