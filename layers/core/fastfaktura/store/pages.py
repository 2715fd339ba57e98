"""One page of a Query's matches, reached by page number or by cursor, for every list.

By page number, the matches before the page are only counted, with key-only reads; by cursor
(`store.cursors`), the Query starts right after the cursor's position, so any depth costs what page 1
costs (one Query for a list without a filter). Either way `per_page + 1` full items are read (the
extra one answers `has_more`) and each read stops as soon as it has enough matches.

A list: `read(request, PageRequest(...), scope)` → `Page` (its items, `has_more`, `next_cursor`)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastfaktura.store import cursors, db


@dataclass(frozen=True)
class PageRequest:
    """Which page a caller asked for: a page number (1 when neither is given) or a cursor."""

    page: int = 1
    per_page: int = 50
    cursor: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]  # DynamoDB form
    has_more: bool
    next_cursor: str | None


def read(request: dict[str, Any], asked: PageRequest, scope: cursors.Scope, sparse: bool = False) -> Page:
    """The page `asked` of the Query `request` (whose keys are `scope.key_attributes`), with the cursor
    of the page after it when more follow. InvalidRequest for a cursor not of this scope."""
    if asked.cursor is not None:
        start = cursors.decode(asked.cursor, scope)
        found = _matches(request, asked.per_page + 1, start, sparse)
        items, has_more = found[:asked.per_page], len(found) > asked.per_page
    else:
        items, has_more = read_page(request, asked.page, asked.per_page, scope.key_attributes, sparse)
    next_cursor = cursors.encode(items[-1], scope) if has_more and items else None
    return Page(items, has_more, next_cursor)


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
