"""What the public page, the Pay button, the PDF and the send need besides the invoice: the seller's
profile and the client (for the locale, the address and the contacts), in one BatchGetItem."""

from __future__ import annotations

from typing import Any

from fastfaktura.store import db, keys


def seller_and_client(business_id: str, client_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The business profile item and the client item (either None when absent): one round trip."""
    pk = keys.business_pk(business_id)
    found = {item["SK"]: item for item in db.batch_get([(pk, keys.PROFILE_SK), (pk, keys.client_sk(client_id))])}
    return found.get(keys.PROFILE_SK), found.get(keys.client_sk(client_id))


def seller_and_clients(business_id: str, client_ids: list[str]) -> tuple[dict[str, Any] | None,
                                                                           dict[str, dict[str, Any]]]:
    """The profile and the clients of a page of invoices, by client id: one BatchGetItem (two beyond 99
    distinct clients)."""
    pk = keys.business_pk(business_id)
    wanted = [(pk, keys.PROFILE_SK)] + [(pk, keys.client_sk(client_id)) for client_id in dict.fromkeys(client_ids)]
    found = [item for start in range(0, len(wanted), 100) for item in db.batch_get(wanted[start:start + 100])]
    profile = next((item for item in found if item["SK"] == keys.PROFILE_SK), None)
    return profile, {item["client_id"]: item for item in found if item["SK"] != keys.PROFILE_SK}
