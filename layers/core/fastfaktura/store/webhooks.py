"""Outbound webhook items (docs/DATA_MODEL.md, "Webhooks"): endpoints with their per-business counter,
the event feed, the delivery state of each (endpoint, event) and one item per delivery attempt.

No item holds a signing secret: an endpoint keeps only its `secret_version` (the secret is derived).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from fastfaktura.domain.errors import Conflict, NotFound
from fastfaktura.models.common import to_rfc3339
from fastfaktura.models.webhooks import MAX_ENDPOINTS_PER_BUSINESS
from fastfaktura.store import cursors, db, keys, pages

FEED_KEPT = timedelta(days=35)  # TTL deletes late, never early: the feed keeps at least 30 days
ATTEMPTS_KEPT = timedelta(days=30)
STATE_KEPT = timedelta(days=35)
PENDING, DELIVERED, GIVEN_UP = "pending", "delivered", "given_up"
_NOT_DELETED = "attribute_exists(PK) AND (attribute_not_exists(disabled_reason) OR disabled_reason <> :deleted)"


class Found(NamedTuple):
    """A page of one of these lists: its items (plain values), whether more follow, and the cursor to them."""

    items: list[dict[str, Any]]
    has_more: bool
    next_cursor: str | None


def _expires(at: datetime, kept: timedelta) -> int:
    return int((at + kept).timestamp())


def _cancelled_at(exc: Exception, index: int) -> bool:
    reasons = db.cancellation_reasons(exc)
    return len(reasons) > index and reasons[index] == "ConditionalCheckFailed"


# --- endpoints --------------------------------------------------------------------------------------

def create_endpoint(business_id: str, endpoint: dict[str, Any]) -> None:
    """One transaction: the counter of endpoints not deleted goes up unless it is at the limit, and the
    endpoint is put (Conflict at the limit, even for concurrent creates)."""
    counter = {"Update": {
        "TableName": db.table_name(), "Key": db.key(keys.business_pk(business_id), keys.WEBHOOK_ENDPOINT_COUNTER_SK),
        "UpdateExpression": "SET active = if_not_exists(active, :zero) + :one",
        "ConditionExpression": "attribute_not_exists(active) OR active < :max",
        "ExpressionAttributeValues": db.to_item({":zero": 0, ":one": 1, ":max": MAX_ENDPOINTS_PER_BUSINESS})}}
    item = {"PK": keys.business_pk(business_id), "SK": keys.webhook_endpoint_sk(endpoint["endpoint_id"]),
            "business_id": business_id, **endpoint}
    put = {"Put": {"TableName": db.table_name(), "Item": db.to_item(item),
                   "ConditionExpression": "attribute_not_exists(PK)"}}
    try:
        db.client().transact_write_items(TransactItems=[counter, put])
    except db.client().exceptions.TransactionCanceledException as exc:
        if _cancelled_at(exc, 0):
            raise Conflict(f"a business has at most {MAX_ENDPOINTS_PER_BUSINESS} webhook endpoints; "
                           "delete one first", [{"field": "url", "issue": "limit_reached",
                                                 "value": MAX_ENDPOINTS_PER_BUSINESS}]) from exc
        raise


def get_endpoint(business_id: str, endpoint_id: str, consistent: bool = False) -> dict[str, Any] | None:
    return db.get(keys.business_pk(business_id), keys.webhook_endpoint_sk(endpoint_id), consistent=consistent)


def endpoints_page(business_id: str, per_page: int, cursor: str | None) -> Found:
    """Oldest first (the order they were made in), deleted ones too."""
    pk = keys.business_pk(business_id)
    request = {"TableName": db.table_name(), "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
               "ScanIndexForward": True,
               "ExpressionAttributeValues": db.to_item({":pk": pk, ":prefix": keys.WEBHOOK_ENDPOINT_SK_PREFIX})}
    return _page(request, per_page, cursor, cursors.Scope("webhook-endpoints", business_id, ("PK", "SK"), {"PK": pk}))


def enabled_endpoints(business_id: str) -> list[dict[str, Any]]:
    """The endpoints that receive events (at most 10): one Query of the business's `WHEP#` range."""
    request = {"TableName": db.table_name(), "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
               "FilterExpression": "enabled = :yes",
               "ExpressionAttributeValues": db.to_item({":pk": keys.business_pk(business_id),
                                                        ":prefix": keys.WEBHOOK_ENDPOINT_SK_PREFIX, ":yes": True})}
    return [db.from_item(item) for item in db.query_all(request)]


def update_endpoint(business_id: str, endpoint_id: str, sets: dict[str, Any], removes: tuple[str, ...] = ()) -> dict:
    """One conditional UpdateItem of an endpoint that is not deleted; the new item. NotFound when there is
    no such endpoint, Conflict when it was deleted."""
    names = {f"#s{i}": name for i, name in enumerate(sets)} | {f"#r{i}": name for i, name in enumerate(removes)}
    expression = "SET " + ", ".join(f"#s{i} = :s{i}" for i in range(len(sets)))
    if removes:
        expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removes)))
    values = {f":s{i}": value for i, value in enumerate(sets.values())} | {":deleted": "deleted"}
    return _update(business_id, endpoint_id, expression, names, values)


def rotate_secret(business_id: str, endpoint_id: str, rotated_at: str) -> dict[str, Any]:
    """The next secret version, atomically (two concurrent rotations make two versions, never one twice)."""
    return _update(business_id, endpoint_id, "ADD secret_version :one SET rotated_at = :at, updated_at = :at",
                   {}, {":one": 1, ":at": rotated_at, ":deleted": "deleted"})


def _update(business_id: str, endpoint_id: str, expression: str, names: dict, values: dict) -> dict[str, Any]:
    request = {"TableName": db.table_name(),
               "Key": db.key(keys.business_pk(business_id), keys.webhook_endpoint_sk(endpoint_id)),
               "UpdateExpression": expression, "ConditionExpression": _NOT_DELETED,
               "ExpressionAttributeValues": db.to_item(values), "ReturnValues": "ALL_NEW",
               "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}
    if names:
        request["ExpressionAttributeNames"] = names
    try:
        return db.from_item(db.client().update_item(**request)["Attributes"])
    except db.client().exceptions.ConditionalCheckFailedException as exc:
        if "Item" not in exc.response:
            raise NotFound("webhook endpoint not found") from exc
        raise Conflict("the webhook endpoint was deleted; register a new one") from exc


def delete_endpoint(business_id: str, endpoint_id: str, at: str) -> dict[str, Any]:
    """Disables for good (nothing is deleted) and frees its place under the limit, in one transaction;
    deleting a deleted endpoint changes nothing. The endpoint as it is then."""
    key = db.key(keys.business_pk(business_id), keys.webhook_endpoint_sk(endpoint_id))
    try:
        db.client().transact_write_items(TransactItems=[
            {"Update": {"TableName": db.table_name(), "Key": key,
                        "UpdateExpression": "SET enabled = :no, disabled_reason = :deleted, updated_at = :at",
                        "ConditionExpression": _NOT_DELETED,
                        "ExpressionAttributeValues": db.to_item({":no": False, ":deleted": "deleted", ":at": at})}},
            {"Update": {"TableName": db.table_name(),
                        "Key": db.key(keys.business_pk(business_id), keys.WEBHOOK_ENDPOINT_COUNTER_SK),
                        "UpdateExpression": "SET active = active - :one", "ConditionExpression": "active > :zero",
                        "ExpressionAttributeValues": db.to_item({":one": 1, ":zero": 0})}}])
    except db.client().exceptions.TransactionCanceledException as exc:
        if not _cancelled_at(exc, 0):
            raise
    item = get_endpoint(business_id, endpoint_id, consistent=True)
    if item is None:
        raise NotFound("webhook endpoint not found")
    return item


def endpoint_failed(business_id: str, endpoint_id: str, at: str) -> dict[str, Any] | None:
    """Marks when the endpoint's failures began (kept until a success); the endpoint, or None if gone."""
    try:
        answer = db.client().update_item(
            TableName=db.table_name(), Key=db.key(keys.business_pk(business_id), keys.webhook_endpoint_sk(endpoint_id)),
            UpdateExpression="SET failing_since = if_not_exists(failing_since, :at)",
            ConditionExpression="attribute_exists(PK)", ExpressionAttributeValues={":at": {"S": at}},
            ReturnValues="ALL_NEW")
    except db.client().exceptions.ConditionalCheckFailedException:
        return None
    return db.from_item(answer["Attributes"])


def endpoint_succeeded(business_id: str, endpoint_id: str) -> None:
    """A success ends the failing streak (no write when there was none)."""
    try:
        db.client().update_item(
            TableName=db.table_name(), Key=db.key(keys.business_pk(business_id), keys.webhook_endpoint_sk(endpoint_id)),
            UpdateExpression="REMOVE failing_since", ConditionExpression="attribute_exists(failing_since)")
    except db.client().exceptions.ConditionalCheckFailedException:
        pass


def disable_failing(business_id: str, endpoint_id: str, at: str, feed_event: dict[str, Any]) -> bool:
    """One transaction: the endpoint is disabled (`failing`) and the feed records it; False when it was
    no longer enabled (another delivery disabled it first)."""
    try:
        db.client().transact_write_items(TransactItems=[
            {"Update": {"TableName": db.table_name(),
                        "Key": db.key(keys.business_pk(business_id), keys.webhook_endpoint_sk(endpoint_id)),
                        "UpdateExpression": "SET enabled = :no, disabled_reason = :failing, updated_at = :at",
                        "ConditionExpression": "enabled = :yes",
                        "ExpressionAttributeValues": db.to_item({":no": False, ":yes": True, ":failing": "failing",
                                                                 ":at": at})}},
            {"Put": {"TableName": db.table_name(), "Item": db.to_item(feed_event),
                     "ConditionExpression": "attribute_not_exists(PK)"}}])
    except db.client().exceptions.TransactionCanceledException as exc:
        if _cancelled_at(exc, 0) or _cancelled_at(exc, 1):
            return False
        raise
    return True


# --- the event feed ---------------------------------------------------------------------------------

def feed_item(business_id: str, event_id: str, event_type: str, created_at: datetime, sandbox: bool,
              body: str) -> dict[str, Any]:
    """The feed's item of one event: `body` is the exact JSON every attempt sends and the feed answers."""
    sk = keys.feed_event_sk(to_rfc3339(created_at), event_id)
    return {"PK": keys.events_feed_pk(business_id), "SK": sk,
            "GSI3PK": keys.events_by_type_gsi3pk(business_id, event_type), "GSI3SK": sk,
            "business_id": business_id, "event_id": event_id, "type": event_type, "sandbox": sandbox, "body": body,
            "expires_at": _expires(created_at, FEED_KEPT)}


def put_event(item: dict[str, Any]) -> bool:
    """One conditional PutItem; False when the event is already in the feed (its key is its cause's)."""
    return db.put_new(item)


def get_event(business_id: str, sk: str) -> dict[str, Any] | None:
    return db.get(keys.events_feed_pk(business_id), sk)


def events_page(business_id: str, event_type: str | None, per_page: int, cursor: str | None) -> Found:
    """Newest first: a Query of the feed's partition, or of GSI3 for one type."""
    if event_type is None:
        pk_name, pk, index = "PK", keys.events_feed_pk(business_id), {}
        key_attributes: tuple[str, ...] = ("PK", "SK")
    else:
        pk_name, pk, index = "GSI3PK", keys.events_by_type_gsi3pk(business_id, event_type), {"IndexName": keys.GSI3}
        key_attributes = ("PK", "SK", "GSI3PK", "GSI3SK")  # a GSI's position holds the table's keys too
    request = {"TableName": db.table_name(), **index, "KeyConditionExpression": f"{pk_name} = :pk",
               "ScanIndexForward": False, "ExpressionAttributeValues": db.to_item({":pk": pk})}
    scope = cursors.Scope("events", business_id, key_attributes, {pk_name: pk}, {"type": event_type})
    return _page(request, per_page, cursor, scope)


# --- delivery state and attempts --------------------------------------------------------------------

def _state_key(business_id: str, endpoint_id: str, event_id: str) -> dict[str, Any]:
    return db.key(keys.webhook_endpoint_pk(business_id, endpoint_id), keys.delivery_state_sk(event_id))


def open_state(business_id: str, endpoint_id: str, event_id: str, event_sk: str, now: datetime) -> dict | None:
    """The (endpoint, event) state, put when new (`pending`, 0 attempts); None when it was new, else the
    state found (a redelivered stream record: enqueued already when it has a `message_id`)."""
    item = {"PK": keys.webhook_endpoint_pk(business_id, endpoint_id), "SK": keys.delivery_state_sk(event_id),
            "event_id": event_id, "event_sk": event_sk, "status": PENDING, "attempts": 0,
            "expires_at": _expires(now, STATE_KEPT)}
    try:
        db.client().put_item(TableName=db.table_name(), Item=db.to_item(item),
                             ConditionExpression="attribute_not_exists(PK)",
                             ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except db.client().exceptions.ConditionalCheckFailedException as exc:
        return db.from_item(exc.response.get("Item") or {})
    return None


def claim_message(business_id: str, endpoint_id: str, event_id: str, message_id: str) -> dict[str, Any] | None:
    """The state, now owned by this queue message; None when it is settled or owned by another message
    (a duplicate message: dropped). The stream consumer's own claim after sending and the delivery
    function's claim on receipt are the same write, so whichever comes first, one message owns it."""
    try:
        answer = db.client().update_item(
            TableName=db.table_name(), Key=_state_key(business_id, endpoint_id, event_id),
            UpdateExpression="SET message_id = :m",
            ConditionExpression="attribute_exists(PK) AND #status = :pending AND "
                                "(attribute_not_exists(message_id) OR message_id = :m)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=db.to_item({":m": message_id, ":pending": PENDING}), ReturnValues="ALL_NEW")
    except db.client().exceptions.ConditionalCheckFailedException:
        return None
    return db.from_item(answer["Attributes"])


def settle(business_id: str, endpoint_id: str, event_id: str, status: str) -> None:
    db.client().update_item(TableName=db.table_name(), Key=_state_key(business_id, endpoint_id, event_id),
                            UpdateExpression="SET #status = :s", ExpressionAttributeNames={"#status": "status"},
                            ExpressionAttributeValues={":s": {"S": status}})


def record_attempt(business_id: str, endpoint_id: str, attempt: dict[str, Any], status: str,
                   attempted_at: datetime) -> None:
    """One transaction: the attempt item (kept 30 days) and the state's count, status and first time."""
    at = to_rfc3339(attempted_at)
    item = {"PK": keys.webhook_endpoint_pk(business_id, endpoint_id),
            "SK": keys.attempt_sk(at, attempt["event_id"]), **attempt, "attempted_at": at,
            "expires_at": _expires(attempted_at, ATTEMPTS_KEPT)}
    db.client().transact_write_items(TransactItems=[
        {"Put": {"TableName": db.table_name(), "Item": db.to_item(item)}},
        {"Update": {"TableName": db.table_name(), "Key": _state_key(business_id, endpoint_id, attempt["event_id"]),
                    "UpdateExpression": "SET attempts = attempts + :one, #status = :s, "
                                        "first_attempt_at = if_not_exists(first_attempt_at, :at)",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": db.to_item({":one": 1, ":s": status, ":at": at})}}])


def attempts_page(business_id: str, endpoint_id: str, per_page: int, cursor: str | None) -> Found:
    """Newest first."""
    pk = keys.webhook_endpoint_pk(business_id, endpoint_id)
    request = {"TableName": db.table_name(), "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
               "ScanIndexForward": False,
               "ExpressionAttributeValues": db.to_item({":pk": pk, ":prefix": keys.ATTEMPT_SK_PREFIX})}
    scope = cursors.Scope("deliveries", business_id, ("PK", "SK"), {"PK": pk}, {"endpoint": endpoint_id})
    return _page(request, per_page, cursor, scope)


def _page(request: dict[str, Any], per_page: int, cursor: str | None, scope: cursors.Scope) -> Found:
    """These lists page by cursor only, as every list does by cursor (`store.pages`)."""
    page = pages.read(request, pages.PageRequest(per_page=per_page, cursor=cursor), scope)
    return Found([db.from_item(item) for item in page.items], page.has_more, page.next_cursor)
