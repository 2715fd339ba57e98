"""The table's low-level client, created once per container, and item (de)serialization."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config

from fastfaktura import settings
from fastfaktura.domain.errors import NotFound, ServiceUnavailable

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

# Standard retries: up to 4 attempts, with jittered backoff, on throttling and transient errors before the
# caller sees an error (a create's lost race for a number is retried by the create itself).
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=2, read_timeout=5)


@cache
def client():
    return boto3.client("dynamodb", config=_CONFIG)


def table_name() -> str:
    return settings.get().table_name


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """A plain dict → DynamoDB attribute values. None values are left out (absent = null). A float at
    the top level (a JSON-mode dump of a decimal field, e.g. 10.15) is stored as the Decimal of its text."""
    return {k: _serializer.serialize(Decimal(repr(v)) if isinstance(v, float) else v)
            for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB attribute values → plain values; whole numbers come back as int, others as Decimal."""
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, set):
        return {_plain(v) for v in value}
    return value


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def get(pk: str, sk: str, consistent: bool = False) -> dict[str, Any] | None:
    answer = client().get_item(TableName=table_name(), Key=key(pk, sk), ConsistentRead=consistent)
    item = answer.get("Item")
    return from_item(item) if item else None


def put_new(item: dict[str, Any]) -> bool:
    """One PutItem of `item` (plain values) unless its key is taken; False when it is. For items whose key
    is derived from their cause (an event): writing one again, e.g. from a redelivered stream record,
    changes nothing."""
    try:
        client().put_item(TableName=table_name(), Item=to_item(item), ConditionExpression="attribute_not_exists(PK)")
    except client().exceptions.ConditionalCheckFailedException:
        return False
    return True


def query_all(request: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item (DynamoDB form) a Query matches, reading page after page (each stops at 1 MB)."""
    while True:
        answer = client().query(**request)
        yield from answer["Items"]
        if "LastEvaluatedKey" not in answer:
            return
        request = {**request, "ExclusiveStartKey": answer["LastEvaluatedKey"]}


def cancellation_reasons(exc: Exception) -> list[str]:
    """The per-item codes of a cancelled transaction ("None", "ConditionalCheckFailed", …)."""
    return [r.get("Code", "None") for r in getattr(exc, "response", {}).get("CancellationReasons", [])]


class UpdateExpression:
    """One UpdateItem's expression, built clause by clause (SET, REMOVE, ADD), for every partial update
    of the app. Each attribute name and value gets a placeholder (names once, so a condition can name
    an attribute the update sets), so reserved words such as `status` need no care."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}
        self._clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": []}

    def name(self, attribute: str) -> str:
        """The placeholder of an attribute name (the same one on every use)."""
        placeholder = next((p for p, a in self.names.items() if a == attribute), None)
        if placeholder is None:
            placeholder = f"#n{len(self.names)}"
            self.names[placeholder] = attribute
        return placeholder

    def value(self, value: Any) -> str:
        """The placeholder of a value (never None: a null is a REMOVE)."""
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def set(self, attribute: str, value: Any) -> UpdateExpression:
        self._clauses["SET"].append(f"{self.name(attribute)} = {self.value(value)}")
        return self

    def copy(self, attribute: str, source: str) -> UpdateExpression:
        """SET `attribute` to the item's own `source` attribute."""
        self._clauses["SET"].append(f"{self.name(attribute)} = {self.name(source)}")
        return self

    def remove(self, attribute: str) -> UpdateExpression:
        self._clauses["REMOVE"].append(self.name(attribute))
        return self

    def add(self, attribute: str, number: int) -> UpdateExpression:
        self._clauses["ADD"].append(f"{self.name(attribute)} {self.value(number)}")
        return self

    def changes(self, changes: dict[str, Any]) -> UpdateExpression:
        """A partial update's field values: each one SET, or REMOVEd when null."""
        for attribute, value in changes.items():
            if value is None:
                self.remove(attribute)
            else:
                self.set(attribute, value)
        return self

    def request(self, pk: str, sk: str, condition: str) -> dict[str, Any]:
        """UpdateItem parameters, which are also a TransactWriteItems `Update`."""
        expression = " ".join(f"{verb} {', '.join(parts)}" for verb, parts in self._clauses.items() if parts)
        request = {"TableName": table_name(), "Key": key(pk, sk), "UpdateExpression": expression,
                   "ConditionExpression": condition, "ExpressionAttributeNames": dict(self.names)}
        if self.values:
            request["ExpressionAttributeValues"] = to_item(self.values)
        return request


def update_existing(pk: str, sk: str, changes: dict[str, Any]) -> dict[str, Any]:
    """A partial update of an existing item in one UpdateItem (null values are REMOVEd); answers
    the new item, or raises NotFound when there is no such item."""
    request = UpdateExpression().changes(changes).request(pk, sk, "attribute_exists(PK)")
    try:
        answer = client().update_item(**request, ReturnValues="ALL_NEW")
    except client().exceptions.ConditionalCheckFailedException as exc:
        raise NotFound("not found") from exc
    return from_item(answer["Attributes"])


BATCH_GET_LIMIT = 100


def batch_get(item_keys: list[tuple[str, str]], consistent: bool = False,
              projection: str | None = None, names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The items of up to 100 (PK, SK) pairs in one BatchGetItem (absent ones are left out); keys that
    DynamoDB leaves unprocessed are asked again with backoff, then 503."""
    request: dict[str, Any] = {"Keys": [key(pk, sk) for pk, sk in item_keys], "ConsistentRead": consistent}
    if projection:
        request["ProjectionExpression"] = projection
    if names:
        request["ExpressionAttributeNames"] = names
    pending, found = {table_name(): request}, []
    for attempt in range(8):
        answer = client().batch_get_item(RequestItems=pending)
        found += [from_item(item) for item in answer["Responses"].get(table_name(), [])]
        pending = answer.get("UnprocessedKeys") or {}
        if not pending:
            return found
        time.sleep(0.01 * 2**attempt)
    raise ServiceUnavailable.busy()
