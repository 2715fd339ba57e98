"""The client search designs weighed, at 10,000 and 100,000 clients, on DynamoDB Local: what a rare-name
search reads (round trips, RCU) and what a client's create adds to its write (WCU), for

- `compact_index`: a sparse GSI over the client items, keys only plus one normalized search attribute
  (`search_key` = search_text, phone digits); the search Queries the business's whole index partition
  with `contains`, then reads the page's clients (BatchGetItem);
- `packed`: items holding 400 clients' search entries each (`<cid>` → search text and digits); the search
  Queries every pack, then reads the page's clients; a create rewrites one pack (SET of one entry,
  billed at the pack's size);
- `postings` (what store.clients does): one posting per run of three characters; measured by
  bench/clients_scale.py at each size through the store itself, taken from there.

Each design gets its own table (the template's, plus the GSI for `compact_index`) holding only what its
search reads: the measured costs depend on nothing else. `python -m bench.search_options [--sizes N …]`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from bench.meter import AwsMeter, summarize
from bench.seeding import batch_put

SIZES = (10_000, 100_000)
PACK = 400
RARE = "ølund 05000"
NOTES = ("Each design's table holds the clients' search data only (the client items themselves are read by the "
         "BatchGetItem of the page); the postings row and v1's are the clients table's figures above.")


def _entries(count: int) -> list[tuple[str, str]]:
    """(client id, search key) of `count` clients named as bench/clients_scale.py names them."""
    from fastfaktura.domain.clients import phone_digits, search_text
    from fastfaktura.domain.ids import new_id

    from bench.clients_scale import FIRST_NAMES, LAST_NAMES

    found = []
    for i in range(count):
        first, last = FIRST_NAMES[i % 10], LAST_NAMES[(i // 10) % 10]
        text = search_text(f"{first} {last} {i:05d}", f"{first.lower()}.{i:05d}@example.com")
        found.append((new_id(), f"{text}\n{phone_digits(f'+4791{i:06d}')}"))
    return found


def _cost(meter: AwsMeter, fn) -> dict[str, Any]:
    meter.take()
    started = time.perf_counter()
    fn()
    took = (time.perf_counter() - started) * 1000
    cost = summarize(meter.take())
    return {"round_trips": cost["round_trips"], "operations": cost["operations"], "rcu": round(cost["rcu"], 1),
            "wcu": round(cost["wcu"], 1), "items": cost["items"], "ms": round(took, 1)}


def _compact_index(client, table: str, count: int, meter: AwsMeter) -> dict[str, Any]:
    from fastfaktura.store import db

    pk = "BIZ#0190aaaa-0000-7000-8000-000000000000"
    items = [{"PK": pk, "SK": f"CLIENT#{cid}", "search_pk": pk, "search_key": key} for cid, key in _entries(count)]
    batch_put(items)
    request = {"TableName": table, "IndexName": "SEARCH", "ScanIndexForward": False,
               "KeyConditionExpression": "search_pk = :pk", "FilterExpression": "contains(search_key, :q)",
               "ExpressionAttributeValues": db.to_item({":pk": pk, ":q": RARE})}

    def search():
        found = list(db.query_all(request))
        if found:
            db.batch_get([(item["PK"]["S"], item["SK"]["S"]) for item in found[:50]])

    write = _cost(meter, lambda: client.put_item(TableName=table, Item=db.to_item(
        {"PK": pk, "SK": "CLIENT#new", "search_pk": pk, "search_key": "ingrid lindqvist 00001\ningrid@example.com"})))
    return {"search": _cost(meter, search), "create_adds_wcu": write["wcu"] - 1}


def _packed(client, table: str, count: int, meter: AwsMeter) -> dict[str, Any]:
    from fastfaktura.store import db

    pk = "BIZ#0190bbbb-0000-7000-8000-000000000000"
    entries = _entries(count)
    packs = [{"PK": pk, "SK": f"SEARCHPACK#{n:05d}", "entries": dict(entries[start:start + PACK])}
             for n, start in enumerate(range(0, count, PACK))]
    batch_put(packs)
    request = {"TableName": table, "KeyConditionExpression": "PK = :pk AND begins_with(SK, :p)",
               "ExpressionAttributeValues": db.to_item({":pk": pk, ":p": "SEARCHPACK#"})}

    def search():
        found = [cid for item in db.query_all(request) for cid, key in db.from_item(item)["entries"].items()
                 if RARE in key]
        if found:
            db.batch_get([(pk, f"CLIENT#{cid}") for cid in found[:50]])

    write = _cost(meter, lambda: client.update_item(
        TableName=table, Key=db.key(pk, packs[-2]["SK"]), UpdateExpression="SET entries.#c = :k",
        ExpressionAttributeNames={"#c": "0190cccc-0000-7000-8000-000000000000"},
        ExpressionAttributeValues={":k": {"S": "ingrid lindqvist 00001\ningrid@example.com\n4798000001"}}))
    return {"search": _cost(meter, search), "create_adds_wcu": write["wcu"], "clients_per_pack": PACK}


def measure(sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    from fastfaktura.devstack.dynamodb import DynamoDBLocal, local_environment
    from fastfaktura.store import db
    from fastfaktura.tools.template import table_definition

    from bench.clients_scale import SETTINGS

    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
    server = DynamoDBLocal().start()
    saved = dict(os.environ)
    results: dict[str, Any] = {}
    try:
        os.environ.update({**SETTINGS, **local_environment(server.endpoint)})
        client = server.client()
        for size in sizes:
            row = {}
            for design, measure_one in (("compact_index", _compact_index), ("packed", _packed)):
                table = f"bench-search-{design}-{size}".replace("_", "-")
                definition = table_definition()
                if design == "compact_index":
                    definition["AttributeDefinitions"] += [{"AttributeName": "search_pk", "AttributeType": "S"}]
                    definition["GlobalSecondaryIndexes"] += [{
                        "IndexName": "SEARCH", "KeySchema": [{"AttributeName": "search_pk", "KeyType": "HASH"},
                                                             {"AttributeName": "SK", "KeyType": "RANGE"}],
                        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["search_key"]}}]
                client.create_table(TableName=table, **definition)
                os.environ["TABLE_NAME"] = table
                from fastfaktura import settings

                settings.get.cache_clear()
                db.client.cache_clear()
                meter = AwsMeter().install()
                meter.watch(db.client())
                meter.watch(client)
                row[design] = measure_one(client, table, size, meter)
                meter.uninstall()
                print(f"bench search_options: {size} {design}: {row[design]['search']}", file=sys.stderr, flush=True)
            results[str(size)] = row
    finally:
        server.stop()
        os.environ.clear()
        os.environ.update(saved)
    return {"rare_query": RARE, "sizes": results,
            "notes": NOTES}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    print(json.dumps(measure(tuple(args.sizes)), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
