"""What the public page, the Pay button, the PDF and the send need besides the invoice: the seller's
profile and the client (for the locale, the address and the contacts), in one BatchGetItem, or as the
invoice froze them at its first send (an issued invoice never changes: a later profile or client
update reaches new documents only)."""

from __future__ import annotations

from typing import Any

from fastfaktura.store import db, keys
from fastfaktura.store.invoices import StoredInvoice

Parties = tuple[dict[str, Any] | None, dict[str, Any] | None]


def seller_and_client(business_id: str, client_id: str) -> Parties:
    """The business profile item and the client item (either None when absent): one round trip."""
    pk = keys.business_pk(business_id)
    found = {item["SK"]: item for item in db.batch_get([(pk, keys.PROFILE_SK), (pk, keys.client_sk(client_id))])}
    return found.get(keys.PROFILE_SK), found.get(keys.client_sk(client_id))


def frozen(profile: dict[str, Any], client: dict[str, Any] | None) -> dict[str, Any]:
    """The invoice attributes that freeze the parties as they are now (written with draft → sent)."""
    return {"frozen_seller": _without_keys(profile), "frozen_client": _without_keys(client) if client else None}


def issued(invoice: StoredInvoice) -> Parties | None:
    """The parties the invoice was issued to and from; None while it was never sent."""
    return (invoice.frozen_seller, invoice.frozen_client) if invoice.frozen_seller is not None else None


def printed(invoice: StoredInvoice) -> Parties:
    """The parties its documents show: frozen once issued (no read), else as they are now."""
    return issued(invoice) or seller_and_client(invoice.business_id, invoice.client_id)


def _without_keys(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in ("PK", "SK") and not name.startswith("GSI")}
