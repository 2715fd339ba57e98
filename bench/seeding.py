"""Seeding a benchmark business fast: items shaped by the store's own builders, written with
BatchWriteItem in parallel (benchmark set-up only; the application never batch-writes)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastfaktura.store import db


def batch_put(items: list[dict[str, Any]]) -> None:
    def write(batch: list[dict[str, Any]]) -> None:
        request = {db.table_name(): [{"PutRequest": {"Item": db.to_item(item)}} for item in batch]}
        while request:
            request = db.client().batch_write_item(RequestItems=request).get("UnprocessedItems") or {}

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, [items[i:i + 25] for i in range(0, len(items), 25)]))
