"""A business's gapless number sequences (invoices, credit notes): a counter item `BIZ#<bid>` /
`COUNTER#<sequence>` holding `last`, the last number given. A writer reads it, then claims `seen + 1`
inside the same TransactWriteItems as the document that carries the number, on condition that `last`
is still `seen`; when another writer won, the whole transaction is cancelled and the writer retries
with the counter's fresh value. So a number is only ever given together with its document."""

from __future__ import annotations

from typing import Any

from fastfaktura.store import db, keys


class NumberTaken(Exception):
    """Another writer took the number this one read; `last` is the counter's fresh value."""

    def __init__(self, last: int | None):
        super().__init__(f"the counter moved to {last}")
        self.last = last


def read_last(business_id: str, counter_sk: str) -> int | None:
    """The counter's last number, strongly consistent (None: nothing numbered yet)."""
    counter = db.get(keys.business_pk(business_id), counter_sk, consistent=True)
    return counter["last"] if counter else None


def claim(business_id: str, counter_sk: str, seen_last: int | None, sequence: int) -> dict[str, Any]:
    """The transaction item that moves the counter from `seen_last` to `sequence`."""
    condition = "#last = :seen" if seen_last is not None else "attribute_not_exists(#last)"
    values = {":next": {"N": str(sequence)}}
    if seen_last is not None:
        values[":seen"] = {"N": str(seen_last)}
    return {"Update": {
        "TableName": db.table_name(), "Key": db.key(keys.business_pk(business_id), counter_sk),
        "UpdateExpression": "SET #last = :next", "ConditionExpression": condition,
        "ExpressionAttributeNames": {"#last": "last"}, "ExpressionAttributeValues": values,
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}


def number_taken(reason: dict[str, Any]) -> NumberTaken | None:
    """The claim's cancellation reason as NumberTaken (with the counter's value), or None when the
    claim itself did not fail."""
    if reason.get("Code") == "ConditionalCheckFailed" and "Item" in reason:
        return NumberTaken(db.from_item(reason["Item"]).get("last"))
    return None
