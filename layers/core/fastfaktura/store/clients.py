"""Client items (access patterns 3 and 4) and the guard items that keep `external_id` unique.

A client is `BIZ#<bid>` / `CLIENT#<cid>` (cid a UUIDv7, so the partition's client range is newest
last and a descending Query lists newest first). It carries, besides the `Client` fields,
`search_text` and `phone_digits` (see `domain.clients`) and, when it has an `external_id`, GSI1 keys
for the lookup by it. The guard `BIZ#<bid>` / `CLIENTEXT#<external_id>` names the client holding that
id; a guard is never deleted: when its client lets the id go, it loses its `client_id` and is free.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastfaktura.domain.clients import Search, phone_digits, search_text
from fastfaktura.domain.errors import Conflict, NotFound
from fastfaktura.models.clients import Client
from fastfaktura.store import cursors, db, keys, pages

GSI1SK = "CLIENT"
_STORE_ONLY = ("PK", "SK", "GSI1PK", "GSI1SK", "business_id", "client_id", "search_text", "phone_digits")
_GUARD_IS_FREE = "attribute_not_exists(PK) OR attribute_not_exists(client_id)"


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


# --- writes ----------------------------------------------------------------------------------------

def create(business_id: str, client: Client) -> None:
    """One PutItem, or, with an `external_id`, one transaction: the client and its guard."""
    put = {"TableName": db.table_name(), "Item": db.to_item(client_item(business_id, client)),
           "ConditionExpression": "attribute_not_exists(PK)"}
    if not client.external_id:
        db.client().put_item(**put)
        return
    try:
        db.client().transact_write_items(TransactItems=[
            {"Put": put}, _claim_guard(business_id, client.external_id, client.id)])
    except db.client().exceptions.TransactionCanceledException as exc:
        taken = _external_id_taken(exc, 1, client.external_id)
        if taken:
            raise taken from exc
        raise


def update(business_id: str, current: dict[str, Any], changes: dict[str, Any], updated_at: str) -> Client:
    """A partial update of the item `current` (as read): `changes` are field values, None clears.

    The write is conditional on `updated_at` still being what was read (StaleRead otherwise), so
    the search fields, computed from the merged values, never describe an older state. When
    `external_id` changes, the same transaction claims the new guard and frees the old one."""
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

    old_external, new_external = current.get("external_id"), merged.get("external_id")
    if old_external == new_external:
        try:
            answer = db.client().update_item(**write, ReturnValues="ALL_NEW")
        except db.client().exceptions.ConditionalCheckFailedException as exc:
            raise StaleRead from exc
        return to_client(db.from_item(answer["Attributes"]))

    actions = [{"Update": write}]
    if new_external:
        actions.append(_claim_guard(business_id, new_external, client_id))
    if old_external:
        actions.append(_free_guard(business_id, old_external, client_id))
    try:
        db.client().transact_write_items(TransactItems=actions)
    except db.client().exceptions.TransactionCanceledException as exc:
        taken = _external_id_taken(exc, 1, new_external) if new_external else None
        if taken:
            raise taken from exc
        raise StaleRead from exc
    return to_client({k: v for k, v in {**merged, **sets}.items() if k not in removes and v is not None})


def archive(business_id: str, client_id: str, archived_at: str) -> Client:
    """One UpdateItem: sets `archived_at` unless it is already set (then the client is answered as
    it is: archiving twice changes nothing). NotFound when the business has no such client."""
    try:
        answer = db.client().update_item(
            TableName=db.table_name(), Key=db.key(keys.business_pk(business_id), keys.client_sk(client_id)),
            UpdateExpression="SET archived_at = :at, updated_at = :at",
            ConditionExpression="attribute_exists(PK) AND attribute_not_exists(archived_at)",
            ExpressionAttributeValues={":at": {"S": archived_at}}, ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except db.client().exceptions.ConditionalCheckFailedException as exc:
        if "Item" not in exc.response:
            raise NotFound("client not found") from exc
        return to_client(db.from_item(exc.response["Item"]))
    return to_client(db.from_item(answer["Attributes"]))


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
    match few clients, so its reads start larger)."""
    filter_expression, filter_values = shown.expression()
    request: dict[str, Any] = {
        "TableName": db.table_name(), "ScanIndexForward": False,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": db.to_item({":pk": keys.business_pk(business_id),
                                                 ":prefix": keys.CLIENT_SK_PREFIX, **filter_values}),
    }
    if filter_expression:
        request["FilterExpression"] = filter_expression
    scope = cursors.Scope("clients", business_id, ("PK", "SK"), {"PK": keys.business_pk(business_id)},
                          {"archived": shown.include_archived, "q": shown.search.text if shown.search else None,
                           "digits": shown.search.digits if shown.search else None})
    page = pages.read(request, asked, scope, sparse=bool(shown.search))
    return [to_client(db.from_item(item)) for item in page.items], page
