"""Counts the AWS calls of this process: every boto3 client of the default session (the store's
DynamoDB client, and any other DynamoDB, S3, SES or SNS client a function creates) reports each call
here, with the capacity DynamoDB says it consumed.

`ReturnConsumedCapacity=TOTAL` is added to every DynamoDB request that accepts it (a
`before-parameter-build` hook), so DynamoDB Local answers what it counts. Measured against AWS's
rules, DynamoDB Local 3.3 counts like AWS (item sizes rounded up, GSI writes included, transactions
doubled) except in two places, which `modeled_*` corrects:
- a transaction's ConditionCheck costs nothing there; AWS bills it as a transactional write of the
  checked item (2 WCU per KB): +2 WCU per ConditionCheck (the items checked here are under 1 KB);
- a Query that finds nothing on an index costs 0 there; AWS charges at least 0.5 RCU per Query.
A write refused by its condition consumes capacity in AWS too but answers no ConsumedCapacity: such
calls are counted as round trips and, in `modeled_wcu`, as 1 WCU.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})


@dataclass
class Call:
    service: str
    operation: str
    rcu: float = 0.0
    wcu: float = 0.0
    modeled_rcu: float = 0.0
    modeled_wcu: float = 0.0
    items: int = 0


@dataclass
class AwsMeter:
    """Install once (before or after the clients are created: both are handled), then read `calls`
    after each measured request; only the calls of `thread` (default: the installing one) count."""

    calls: list[Call] = field(default_factory=list)
    thread: int | None = None
    _clients: list[Any] = field(default_factory=list)

    def install(self) -> AwsMeter:
        import boto3

        if boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        self.thread = self.thread or threading.get_ident()
        self._register(boto3.DEFAULT_SESSION.events)
        return self

    def watch(self, client) -> None:
        """A client created before `install` (e.g. the store's cached one) reports here too."""
        if client not in self._clients:
            self._clients.append(client)
            self._register(client.meta.events)

    def _register(self, events) -> None:
        events.register("before-parameter-build.dynamodb", self._ask_for_capacity, unique_id=f"meter-ask-{id(self)}")
        events.register("after-call", self._record, unique_id=f"meter-record-{id(self)}")

    def uninstall(self) -> None:
        import boto3

        for events in [c.meta.events for c in self._clients] + [boto3.DEFAULT_SESSION.events]:
            events.unregister("before-parameter-build.dynamodb", unique_id=f"meter-ask-{id(self)}")
            events.unregister("after-call", unique_id=f"meter-record-{id(self)}")

    @staticmethod
    def _ask_for_capacity(params: dict, model, context: dict, **_) -> None:
        if "ReturnConsumedCapacity" in model.input_shape.members:
            params.setdefault("ReturnConsumedCapacity", "TOTAL")
        if model.name == "TransactWriteItems":
            context["bench_condition_checks"] = sum("ConditionCheck" in item for item in params["TransactItems"])

    def _record(self, parsed: dict, model, context: dict, **_) -> None:
        if threading.get_ident() != self.thread:
            return
        service = model.service_model.service_name
        call = Call(service, model.name)
        if service == "dynamodb":
            reported = parsed.get("ConsumedCapacity") or []
            units = sum(c.get("CapacityUnits", 0.0) for c in (reported if isinstance(reported, list) else [reported]))
            read = model.name in READS
            call.rcu, call.wcu = (units, 0.0) if read else (0.0, units)
            call.items = int(parsed.get("Count", len(parsed.get("Items", []))) if "Count" in parsed
                             else (1 if parsed.get("Item") else 0))
            call.modeled_rcu = max(call.rcu, 0.5) if model.name == "Query" else call.rcu
            call.modeled_wcu = call.wcu + 2.0 * context.get("bench_condition_checks", 0)
            if not read and "Error" in parsed and not reported:
                call.modeled_wcu = max(call.modeled_wcu, 1.0)
        self.calls.append(call)

    def take(self) -> list[Call]:
        taken, self.calls = self.calls, []
        return taken


def summarize(calls: list[Call]) -> dict[str, Any]:
    """One request's calls → round trips per service, DynamoDB operations and capacity."""
    dynamo = [c for c in calls if c.service == "dynamodb"]
    operations: dict[str, int] = {}
    for c in dynamo:
        operations[c.operation] = operations.get(c.operation, 0) + 1
    others: dict[str, int] = {}
    for c in calls:
        if c.service != "dynamodb":
            name = f"{c.service}.{c.operation}"
            others[name] = others.get(name, 0) + 1
    return {"round_trips": len(dynamo), "operations": operations, "other_calls": others,
            "rcu": sum(c.rcu for c in dynamo), "wcu": sum(c.wcu for c in dynamo),
            "modeled_rcu": sum(c.modeled_rcu for c in dynamo), "modeled_wcu": sum(c.modeled_wcu for c in dynamo),
            "items": sum(c.items for c in dynamo), "scans": sum(c.operation == "Scan" for c in dynamo)}


def run_measured(meter: AwsMeter, fn, runs: int) -> dict[str, Any]:
    """`fn` once to warm up, then `runs` times: latency (median, max) and the last run's round trips,
    operations, items read and capacity."""
    fn()
    meter.take()
    latencies, costs, answer = [], [], None
    for _ in range(runs):
        started = time.perf_counter()
        answer = fn()
        latencies.append((time.perf_counter() - started) * 1000)
        costs.append(summarize(meter.take()))
    cost = costs[-1]
    return {"median_ms": round(statistics.median(latencies), 1), "max_ms": round(max(latencies), 1),
            "round_trips": cost["round_trips"], "operations": cost["operations"],
            "items_read": cost["items"], "items_returned": len(answer.data) if hasattr(answer, "data") else 1,
            "read_capacity_units": round(cost["rcu"], 1), "write_capacity_units": round(cost["wcu"], 1)}


def item_bytes(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB bills it (DynamoDB form): names plus values, a string by its UTF-8
    bytes, a number by about one byte per two digits, containers with 3 bytes of overhead."""
    def value(v: dict[str, Any]) -> int:
        (kind, content), = v.items()
        if kind == "S":
            return len(content.encode())
        if kind == "N":
            return len(content.lstrip("-").replace(".", "")) // 2 + 2
        if kind in ("L", "M"):
            return 3 + sum(value(x) for x in content) if kind == "L" else 3 + item_bytes(content)
        if kind in ("SS", "NS"):
            return sum(len(x.encode()) for x in content)
        return 1
    return sum(len(name.encode()) + value(v) for name, v in item.items())


def transaction_write_units(actions: list[dict[str, Any]], updated_item_kb: int = 1) -> int:
    """What AWS bills for one TransactWriteItems: 2 WCU per KB of each item, rounded up per item (an
    Update's item is taken as `updated_item_kb`; a ConditionCheck as 1 KB). DynamoDB Local 3.3 reports
    less for a transaction of many small items (2 WCU for 40 items of 150 bytes), so benchmarks of
    such transactions model it with this."""
    units = 0
    for action in actions:
        if "Put" in action:
            units += 2 * -(-item_bytes(action["Put"]["Item"]) // 1024)
        else:
            units += 2 * (updated_item_kb if "Update" in action else 1)
    return units
