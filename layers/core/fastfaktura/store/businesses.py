"""Business profiles and their API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastfaktura.domain.errors import NotFound, ServiceUnavailable
from fastfaktura.models.business import Business
from fastfaktura.models.common import to_rfc3339
from fastfaktura.store import db, keys


def to_business(item: dict[str, Any]) -> Business:
    """The profile item (as read) → the Business model."""
    fields = {k: v for k, v in item.items() if k not in ("PK", "SK")}
    fields["id"] = fields.pop("business_id")
    return Business.model_validate(fields)


def _business_to_item(business: Business) -> dict[str, Any]:
    values = business.model_dump(mode="json", exclude={"id"})
    return {"PK": keys.business_pk(business.id), "SK": keys.PROFILE_SK, "business_id": business.id, **values}


def get(business_id: str, consistent: bool = False) -> Business:
    item = db.get(keys.business_pk(business_id), keys.PROFILE_SK, consistent=consistent)
    if item is None:
        raise NotFound("business not found")
    return to_business(item)


def update(business_id: str, changes: dict[str, Any], updated_at: datetime) -> Business:
    """A partial update in one UpdateItem: set fields are SET, nulled fields are REMOVEd."""
    return to_business(db.update_existing(keys.business_pk(business_id), keys.PROFILE_SK,
                                         {**changes, "updated_at": to_rfc3339(updated_at)}))


BANK_DETAILS_CHANGED = "business.bank_details_changed"  # also a webhook event type (models.webhooks)
MAX_CONFLICT_RETRIES = 4


def update_bank_details(business_id: str, changes: dict[str, Any], updated_at: datetime, event_id: str,
                        by: str | None) -> Business:
    """The update of `update`, plus — when the IBAN or BIC really changes — a `business.bank_details_changed`
    event item of the business, in ONE transaction conditioned on the profile being as read (a
    concurrent update makes it read and try again). Round trips: one GetItem, one write."""
    pk = keys.business_pk(business_id)
    for _attempt in range(MAX_CONFLICT_RETRIES):
        old = db.get(pk, keys.PROFILE_SK, consistent=True)
        if old is None:
            raise NotFound("business not found")
        at = to_rfc3339(updated_at)
        new = {name: value for name, value in {**old, **changes, "updated_at": at}.items() if value is not None}
        bank = {name: new.get(name) for name in ("iban", "bic")}
        previous = {name: old.get(name) for name in ("iban", "bic")}
        if bank == previous:
            return update(business_id, changes, updated_at)
        expression = db.UpdateExpression().changes({**changes, "updated_at": at})
        condition = f"{expression.name('updated_at')} = {expression.value(old['updated_at'])}"
        event = {"PK": pk, "SK": keys.business_event_sk(at, event_id), "business_id": business_id,
                 "event_id": event_id, "type": BANK_DETAILS_CHANGED, "at": at, "by": by,
                 "data": {**bank, "previous": previous}}
        try:
            db.client().transact_write_items(TransactItems=[
                {"Update": expression.request(pk, keys.PROFILE_SK, condition)},
                {"Put": {"TableName": db.table_name(), "Item": db.to_item(event),
                         "ConditionExpression": "attribute_not_exists(PK)"}}])
        except db.client().exceptions.TransactionCanceledException as exc:
            if not {"ConditionalCheckFailed", "TransactionConflict"} & set(db.cancellation_reasons(exc)):
                raise
            continue
        return to_business(new)
    raise ServiceUnavailable.busy()


def create_with_key(business: Business, key_hash: str, key_id: str, created_at: datetime) -> None:
    """The profile and its first API key, in one transaction."""
    db.client().transact_write_items(TransactItems=[
        {"Put": {"TableName": db.table_name(), "Item": db.to_item(_business_to_item(business)),
                 "ConditionExpression": "attribute_not_exists(PK)"}},
        {"Put": _api_key_put(business.id, business.sandbox, key_hash, key_id, created_at)},
    ])


def _api_key_put(business_id: str, sandbox: bool, key_hash: str, key_id: str, created_at: datetime) -> dict:
    item = {
        "PK": keys.api_key_pk(key_hash), "SK": keys.API_KEY_SK,
        "GSI1PK": keys.api_key_id_gsi1pk(key_id), "GSI1SK": keys.API_KEY_SK,
        "business_id": business_id, "key_id": key_id, "sandbox": sandbox,
        "created_at": to_rfc3339(created_at),
    }
    return {"TableName": db.table_name(), "Item": db.to_item(item),
            "ConditionExpression": "attribute_not_exists(PK)"}


def add_api_key(business_id: str, sandbox: bool, key_hash: str, key_id: str, created_at: datetime) -> None:
    put = _api_key_put(business_id, sandbox, key_hash, key_id, created_at)
    db.client().put_item(**put)


def find_api_key(key_hash: str) -> dict[str, Any] | None:
    """Pattern 1: one GetItem from the hash of a presented key."""
    return db.get(keys.api_key_pk(key_hash), keys.API_KEY_SK)


def revoke_api_key(key_id: str, revoked_at: datetime) -> dict[str, Any]:
    answer = db.client().query(
        TableName=db.table_name(), IndexName=keys.GSI1,
        KeyConditionExpression="GSI1PK = :pk",
        ExpressionAttributeValues={":pk": {"S": keys.api_key_id_gsi1pk(key_id)}},
    )
    if not answer["Items"]:
        raise NotFound(f"no API key {key_id}")
    item = db.from_item(answer["Items"][0])
    db.client().update_item(
        TableName=db.table_name(), Key=db.key(item["PK"], item["SK"]),
        UpdateExpression="SET revoked_at = if_not_exists(revoked_at, :at)",
        ExpressionAttributeValues={":at": {"S": to_rfc3339(revoked_at)}},
    )
    return item
