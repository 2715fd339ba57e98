"""What the public page and the Pay button need besides the invoice: the seller's profile and the
client (for the locale and the address), in one BatchGetItem."""

from __future__ import annotations

import time
from typing import Any

from fastfaktura.domain.errors import ServiceUnavailable
from fastfaktura.store import db, keys


def seller_and_client(business_id: str, client_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The business profile item and the client item (either None when absent): one round trip."""
    profile_key = db.key(keys.business_pk(business_id), keys.PROFILE_SK)
    client_key = db.key(keys.business_pk(business_id), keys.client_sk(client_id))
    request = {db.table_name(): {"Keys": [profile_key, client_key]}}
    found: dict[str, dict[str, Any]] = {}
    for attempt in range(6):
        answer = db.client().batch_get_item(RequestItems=request)
        for item in answer["Responses"].get(db.table_name(), []):
            plain = db.from_item(item)
            found[plain["SK"]] = plain
        request = answer.get("UnprocessedKeys") or {}
        if not request:
            return found.get(keys.PROFILE_SK), found.get(keys.client_sk(client_id))
        time.sleep(0.01 * 2**attempt)
    raise ServiceUnavailable("the service is busy, please retry", headers={"Retry-After": "1"})
