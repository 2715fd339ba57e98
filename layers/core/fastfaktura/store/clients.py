"""Client items (access patterns 3 and 4), the guard items that keep `external_id` unique, and the
search index.

A client is `BIZ#<bid>` / `CLIENT#<cid>` (cid a UUIDv7, so the partition's client range is newest
last and a descending Query lists newest first). It carries, besides the `Client` fields,
`search_text` and `phone_digits` (see `domain.clients`) and, when it has an `external_id`, GSI1 keys
for the lookup by it. The guard `BIZ#<bid>` / `CLIENTEXT#<external_id>` names the client holding that
id; a guard is never deleted: when its client lets the id go, it loses its `client_id` and is free.

The search index: for each run of three characters of a client's search fields (`domain.clients.grams`),
a posting `BIZ#<bid>#CLIENTGRAM#<run>` / `POSTING#<cid>` holding the client's `search_text`,
`phone_digits` and `archived_at`, written in the client's own transaction. A search Queries the postings
of one run of its `q` with the filter a full read would use, then reads the page's clients. A run the
client no longer has keeps its posting emptied (no search fields, so it never matches) until TTL takes it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from fastfaktura.domain.clients import Search, grams, phone_digits, search_text
from fastfaktura.domain.errors import Conflict
from fastfaktura.models.clients import Client
from fastfaktura.store import cursors, db, keys, pages

GSI1SK = "CLIENT"
_STORE_ONLY = ("PK", "SK", "GSI1PK", "GSI1SK", "business_id", "client_id", "search_text", "phone_digits")
_GUARD_IS_FREE = "attribute_not_exists(PK) OR attribute_not_exists(client_id)"
_INDEXED = ("search_text", "phone_digits", "archived_at")  # what a posting holds of its client
_TRANSACTION_ACTIONS = 100  # DynamoDB's limit per TransactWriteItems


class StaleRead(Exception):
    """The client changed between its read and the write; read it again and retry."""


# --- items ↔ models --------------------------------------------------------------------------------

def to_client(item: dict[str, Any]) -> Client:
    fields = {k: v for k, v in item.items() if k not in _STORE_ONLY}
    return Client.model_validate({**fields, "id": item["client_id"]})


def client_item(business_id: str, client: Client) -> dict[str, Any]:
    """The whole item of a client: its fields, the search fields and the external-id index keys."""
    values = client.model_dump(mode="json", exclude={"id"})
    item = {"PK": keys.business_pk(business_id), "SK": keys.client_sk(client.id), "business_id": business_id,
            "client_id": client.id, **values, **derived_fields(business_id, values)}
    return {k: v for k, v in item.items() if v is not None}


def derived_fields(business_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """What the store adds to a client's fields (None = absent), from its complete field values."""
    external_id = values.get("external_id")
    return {
        "search_text": search_text(values["name"], values.get("email")),
        "phone_digits": phone_digits(values.get("phone")),
        "GSI1PK": keys.client_external_id_gsi1pk(business_id, external_id) if external_id else None,
        "GSI1SK": GSI1SK if external_id else None,
    }


def _guard_key(business_id: str, external_id: str) -> dict[str, Any]:
    return db.key(keys.business_pk(business_id), keys.client_external_id_sk(external_id))


def _claim_guard(business_id: str, external_id: str, client_id: str) -> dict[str, Any]:
    return {"Put": {"TableName": db.table_name(),
                    "Item": db.to_item({"PK": keys.business_pk(business_id),
                                        "SK": keys.client_external_id_sk(external_id), "client_id": client_id}),
                    "ConditionExpression": _GUARD_IS_FREE, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}


def _free_guard(business_id: str, external_id: str, client_id: str) -> dict[str, Any]:
    return {"Update": {"TableName": db.table_name(), "Key": _guard_key(business_id, external_id),
                       "UpdateExpression": "REMOVE client_id", "ConditionExpression": "client_id = :cid",
                       "ExpressionAttributeValues": {":cid": {"S": client_id}}}}


def _external_id_taken(exc: Exception, guard_index: int, external_id: str) -> Conflict | None:
    """The 409 for a cancelled transaction whose guard claim failed, naming the holder."""
    reasons = getattr(exc, "response", {}).get("CancellationReasons", [])
    if len(reasons) > guard_index and reasons[guard_index].get("Code") == "ConditionalCheckFailed":
        holder = db.from_item(reasons[guard_index].get("Item") or {}).get("client_id")
        return Conflict(f"external_id {external_id!r} is already used by another client",
                        [{"field": "external_id", "issue": "taken", "value": external_id},
                         {"field": "client_id", "issue": "holder", "value": holder}])
    return None


def postings(business_id: str, client_id: str, before: dict[str, Any] | None,
             after: dict[str, Any]) -> list[dict[str, Any]]:
    """The posting items that make the index describe the client item `after` (plain values) instead of
    `before` (None: not indexed yet); none when its search fields and `archived_at` are unchanged. Runs
    it no longer has come first, emptied, so a write cut short never leaves an old text findable."""
    if before is not None and all(before.get(k) == after.get(k) for k in _INDEXED):
        return []
    now = grams(after["search_text"], after.get("phone_digits"))
    gone = grams(before["search_text"], before.get("phone_digits")) - now if before else frozenset()
    indexed = {k: after.get(k) for k in _INDEXED if after.get(k) is not None}
    emptied = {"expires_at": int(time.time())}
    return [{"PK": keys.client_gram_pk(business_id, gram), "SK": keys.client_posting_sk(client_id), **values}
            for values, runs in ((emptied, gone), (indexed, now)) for gram in sorted(runs)]


def _puts(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"Put": {"TableName": db.table_name(), "Item": db.to_item(item)}} for item in items]


def _transact(actions: list[dict[str, Any]]) -> None:
    """One transaction, the client's write first. Past DynamoDB's 100 actions (search fields of more
    than ~95 distinct runs: long names and emails) the remaining postings follow in more transactions;
    `index_business` rewrites them should the function stop in between."""
    for start in range(0, len(actions), _TRANSACTION_ACTIONS):
        db.client().transact_write_items(TransactItems=actions[start:start + _TRANSACTION_ACTIONS])


# --- writes ----------------------------------------------------------------------------------------

def create(business_id: str, client: Client) -> None:
    """One transaction: the client, its guard when it has an `external_id`, its postings."""
    item = client_item(business_id, client)
    put = {"TableName": db.table_name(), "Item": db.to_item(item), "ConditionExpression": "attribute_not_exists(PK)"}
    guard = [_claim_guard(business_id, client.external_id, client.id)] if client.external_id else []
    try:
        _transact([{"Put": put}, *guard, *_puts(postings(business_id, client.id, None, item))])
    except db.client().exceptions.TransactionCanceledException as exc:
        taken = _external_id_taken(exc, 1, client.external_id) if client.external_id else None
        if taken:
            raise taken from exc
        raise


def update(business_id: str, current: dict[str, Any], changes: dict[str, Any], updated_at: str) -> Client:
    """A partial update of the item `current` (as read): `changes` are field values, None clears.

    The write is conditional on `updated_at` still being what was read (StaleRead otherwise), so
    the search fields and postings, computed from the merged values, never describe an older state.
    One UpdateItem when neither `external_id` nor what the postings hold changes; otherwise one
    transaction that also claims the new guard and frees the old one, and rewrites the postings."""
    client_id = current["client_id"]
    merged = {**current, **changes, "updated_at": updated_at}
    derived = derived_fields(business_id, merged)
    sets = {k: v for k, v in {**changes, **derived}.items() if v is not None}
    sets["updated_at"] = updated_at
    removes = [k for k, v in {**changes, **derived}.items() if v is None and k in current]
    update = db.UpdateExpression()
    for field, value in sets.items():
        update.set(field, value)
    for field in removes:
        update.remove(field)
    write = update.request(current["PK"], current["SK"],
                           f"{update.name('updated_at')} = {update.value(current['updated_at'])}")

    after = {k: v for k, v in {**merged, **sets}.items() if k not in removes and v is not None}
    index = _puts(postings(business_id, client_id, current, after))
    old_external, new_external = current.get("external_id"), merged.get("external_id")
    if old_external == new_external and not index:
        try:
            answer = db.client().update_item(**write, ReturnValues="ALL_NEW")
        except db.client().exceptions.ConditionalCheckFailedException as exc:
            raise StaleRead from exc
        return to_client(db.from_item(answer["Attributes"]))

    actions = [{"Update": write}]
    if new_external and new_external != old_external:
        actions.append(_claim_guard(business_id, new_external, client_id))
    if old_external and old_external != new_external:
        actions.append(_free_guard(business_id, old_external, client_id))
    try:
        _transact(actions + index)
    except db.client().exceptions.TransactionCanceledException as exc:
        taken = _external_id_taken(exc, 1, new_external) if new_external and new_external != old_external else None
        if taken:
            raise taken from exc
        raise StaleRead from exc
    return to_client(after)


# --- reads -----------------------------------------------------------------------------------------

def get_item(business_id: str, client_id: str, consistent: bool = False) -> dict[str, Any] | None:
    """Pattern 3: one GetItem; the raw item (plain values), None when the business has no such client."""
    return db.get(keys.business_pk(business_id), keys.client_sk(client_id), consistent=consistent)


def get(business_id: str, client_id: str) -> Client | None:
    item = get_item(business_id, client_id)
    return to_client(item) if item else None


def find_by_external_id(business_id: str, external_id: str) -> Client | None:
    """Pattern 3 by `external_id`: one Query of GSI1."""
    answer = db.client().query(
        TableName=db.table_name(), IndexName=keys.GSI1, KeyConditionExpression="GSI1PK = :pk AND GSI1SK = :sk",
        ExpressionAttributeValues=db.to_item({":pk": keys.client_external_id_gsi1pk(business_id, external_id),
                                              ":sk": GSI1SK}))
    return to_client(db.from_item(answer["Items"][0])) if answer["Items"] else None


@dataclass(frozen=True)
class ListFilter:
    """Which of a business's clients a list shows."""

    include_archived: bool = False
    search: Search | None = None

    def expression(self) -> tuple[str | None, dict[str, Any]]:
        """The Query's FilterExpression and its values (None when every client is shown)."""
        clauses, values = [], {}
        if not self.include_archived:
            clauses.append("attribute_not_exists(archived_at)")
        if self.search:
            values[":text"] = self.search.text
            match = "contains(search_text, :text)"
            if self.search.digits:
                values[":digits"] = self.search.digits
                match = f"({match} OR contains(phone_digits, :digits))"
            clauses.append(match)
        return (" AND ".join(clauses) or None), values


def list_page(business_id: str, asked: pages.PageRequest, shown: ListFilter) -> tuple[list[Client], pages.Page]:
    """Pattern 4 (and 17 by cursor): a page of clients, newest first (`store.pages`: a search may
    match few clients, so its reads start larger). A search with a run of three characters reads the
    postings of that run (`Search.gram`), with the same filter, then the page's clients in one
    BatchGetItem; a shorter one reads the client range itself."""
    filter_expression, filter_values = shown.expression()
    gram = shown.search.gram() if shown.search else None
    partition, prefix = ((keys.client_gram_pk(business_id, gram), keys.CLIENT_POSTING_SK_PREFIX) if gram
                         else (keys.business_pk(business_id), keys.CLIENT_SK_PREFIX))
    request: dict[str, Any] = {
        "TableName": db.table_name(), "ScanIndexForward": False,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": db.to_item({":pk": partition, ":prefix": prefix, **filter_values}),
    }
    if filter_expression:
        request["FilterExpression"] = filter_expression
    scope = cursors.Scope("clients", business_id, ("PK", "SK"), {"PK": partition},
                          {"archived": shown.include_archived, "q": shown.search.text if shown.search else None,
                           "digits": shown.search.digits if shown.search else None})
    page = pages.read(request, asked, scope, sparse=bool(shown.search))
    items = _posted_clients(business_id, page.items) if gram else [db.from_item(item) for item in page.items]
    return [to_client(item) for item in items], page


def _posted_clients(business_id: str, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The client items of postings (DynamoDB form), in their order, in one BatchGetItem (a page holds
    at most 100)."""
    ids = [item["SK"]["S"].removeprefix(keys.CLIENT_POSTING_SK_PREFIX) for item in found]
    if not ids:
        return []
    read = {item["client_id"]: item for item in db.batch_get([(keys.business_pk(business_id), keys.client_sk(cid))
                                                               for cid in ids])}
    return [read[cid] for cid in ids if cid in read]


def index_business(business_id: str) -> int:
    """Writes the postings of every client of the business (the clients stored before the index, or
    a create cut short past its first transaction); answers how many clients. Each client's postings
    go in one transaction conditional on the client being unchanged since it was read, so a
    concurrent update is never undone; a client changed meanwhile is indexed by that change. Rerunnable."""
    request = {"TableName": db.table_name(), "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
               "ExpressionAttributeValues": db.to_item({":pk": keys.business_pk(business_id),
                                                        ":prefix": keys.CLIENT_SK_PREFIX})}
    count = 0
    for item in map(db.from_item, db.query_all(request)):
        unchanged = {"ConditionCheck": {"TableName": db.table_name(), "Key": db.key(item["PK"], item["SK"]),
                                        "ConditionExpression": "updated_at = :at",
                                        "ExpressionAttributeValues": {":at": {"S": item["updated_at"]}}}}
        try:
            _transact([unchanged, *_puts(postings(business_id, item["client_id"], None, item))])
        except db.client().exceptions.TransactionCanceledException:
            pass  # changed meanwhile: that change wrote the postings
        count += 1
    return count
