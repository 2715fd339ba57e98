"""Page arithmetic on a Query (the client and invoice lists): the matches before the page are only
counted, with key-only reads, and from where the page starts `per_page + 1` full items are read (the
extra one answers `has_more`). Each read stops as soon as it has enough matches."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from fastfaktura.store import db


def read_page(request: dict[str, Any], page: int, per_page: int, key_attributes: tuple[str, ...],
              sparse: bool = False) -> tuple[list[dict[str, Any]], bool]:
    """One page of the Query `request`'s matches (DynamoDB form) and whether more follow.

    `key_attributes`: what an ExclusiveStartKey of this Query holds (the table's keys, and the index's
    for an index). `sparse`: the filter may match few items, so reads start larger."""
    start_key = None
    skip = (page - 1) * per_page
    if skip:
        keys_only = {**request, "ProjectionExpression": ", ".join(key_attributes)}
        skipped = _matches(keys_only, skip, None, sparse)
        if len(skipped) < skip:
            return [], False
        start_key = {name: skipped[-1][name] for name in key_attributes}
    items = _matches(request, per_page + 1, start_key, sparse)
    return items[:per_page], len(items) > per_page


def _matches(request: dict[str, Any], wanted: int, start_key: dict[str, Any] | None,
             sparse: bool) -> list[dict[str, Any]]:
    """The first `wanted` matching items after `start_key`."""
    found: list[dict[str, Any]] = []
    for items in _query_pages(request, wanted, start_key, sparse):
        found += items
        if len(found) >= wanted:
            break
    return found[:wanted]


def _query_pages(request: dict[str, Any], wanted: int, start_key: dict[str, Any] | None,
                 sparse: bool) -> Iterator[list[dict[str, Any]]]:
    """Query pages of matches, each read stopping near where enough matches are expected. Without a
    sparse filter most items match, so the first read asks for exactly the matches still missing; a
    sparse one (a search) starts at four times that. The next read is sized by the match rate seen so
    far (a quarter more, for luck), or four times larger when nothing matched yet; DynamoDB caps each
    read at 1 MB. So a sparse search needs few round trips and a dense list reads little beyond its page."""
    missing, matched, scanned = wanted, 0, 0
    limit = 4 * wanted if sparse else wanted
    while True:
        query = {**request, "Limit": limit}
        if start_key:
            query["ExclusiveStartKey"] = start_key
        answer = db.client().query(**query)
        yield answer["Items"]
        start_key = answer.get("LastEvaluatedKey")
        missing -= answer["Count"]
        if not start_key or missing <= 0:
            return
        matched, scanned = matched + answer["Count"], scanned + answer["ScannedCount"]
        limit = max(missing, math.ceil(missing * 1.25 * scanned / matched)) if matched else 4 * limit
