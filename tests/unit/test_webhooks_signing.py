"""`FastFaktura-Signature` made and verified, with the rotation's second `v1=`."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from pathlib import Path

import pytest
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
    with pytest.raises(ValueError):
        signature_header([], BODY, NOW)


def test_the_readme_verification_example_agrees_with_the_signer():
    """The README's standard-library example is the code receivers copy: it must accept what we send
    (also during a rotation) and refuse a changed body, another secret and an old timestamp."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Webhooks\n", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(code.strip().splitlines()) <= 10
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    readme_verify = namespace["verify"]
    now = int(time.time())
    assert readme_verify(signature_header(["whsec_a"], BODY, now), BODY, "whsec_a")
    assert readme_verify(signature_header(["whsec_b", "whsec_a"], BODY, now), BODY, "whsec_a")
    assert not readme_verify(signature_header(["whsec_a"], BODY, now), BODY + b"x", "whsec_a")
    assert not readme_verify(signature_header(["whsec_a"], BODY, now), BODY, "whsec_b")
    assert not readme_verify(signature_header(["whsec_a"], BODY, now - 301), BODY, "whsec_a")
