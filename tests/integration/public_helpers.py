"""Invoices for the public page and payment tests: a client in a given locale, an invoice of the
contract's example lines, moved to the status a test needs."""

from __future__ import annotations

from fastfaktura.domain.ids import new_id
from fastfaktura.models.clients import Client
from fastfaktura.models.common import utcnow
from fastfaktura.models.invoices import InvoiceCreate
from fastfaktura.services import invoices
from fastfaktura.store import clients as client_store
from fastfaktura.store import db, keys
from fastfaktura.store import invoices as invoice_store

EXAMPLE_LINES = [
    {"description": "Conseil stratégique", "quantity": 1, "unit_price_cents": 50000, "tax_rate": 20},
    {"description": "Heures de support", "quantity": 3, "unit_price_cents": 333, "tax_rate": 20},
    {"description": "Livres <reliés> & brochés", "quantity": "2.5", "unit_price_cents": 1999, "tax_rate": "5.5"},
]
ROUTE_TO = {"draft": [], "sent": ["sent"], "opened": ["sent", "opened"], "overdue": ["sent", "overdue"],
            "paid": ["sent", "paid"], "cancelled": ["cancelled"]}


def make_client(business_id: str, locale: str = "fr", name: str = "Client Exemple SA",
                email: str | None = "client@example.com") -> Client:
    now = utcnow()
    client = Client(id=new_id(), name=name, email=email, address="12 rue des Lilas\n69001 Lyon", country="FR",
                    locale=locale, created_at=now, updated_at=now)
    client_store.create(business_id, client)
    return client


def make_invoice(business_id: str, status: str = "sent", locale: str = "fr", currency: str = "EUR",
                 lines: list[dict] | None = None, notes: str | None = None) -> tuple[str, str]:
    """(invoice id, public token) of a new invoice in `status`."""
    client = make_client(business_id, locale)
    body = InvoiceCreate.model_validate({"client_id": client.id, "currency": currency, "notes": notes,
                                         "lines": lines or EXAMPLE_LINES})
    invoice = invoices.create_invoice(business_id, body, "http://127.0.0.1:3000")
    for target in ROUTE_TO[status]:
        invoice_store.transition(business_id, invoice.id, target, utcnow(),
                                 {"paid_via": "manual"} if target == "paid" else None)
    return invoice.id, invoice.public_url.rsplit("/", 1)[-1]


def header(business_id: str, invoice_id: str) -> dict:
    """The invoice item as stored, every attribute (the Stripe ids, `version`) as read."""
    return db.get(keys.invoice_pk(business_id, invoice_id), keys.INVOICE_SK, consistent=True)
