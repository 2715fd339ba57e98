"""Scale: one business with 10,000 clients and 10,000 invoices on DynamoDB Local, then 100,000 of each;
and the client search designs weighed at both sizes (bench/search_options.py).

Clients: bench/clients_scale.py (list pages, search, lookups), run as it is. Invoices: 10,000 invoices
written straight as the store writes them — the invoice item from `store.invoices.StoredInvoice.to_item` (with
its five index keys) and its line chunk, and the counter at 10,000 — with BatchWriteItem in threads
(creating 10,000 through the API would take minutes of transactions on this machine and measure
nothing more). Then, through `fastfaktura.services.invoices` as the functions call it: list page 1,
page 50, the last page, by status, by client, one invoice, and a create at that size — latency, round
trips, items read and read capacity per request. The two halves are two businesses on two DynamoDB
Locals (clients_scale starts its own); a business's clients and invoices share no partition or index
key, so neither half slows the other.

`python -m bench.scale [--invoices N] [--clients N] [--runs N] [--larger-invoices N] [--larger-clients N]
[--no-options]` prints the JSON;
`python -m bench.run scale` stores it in results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.meter import AwsMeter, run_measured
from bench.seeding import batch_put

INVOICES = 10_000
CLIENTS = 10_000
LARGER = 100_000  # clients and invoices, measured again
CLIENTS_OF_THE_INVOICES = 500
RUNS = 5
PER_PAGE = 50
# Of 20 invoices: 2 draft, 3 sent, 2 opened, 10 paid, 2 overdue, 1 cancelled.
STATUS_MIX = ["draft"] * 2 + ["sent"] * 3 + ["opened"] * 2 + ["paid"] * 10 + ["overdue"] * 2 + ["cancelled"]
LINES = [
    {"description": "Conseil", "quantity": 2, "unit_price_cents": 45000, "tax_rate": 20, "amount_cents": 90000},
    {"description": "Frais de déplacement", "quantity": 1, "unit_price_cents": 12000, "tax_rate": 20,
     "amount_cents": 12000},
    {"description": "Livres", "quantity": 3, "unit_price_cents": 1999, "tax_rate": "5.5", "amount_cents": 5997},
]


def _seed(business_id: str, count: int) -> tuple[list[str], list[str]]:
    """`count` invoices as the store writes them, oldest first; answers the invoice and client ids."""
    from decimal import Decimal

    from fastfaktura.domain import invoices as rules
    from fastfaktura.domain.ids import new_id
    from fastfaktura.models.invoices import TaxBreakdown
    from fastfaktura.services.invoices import new_public_token
    from fastfaktura.store import invoices as store
    from fastfaktura.store import keys

    client_ids = [new_id() for _ in range(CLIENTS_OF_THE_INVOICES)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items, invoice_ids = [], []
    lines = [{**line, "tax_rate": Decimal(str(line["tax_rate"]))} for line in LINES]
    for i in range(count):
        invoice_id, client_id = new_id(), client_ids[i % CLIENTS_OF_THE_INVOICES]
        status = STATUS_MIX[i % len(STATUS_MIX)]
        at = start + timedelta(minutes=30 * i)
        issued = at.date()
        stamps = {}
        if status != "draft":
            stamps["sent_at"] = at + timedelta(hours=1)
        if status in ("paid", "cancelled", "opened", "overdue"):
            stamps[rules.STATUS_TIMESTAMP[status]] = at + timedelta(days=3)
        item = store.StoredInvoice(
            business_id=business_id, invoice_id=invoice_id, client_id=client_id, status=status,
            number=rules.format_number("F-", i + 1), sequence=i + 1, currency="EUR", issue_date=issued,
            due_date=issued + timedelta(days=30), subtotal_cents=107997, tax_cents=20730, total_cents=128727,
            line_count=3, public_token=new_public_token(), created_at=at, updated_at=at,
            client_name=f"Client {i % CLIENTS_OF_THE_INVOICES:03d}",
            tax_breakdown=(TaxBreakdown(tax_rate=Decimal("5.5"), taxable_cents=5997, tax_cents=330),
                           TaxBreakdown(tax_rate=20, taxable_cents=102000, tax_cents=20400)),
            **stamps).to_item()
        items.append(item)
        items.append({"PK": item["PK"], "SK": keys.line_chunk_sk(0), "first_line": 0, "lines": lines})
        invoice_ids.append(invoice_id)
    items.append({"PK": keys.business_pk(business_id), "SK": keys.INVOICE_COUNTER_SK, "last": count})

    batch_put(items)
    return invoice_ids, client_ids


def _invoices(count: int, runs: int) -> dict[str, Any]:
    from fastfaktura import settings
    from fastfaktura.models.clients import ClientCreate
    from fastfaktura.models.invoices import InvoiceCreate
    from fastfaktura.services import clients, invoices
    from fastfaktura.services.business import create_business
    from fastfaktura.store import db

    settings.get.cache_clear()  # a new TABLE_NAME
    db.client.cache_clear()
    business_id = create_business("Bench Invoices SAS", country="FR", locale="fr").business.id
    started = time.perf_counter()
    invoice_ids, client_ids = _seed(business_id, count)
    seeded_s = time.perf_counter() - started
    meter = AwsMeter().install()
    meter.watch(db.client())
    base = "https://api.example.com"
    last_page = -(-count // PER_PAGE)
    client = clients.create_client(business_id, ClientCreate(name="Client Réel SARL", email="reel@client.example"))
    body = InvoiceCreate.model_validate({"client_id": client.id, "currency": "EUR", "lines": [
        {"description": "Conseil", "quantity": "2", "unit_price_cents": 45000, "tax_rate": "20"}]})

    def listing(page: int | None, status: str | None = None, client_id: str | None = None, cursor: str | None = None):
        return lambda: invoices.list_invoices(business_id, page, PER_PAGE, status, client_id, base, cursor)

    to_last_page = invoices.list_invoices(business_id, last_page - 1, PER_PAGE, None, None, base).next_cursor

    cases = {
        "get_invoice": lambda: invoices.get_invoice(business_id, invoice_ids[count // 2], base),
        "list_page_1": listing(1),
        "list_page_50": listing(50),
        "list_last_page": listing(last_page),
        "list_last_page_by_cursor": listing(None, cursor=to_last_page),
        "status_paid_page_1": listing(1, "paid"),
        "status_paid_page_50": listing(50, "paid"),
        "status_overdue_page_1": listing(1, "overdue"),
        "client_page_1": listing(1, client_id=client_ids[7]),
        "client_and_status": listing(1, "paid", client_ids[7]),
        "create_invoice": lambda: invoices.create_invoice(business_id, body, base),
    }
    results = {}
    for name, fn in cases.items():
        results[name] = run_measured(meter, fn, runs)
        print(f"bench scale: {name}: {results[name]['median_ms']} ms", file=sys.stderr, flush=True)
    meter.uninstall()
    return {"invoices": count, "clients_invoiced": CLIENTS_OF_THE_INVOICES, "per_page": PER_PAGE, "runs": runs,
            "last_page": last_page, "seed_seconds": round(seeded_s, 1),
            "seeded_as": "BatchWriteItem of the store's own items (StoredInvoice.to_item + line chunk + counter)",
            "cases": results}


def measure(invoices: int = INVOICES, clients: int = CLIENTS, runs: int = RUNS, larger_invoices: int = LARGER,
            larger_clients: int = LARGER, options: bool = True) -> dict[str, Any]:
    """Both halves at `invoices`/`clients`, again at the larger sizes (0: not; one run each, after a
    warm-up: a deep page by number at 100,000 invoices takes minutes), and the search designs weighed."""
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    section = _both(invoices, clients, runs)
    if larger_invoices or larger_clients:
        section["larger"] = _both(larger_invoices, larger_clients, 1)
    if options:
        from bench import search_options

        section["search_options"] = search_options.measure(tuple(sorted({clients, larger_clients} - {0})))
    return {**section, "load_average": round(os.getloadavg()[0], 1),
            "notes": ("DynamoDB Local: latencies are a local JVM's on a shared 2-core machine; read capacity is what "
                      "DynamoDB Local reports for ReturnConsumedCapacity=TOTAL (eventually consistent reads: 0.5 RCU "
                      "per 4 KB; an invoice item with its index keys is about 1 KB). Deep pages by number skip the "
                      "pages before them with keys-only Queries, no Scan; by cursor they start where the cursor "
                      "points.")}


def _both(invoices: int, clients: int, runs: int) -> dict[str, Any]:
    """The clients half and the invoices half, each on its own DynamoDB Local (0: that half not measured)."""
    from fastfaktura.devstack.dynamodb import DynamoDBLocal, create_table, local_environment

    from bench import clients_scale

    measured = {"clients": clients_scale.measure(clients, runs)} if clients else {}
    if not invoices:
        return measured
    server = DynamoDBLocal().start()
    saved = dict(os.environ)
    try:
        os.environ.update(local_environment(server.endpoint))
        os.environ["TABLE_NAME"] = "fastfaktura-bench-invoices"
        create_table(server.client(), os.environ["TABLE_NAME"])
        measured["invoices"] = _invoices(invoices, runs)
    finally:
        server.stop()
        os.environ.clear()
        os.environ.update(saved)
    return measured


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=INVOICES)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--larger-invoices", type=int, default=LARGER, help="the second size (0: not measured)")
    parser.add_argument("--larger-clients", type=int, default=LARGER, help="the second size (0: not measured)")
    parser.add_argument("--no-options", action="store_true", help="skip bench/search_options.py")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.invoices, args.clients, args.runs, args.larger_invoices,
                                     args.larger_clients, not args.no_options), indent=1,
                     ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
