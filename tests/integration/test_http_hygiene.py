"""Headers every answer carries, and the body cap counted in bytes."""

from __future__ import annotations

import json

import pytest

from tests.helpers.api import assert_error
from tests.helpers.factories import make_invoice

HSTS = "max-age=63072000; includeSubDomains"


@pytest.mark.parametrize(("method", "path", "key"), [
    ("GET", "/api/v1/business", "default"), ("GET", "/api/v1/invoices?per_page=1", "default"),
    ("GET", "/api/v1/business", None), ("GET", "/api/v1/nowhere", "default"), ("GET", "/api/v1/openapi.json", None),
])
def test_every_api_answer_is_no_store_and_strict_transport(api, method, path, key):
    answer = api.request(method, path, key=key)
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["strict-transport-security"] == HSTS


def test_public_answers_carry_hsts_too(api, business):
    _, token = make_invoice(business.business.id)
    for answer in (api.get(f"/i/{token}", key=None), api.get("/i/" + "X" * 32, key=None)):
        assert answer.headers["strict-transport-security"] == HSTS


def test_the_body_cap_counts_bytes_not_characters(api):
    text = "é" * 600_000  # 600,000 characters, 1.2 MB of UTF-8
    answer = api.post("/api/v1/clients", raw=json.dumps({"name": "x", "notes": text}, ensure_ascii=False).encode())
    assert_error(answer, 413, "payload_too_large")


def test_a_body_just_under_the_cap_is_read(api):
    answer = api.post("/api/v1/clients", raw=json.dumps({"name": "x" * 999_980}).encode())
    assert answer.status == 422  # read and validated (the name is too long), not refused for its size
