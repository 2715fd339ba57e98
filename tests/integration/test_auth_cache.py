"""The per-container API-key cache: bounded (least recently used out first), a hit for at most 60 s,
and a miss remembered only briefly, so that a key created a moment ago works at once."""

from __future__ import annotations

import pytest
from fastfaktura.domain import api_keys
from fastfaktura.services import auth


@pytest.fixture(autouse=True)
def empty_cache():
    auth._cache.clear()
    yield
    auth._cache.clear()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(auth, "_monotonic", clock)
    return clock


def test_a_miss_is_forgotten_after_the_negative_ttl(business, clock):
    from fastfaktura.store import businesses

    key = api_keys.new_key(True)
    assert auth._lookup(key) is None
    # the same key now stored (as `create-key` does a moment after a failed try)
    businesses.add_api_key(business.business.id, True, api_keys.key_hash(key), api_keys.key_id(key),
                           business.business.created_at)
    assert auth._lookup(key) is None  # still the remembered miss
    clock.now += auth.NEGATIVE_CACHE_SECONDS + 0.1
    assert auth._lookup(key).business_id == business.business.id


def test_a_hit_is_kept_for_the_cache_seconds_then_read_again(business, clock, monkeypatch):
    assert auth._lookup(business.api_key).business_id == business.business.id
    reads = []
    monkeypatch.setattr(auth.businesses, "find_api_key", lambda digest: reads.append(digest))
    clock.now += auth.CACHE_SECONDS - 1
    assert auth._lookup(business.api_key) is not None and reads == []
    clock.now += 2
    assert auth._lookup(business.api_key) is None and len(reads) == 1  # revoked/absent now: refused


def test_the_cache_is_bounded(business, clock, monkeypatch):
    monkeypatch.setattr(auth, "CACHE_ENTRIES", 5)
    monkeypatch.setattr(auth.businesses, "find_api_key", lambda digest: None)
    for _ in range(12):
        auth._lookup(api_keys.new_key(True))
    assert len(auth._cache) == 5
