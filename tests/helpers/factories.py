"""Records made the short way: clients and invoices written by the store or the services (an invoice of the
contract's example lines, moved to the status a test needs), or posted through the API; unique contacts so
that moto's shared mailboxes can be filtered per test."""

from __future__ import annotations

import uuid

from fastfaktura.domain.ids import new_id
from fastfaktura.models.clients import Client
from fastfaktura.models.common import utcnow
from fastfaktura.models.invoices import InvoiceCreate
from fastfaktura.services import invoices
from fastfaktura.store import clients as client_store
from fastfaktura.store import db, keys
from fastfaktura.store import invoices as invoice_store

from tests.helpers.api import Api

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


def put_client(business_id: str, name: str = "Client SARL", archived: bool = False) -> str:
    """A client of the business, made by the clients service (archived when asked)."""
    from fastfaktura.models.clients import ClientCreate
    from fastfaktura.services import clients

    client = clients.create_client(business_id, ClientCreate(name=name, locale="fr"))
    if archived:
        clients.archive_client(business_id, client.id)
    return client.id


def invoice_body(client_id: str, lines=None, **fields) -> dict:
    """A valid POST /invoices body (one line unless `lines`)."""
    return {"client_id": client_id, "currency": "EUR",
            "lines": lines or [{"description": "Work", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20}],
            **fields}


def post_client(api: Api, **fields) -> dict:
    """A client created through the API (201)."""
    answer = api.post("/api/v1/clients", {"name": "Ola Nordmann", **fields})
    assert answer.status == 201, answer.body
    return answer.json


def post_invoice(api: Api, client_id: str, **fields) -> dict:
    """A draft invoice of one design line created through the API (201)."""
    answer = api.post("/api/v1/invoices", {
        "client_id": client_id, "currency": fields.pop("currency", "EUR"),
        "lines": [{"description": "Design", "quantity": 2, "unit_price_cents": 61728, "tax_rate": 0}], **fields})
    assert answer.status == 201, answer.body
    return answer.json


def unique_email() -> str:
    return f"{uuid.uuid4().hex[:12]}@client.example"


def unique_phone() -> str:
    """A valid Norwegian mobile number of its own, so moto's shared SMS list can be filtered by it."""
    return f"+479{uuid.uuid4().int % 10**7:07d}"
