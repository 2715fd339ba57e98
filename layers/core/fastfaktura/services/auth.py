"""API key → caller, with a per-container cache: a found key for at most 60 s (so a revoked key stops
within 60 s), a miss for 5 s (a key created a moment ago works at once, and a flood of bad keys still
costs few reads), at most 1,000 keys (least recently used out first), so that it cannot grow without
bound."""

from __future__ import annotations

import time
from collections import OrderedDict

from fastfaktura import settings as environment
from fastfaktura.domain import api_keys
from fastfaktura.domain.errors import AuthenticationFailed, RateLimited
from fastfaktura.models.request import Caller
from fastfaktura.store import businesses, request_budgets

CACHE_SECONDS = 60.0
NEGATIVE_CACHE_SECONDS = 5.0
CACHE_ENTRIES = 1000
_cache: OrderedDict[str, tuple[float, Caller | None]] = OrderedDict()
_monotonic = time.monotonic


def presented_key(headers: dict[str, str]) -> str | None:
    """`X-Api-Key: ffk_…` or `Authorization: Bearer ffk_…` (header names are lower-case in v2.0). Both may
    be sent only with the same key: credentials that disagree, or a malformed one beside a good one, are
    refused rather than resolved by picking one of them."""
    presented = set()
    if "x-api-key" in headers:
        presented.add(headers["x-api-key"].strip())
    if "authorization" in headers:
        scheme, _, token = headers["authorization"].strip().partition(" ")
        presented.add(token.strip() if scheme.lower() == "bearer" else "")
    key = presented.pop() if len(presented) == 1 else None
    return key or None


def authenticate(headers: dict[str, str]) -> Caller:
    """Every failure answers the same 401, so that unknown, malformed and revoked keys look alike. A
    known key then spends one request of its business's budget of the minute (429 beyond it), so one
    business cannot take the API's shared throttle from the others."""
    key = presented_key(headers)
    caller = _lookup(key) if key and api_keys.is_well_formed(key) else None
    if caller is None:
        raise AuthenticationFailed("a valid API key is required (X-Api-Key or Authorization: Bearer)")
    limit = environment.get().requests_per_minute
    if limit:
        try:
            request_budgets.take(caller.business_id, limit, time.time())
        except request_budgets.BudgetSpent as exc:
            raise RateLimited(f"this business has used its {limit} requests a minute; retry in {exc.retry_after} s",
                              headers={"Retry-After": str(exc.retry_after)}) from None
    return caller


def _lookup(key: str) -> Caller | None:
    digest = api_keys.key_hash(key)
    now = _monotonic()
    cached = _cache.get(digest)
    if cached and cached[0] > now:
        _cache.move_to_end(digest)
        return cached[1]
    item = businesses.find_api_key(digest)
    caller = None
    if item and not item.get("revoked_at"):
        caller = Caller(business_id=item["business_id"], sandbox=bool(item["sandbox"]), key_id=item["key_id"])
    _cache[digest] = (now + (CACHE_SECONDS if caller else NEGATIVE_CACHE_SECONDS), caller)
    _cache.move_to_end(digest)
    while len(_cache) > CACHE_ENTRIES:
        _cache.popitem(last=False)
    return caller
