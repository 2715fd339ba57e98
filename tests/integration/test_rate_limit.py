"""A per-business request budget: one conditional UpdateItem per authenticated request; beyond the
budget of the minute, 429 `rate_limited` with Retry-After, and the request does nothing."""

from __future__ import annotations

import pytest
from fastfaktura import settings

from tests.helpers.api import Api, assert_error


@pytest.fixture
def budget(monkeypatch):
    monkeypatch.setenv("BUSINESS_REQUESTS_PER_MINUTE", "3")
    settings.get.cache_clear()


def test_beyond_the_budget_a_business_gets_429_and_nothing_is_done(api, business, budget):
    assert [api.get("/api/v1/business").status for _ in range(3)] == [200, 200, 200]
    refused = api.post("/api/v1/clients", {"name": "Never written"})
    error = assert_error(refused, 429, "rate_limited")
    assert "3 requests a minute" in error["message"]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["cache-control"] == "no-store"


def test_each_business_has_its_own_budget(api, business, budget):
    from fastfaktura.services.business import create_business

    for _ in range(3):
        api.get("/api/v1/business")
    other = Api(create_business("Other", country="SE", locale="sv").api_key)
    assert other.get("/api/v1/business").status == 200


def test_a_bad_key_spends_no_business_budget(api, business, budget):
    for _ in range(5):
        assert Api("ffk_test_" + "A" * 32).get("/api/v1/business").status == 401
    assert api.get("/api/v1/business").status == 200
