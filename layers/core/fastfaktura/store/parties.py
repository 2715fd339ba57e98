"""What the public page, the Pay button, the PDF and the send need besides the invoice: the seller's
profile and the client (for the locale, the address and the contacts), in one BatchGetItem, or as the
invoice froze them at its first send (an issued invoice never changes: a later profile or client
update reaches new documents only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastfaktura.store import db, keys
from fastfaktura.store.invoices import StoredInvoice

Parties = tuple[dict[str, Any] | None, dict[str, Any] | None]


def seller_and_client(business_id: str, client_id: str) -> Parties:
    """The business profile item and the client item (either None when absent): one round trip."""
    profile, clients = _seller_and_clients(business_id, [client_id])
    return profile, clients.get(client_id)


def printed_of_page(business_id: str, invoices: Sequence[StoredInvoice]) -> list[Parties]:
    """`printed` of each invoice of a page: the issued ones' frozen parties, the others' in one
    BatchGetItem (two beyond 99 distinct clients; none when every invoice of the page is issued)."""
    unissued = [invoice.client_id for invoice in invoices if issued(invoice) is None]
    profile, clients = _seller_and_clients(business_id, unissued) if unissued else (None, {})
    return [issued(invoice) or (profile, clients.get(invoice.client_id)) for invoice in invoices]


def _seller_and_clients(business_id: str, client_ids: list[str]) -> tuple[dict[str, Any] | None,
                                                                            dict[str, dict[str, Any]]]:
    pk = keys.business_pk(business_id)
    wanted = [(pk, keys.PROFILE_SK)] + [(pk, keys.client_sk(client_id)) for client_id in dict.fromkeys(client_ids)]
    found = {item["SK"]: item for start in range(0, len(wanted), 100)
             for item in db.batch_get(wanted[start:start + 100])}
    return found.get(keys.PROFILE_SK), {client_id: found[keys.client_sk(client_id)] for client_id in client_ids
                                        if keys.client_sk(client_id) in found}


def frozen(profile: dict[str, Any], client: dict[str, Any] | None) -> dict[str, Any]:
    """The invoice attributes that freeze the parties as they are now (written with draft → sent)."""
    return {"frozen_seller": _without_keys(profile), "frozen_client": _without_keys(client) if client else None}


def issued(invoice: StoredInvoice) -> Parties | None:
    """The parties the invoice was issued to and from; None while it was never sent."""
    return (invoice.frozen_seller, invoice.frozen_client) if invoice.frozen_seller is not None else None


def printed(invoice: StoredInvoice, current: Parties | None = None) -> Parties:
    """The parties its documents show: frozen once issued (no read), else as they are now (`current` when
    the caller has read them already, else one BatchGetItem)."""
    return issued(invoice) or current or seller_and_client(invoice.business_id, invoice.client_id)


def _without_keys(item: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in ("PK", "SK") and not name.startswith("GSI")}
