"""Clients at scale: one business with 10,000 clients on DynamoDB Local; how listing (page 1, a deep
page, the last page), search and the lookups behave: latency, round trips, items read and the read
capacity DynamoDB reports (ReturnConsumedCapacity=TOTAL on every read).

`python -m bench.clients_scale [--clients N] [--runs N]` prints the JSON; `measure()` answers it for
`bench.run`. Reads go through `fastfaktura.services.clients`, exactly as the functions call them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.seeding import batch_put

CLIENTS = 10_000
RUNS = 5
FIRST_NAMES = ["Åsa", "Émilie", "Lars", "Ingrid", "Chloé", "Oskar", "Maja", "Jean", "Sofie", "Björn"]
LAST_NAMES = ["Ølund", "Čapek", "Hansen", "Dubois", "Lindqvist", "Berg", "Martin", "Nilsen", "Petit", "Ek"]


def _seed(business_id: str, count: int) -> list[str]:
    """`count` clients written straight as the store writes them (BatchWriteItem, 25 a call), oldest
    first; every 50th is archived. Answers their ids, oldest first."""
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
        items.append(clients.client_item(business_id, client))
        ids.append(client.id)

    batch_put(items)
    return ids


class _Meter:
    """Counts every DynamoDB call of the store's client: operation, consumed capacity, items read."""

    def __init__(self):
        from fastfaktura.store import db

        self.calls: list[dict[str, Any]] = []
        events = db.client().meta.events
        events.register("provide-client-params.dynamodb.*", self._ask_for_capacity)
        events.register("after-call.dynamodb.*", self._record)

    @staticmethod
    def _ask_for_capacity(params: dict, **_) -> None:
        params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def _record(self, parsed: dict, model, **_) -> None:
        capacity = parsed.get("ConsumedCapacity") or {}
        if isinstance(capacity, list):
            capacity = {"CapacityUnits": sum(c.get("CapacityUnits", 0) for c in capacity)}
        self.calls.append({"op": model.name, "rcu": capacity.get("CapacityUnits", 0.0),
                           "scanned": parsed.get("ScannedCount", 1 if "Item" in parsed else 0)})

    def run(self, fn, runs: int) -> dict[str, Any]:
        fn()  # warm-up
        latencies = []
        for _ in range(runs):
            self.calls.clear()
            started = time.perf_counter()
            answer = fn()
            latencies.append((time.perf_counter() - started) * 1000)
        returned = len(answer.data) if hasattr(answer, "data") else 1
        return {"median_ms": round(statistics.median(latencies), 1), "max_ms": round(max(latencies), 1),
                "round_trips": len(self.calls), "operations": sorted({c["op"] for c in self.calls}),
                "items_read": sum(c["scanned"] for c in self.calls), "items_returned": returned,
                "read_capacity_units": round(sum(c["rcu"] for c in self.calls), 1)}


def measure(count: int = CLIENTS, runs: int = RUNS) -> dict[str, Any]:
    """Starts its own DynamoDB Local, seeds one business, measures, stops it."""
    from fastfaktura.devstack.dynamodb import DynamoDBLocal, create_table, local_environment

    server = DynamoDBLocal().start()
    try:
        os.environ.update(local_environment(server.endpoint))
        os.environ["TABLE_NAME"] = "fastfaktura-bench-clients"
        create_table(server.client(), os.environ["TABLE_NAME"])
        return _measure(count, runs)
    finally:
        server.stop()


def _measure(count: int, runs: int) -> dict[str, Any]:
    from fastfaktura import settings
    from fastfaktura.services import clients
    from fastfaktura.services.business import create_business
    from fastfaktura.store import db

    settings.get.cache_clear()  # a new TABLE_NAME
    db.client.cache_clear()
    business_id = create_business("Bench Clients AS", country="NO", locale="nb").business.id
    started = time.perf_counter()
    ids = _seed(business_id, count)
    seeded_s = time.perf_counter() - started
    meter = _Meter()
    per_page = 50
    last_page = max(1, -(-(count - count // 50) // per_page))
    middle = f"{count // 2:05d}"

    def listing(**query):
        return lambda: clients.list_clients(business_id, clients.ClientQuery(**query))

    cases = {
        "get_by_id": lambda: clients.get_client(business_id, ids[count // 2]),
        "lookup_external_id": listing(external_id=f"crm-{middle}"),
        "list_page_1": listing(page=1, per_page=per_page),
        "list_page_1_per_page_100": listing(page=1, per_page=100),
        "list_page_50": listing(page=50, per_page=per_page),
        f"list_last_page_{last_page}": listing(page=last_page, per_page=per_page),
        "list_page_1_archived_included": listing(page=1, per_page=per_page, archived=True),
        "search_name_one_match": listing(q=f"ølund {middle}"),
        "search_name_10_percent": listing(q="ÉMILIE"),
        "search_name_10_percent_page_5": listing(q="émilie", page=5, per_page=per_page),
        "search_email_every_client": listing(q="@example.com"),
        "search_phone_digits_one_match": listing(q=f"91 {count // 2:06d}"),
        "search_no_match": listing(q="zzz-nobody"),
    }
    results = {name: meter.run(fn, runs) for name, fn in cases.items()}
    whole = results["search_no_match"]
    return {
        "clients": count, "archived": count // 50, "per_page": per_page, "runs": runs,
        "seed_seconds": round(seeded_s, 1),
        "cases": results,
        "search_reads_whole_partition": whole["items_read"] >= count,
        "note": ("DynamoDB Local: latencies are local-JVM figures; read capacity is what it reports for "
                 "ReturnConsumedCapacity=TOTAL (eventually consistent Query: 0.5 RCU per 4 KB read)."),
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
