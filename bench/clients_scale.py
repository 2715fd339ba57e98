"""Clients at scale: one business with 10,000 clients on DynamoDB Local; how listing (page 1, a deep
page, the last page by number and by cursor), search and the lookups behave, and what a client's
create, update and archive write: latency, round trips, items read and the capacity DynamoDB reports
(ReturnConsumedCapacity=TOTAL on every call).

Search reads the postings of one run of three characters of `q` (store.clients). The seed writes every
client item as the store writes it, and the postings of the runs the measured searches read (each
search reads only its run's partition; writing the ~50 postings of each of 10,000 clients would take
this machine minutes and change no figure below). `*_v1_full_read` is the same search as v1 made it:
the client range read to its end with the same filter. Writes go through the services (every posting
written); `*_v1` is the item write alone, as v1 made it.

`python -m bench.clients_scale [--clients N] [--runs N]` prints the JSON; `measure()` answers it for
`bench.run`. Reads go through `fastfaktura.services.clients`, exactly as the functions call them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from bench.meter import AwsMeter, run_measured, transaction_write_units
from bench.seeding import batch_put

CLIENTS = 10_000
SETTINGS = {"BUCKET_NAME": "fastfaktura-bench-pdfs", "SENDER_EMAIL": "bench@fastfaktura.example"}  # unused, required
RUNS = 5
FIRST_NAMES = ["Åsa", "Émilie", "Lars", "Ingrid", "Chloé", "Oskar", "Maja", "Jean", "Sofie", "Björn"]
LAST_NAMES = ["Ølund", "Čapek", "Hansen", "Dubois", "Lindqvist", "Berg", "Martin", "Nilsen", "Petit", "Ek"]


def _seed(business_id: str, count: int, runs_read: set[str]) -> list[str]:
    """`count` clients written straight as the store writes them (BatchWriteItem, 25 a call), oldest
    first, with their postings of `runs_read`; every 50th is archived. Answers their ids, oldest first."""
    from fastfaktura.domain.ids import new_id
    from fastfaktura.models.clients import Client
    from fastfaktura.store import clients

    start = datetime(2026, 1, 1, tzinfo=UTC)
    items, ids = [], []
    for i in range(count):
        first, last = FIRST_NAMES[i % 10], LAST_NAMES[(i // 10) % 10]
        at = start + timedelta(minutes=i)
        client = Client(id=new_id(), name=f"{first} {last} {i:05d}", email=f"{first.lower()}.{i:05d}@example.com",
                        phone=f"+4791{i:06d}", address=f"Storgata {i % 200 + 1}\n0155 Oslo", country="NO",
                        locale="nb", external_id=f"crm-{i:05d}", tags=["bench"], created_at=at, updated_at=at,
                        archived_at=at if i % 50 == 49 else None)
        item = clients.client_item(business_id, client)
        items += [item, *(p for p in clients.postings(business_id, client.id, None, item)
                          if p["PK"].rsplit("#", 1)[-1] in runs_read)]
        ids.append(client.id)

    batch_put(items)
    return ids


def measure(count: int = CLIENTS, runs: int = RUNS) -> dict[str, Any]:
    """Starts its own DynamoDB Local, seeds one business, measures, stops it."""
    from botocore.config import Config
    from fastfaktura.devstack.dynamodb import DynamoDBLocal, create_table, local_environment
    from fastfaktura.store import db

    # A loaded machine's DynamoDB Local may take longer than the store's 5 s to read 100,000 keys.
    db._CONFIG = db._CONFIG.merge(Config(read_timeout=120))

    server = DynamoDBLocal().start()
    try:
        os.environ.update(local_environment(server.endpoint))
        for name, value in SETTINGS.items():
            os.environ.setdefault(name, value)
        os.environ["TABLE_NAME"] = "fastfaktura-bench-clients"
        create_table(server.client(), os.environ["TABLE_NAME"])
        return _measure(count, runs)
    finally:
        server.stop()


SEARCHES = {
    "search_name_one_match": "ølund {middle}",
    "search_name_10_percent": "ÉMILIE",
    "search_email_every_client": "@example.com",
    "search_phone_digits_one_match": "91 {middle6}",
    "search_no_match": "zzz-nobody",
}


def _measure(count: int, runs: int) -> dict[str, Any]:
    from fastfaktura import settings
    from fastfaktura.domain.clients import Search
    from fastfaktura.services import clients
    from fastfaktura.services.business import create_business
    from fastfaktura.store import db

    settings.get.cache_clear()  # a new TABLE_NAME
    db.client.cache_clear()
    business_id = create_business("Bench Clients AS", country="NO", locale="nb").business.id
    middle = f"{count // 2:05d}"
    searches = {name: q.format(middle=middle, middle6=f"{count // 2:06d}") for name, q in SEARCHES.items()}
    runs_read = {Search.parse(q).gram() for q in searches.values()} - {None}
    started = time.perf_counter()
    ids = _seed(business_id, count, runs_read)
    seeded_s = time.perf_counter() - started
    meter = AwsMeter().install()
    meter.watch(db.client())
    per_page = 50
    last_page = max(1, -(-(count - count // 50) // per_page))

    def listing(**query):
        return lambda: clients.list_clients(business_id, clients.ClientQuery(**query))

    to_last_page = clients.list_clients(business_id, clients.ClientQuery(page=last_page - 1)).next_cursor
    cases = {
        "get_by_id": lambda: clients.get_client(business_id, ids[count // 2]),
        "lookup_external_id": listing(external_id=f"crm-{middle}"),
        "list_page_1": listing(page=1, per_page=per_page),
        "list_page_1_per_page_100": listing(page=1, per_page=100),
        "list_page_50": listing(page=50, per_page=per_page),
        f"list_last_page_{last_page}": listing(page=last_page, per_page=per_page),
        "list_last_page_by_cursor": listing(cursor=to_last_page, per_page=per_page),
        "list_page_1_archived_included": listing(page=1, per_page=per_page, archived=True),
        **{name: listing(q=q) for name, q in searches.items()},
        "search_name_10_percent_page_5": listing(q="émilie", page=5, per_page=per_page),
        "search_name_one_match_v1_full_read": lambda: _v1_search(business_id, searches["search_name_one_match"]),
        "search_no_match_v1_full_read": lambda: _v1_search(business_id, searches["search_no_match"]),
    }
    results = {name: run_measured(meter, fn, runs) for name, fn in cases.items()}
    writes = {name: _modeled(meter, fn, runs) for name, fn in _writes(business_id).items()}
    meter.uninstall()
    rare = results["search_name_one_match"]
    return {
        "clients": count, "archived": count // 50, "per_page": per_page, "runs": runs,
        "seed_seconds": round(seeded_s, 1),
        "cases": results, "writes": writes,
        "search_reads_whole_partition": rare["items_read"] >= count,
        "rare_search": {"q": searches["search_name_one_match"], "run_read": Search.parse(
            searches["search_name_one_match"]).gram(), "round_trips": rare["round_trips"],
            "rcu": rare["read_capacity_units"],
            "v1_rcu": results["search_name_one_match_v1_full_read"]["read_capacity_units"],
            "v1_round_trips": results["search_name_one_match_v1_full_read"]["round_trips"]},
        "note": ("DynamoDB Local: latencies are local-JVM figures; capacity is what it reports for "
                 "ReturnConsumedCapacity=TOTAL (eventually consistent reads: 0.5 RCU per 4 KB; a transaction "
                 "costs twice the writes of its items, 1 WCU per KB each)."),
    }


def _modeled(meter: AwsMeter, fn, runs: int) -> dict[str, Any]:
    """`run_measured`, plus the write capacity AWS would bill for the last run's transactions
    (`transaction_write_units`; other writes as reported)."""
    from fastfaktura.store import db

    actions: list[list[dict[str, Any]]] = []

    def keep(params: dict, **_) -> None:
        actions.append(params["TransactItems"])

    events = db.client().meta.events
    events.register("provide-client-params.dynamodb.TransactWriteItems", keep, unique_id="bench-keep-actions")

    def run():
        actions.clear()
        return fn()

    try:
        result = run_measured(meter, run, runs)
    finally:
        events.unregister("provide-client-params.dynamodb.TransactWriteItems", unique_id="bench-keep-actions")
    modeled = sum(transaction_write_units(a) for a in actions)
    if actions:
        result["transaction_actions"] = sum(len(a) for a in actions)
    result["modeled_write_capacity_units"] = modeled if actions else result["write_capacity_units"]
    return result


def _v1_search(business_id: str, q: str):
    """The search as v1 made it: the client range, newest first, with the filter, until a page is full."""
    from fastfaktura.domain.clients import Search
    from fastfaktura.store import clients, db, keys, pages

    filter_expression, values = clients.ListFilter(search=Search.parse(q)).expression()
    request = {"TableName": db.table_name(), "ScanIndexForward": False, "FilterExpression": filter_expression,
               "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
               "ExpressionAttributeValues": db.to_item({":pk": keys.business_pk(business_id),
                                                        ":prefix": keys.CLIENT_SK_PREFIX, **values})}
    return SimpleNamespace(data=pages.read_page(request, 1, 50, ("PK", "SK"), sparse=True)[0])


def _writes(business_id: str) -> dict[str, Any]:
    """A client's create, updates and archive through the services; `*_v1`: the item write alone."""
    from itertools import count

    from fastfaktura.models.clients import Client, ClientCreate, ClientUpdate
    from fastfaktura.services import clients
    from fastfaktura.store import clients as store
    from fastfaktura.store import db, keys

    serial = count()

    def body() -> ClientCreate:
        i = next(serial)
        return ClientCreate(name=f"Ingrid Lindqvist {i:05d}", email=f"ingrid.{i:05d}@example.com",
                            phone=f"+4798{i:06d}", address="Storgata 1\n0155 Oslo", country="NO", locale="nb",
                            tags=["bench"])

    made = [clients.create_client(business_id, body()) for _ in range(30)]

    def v1_create():
        from fastfaktura.domain.ids import new_id
        from fastfaktura.models.common import utcnow

        client = Client(id=new_id(), **body().model_dump(), created_at=utcnow(), updated_at=utcnow())
        db.client().put_item(TableName=db.table_name(), Item=db.to_item(store.client_item(business_id, client)),
                             ConditionExpression="attribute_not_exists(PK)")

    def v1_update():
        i = next(serial)
        db.client().update_item(TableName=db.table_name(), Key=db.key(keys.business_pk(business_id),
                                                                       keys.client_sk(made[0].id)),
                                UpdateExpression="SET #n = :n, search_text = :t",
                                ExpressionAttributeNames={"#n": "name"},
                                ExpressionAttributeValues=db.to_item({":n": f"Renamed {i}", ":t": f"renamed {i}"}))

    def rename():
        return clients.update_client(business_id, made[1].id, ClientUpdate(name=f"Ingrid Berg {next(serial):05d}"))

    def readdress():
        return clients.update_client(business_id, made[2].id, ClientUpdate(address=f"Storgata {next(serial)}"))

    return {
        "create_client": lambda: clients.create_client(business_id, body()),
        "create_client_v1": v1_create,
        "update_name": rename,
        "update_name_v1": v1_update,
        "update_address_only": readdress,
        "archive": lambda: clients.archive_client(business_id, made.pop().id),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    print(json.dumps(measure(args.clients, args.runs), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
