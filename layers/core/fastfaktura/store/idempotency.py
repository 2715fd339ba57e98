"""Idempotency records (access pattern 10): Powertools' DynamoDB persistence layer, writing our keys.

A record lives at `BIZ#<bid>` / `IDEM#<Idempotency-Key>`, so a key is scoped to its business, and
expires through the table's TTL attribute `expires_at`. Powertools keeps the protocol (conditional
put of an in-progress record, replay of a completed one, payload hash check); this subclass only
changes where the record lives and how a key is released: the application never deletes an item,
so a released record gets an expiry in the past, which lets the next attempt take the key.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord
from aws_lambda_powertools.utilities.idempotency.persistence.dynamodb import DynamoDBPersistenceLayer

from fastfaktura.store import db, keys

_SEPARATOR = "/"  # between the business id (a uuid) and the caller's key in Powertools' record key


def record_key(business_id: str, idempotency_key: str) -> str:
    """Powertools' idempotency key for a business's `Idempotency-Key` (split again by `_get_key`)."""
    return f"{business_id}{_SEPARATOR}{idempotency_key}"


class BusinessScopedPersistence(DynamoDBPersistenceLayer):
    """Records in the single table, one partition per business."""

    def __init__(self):
        super().__init__(table_name=db.table_name(), key_attr="PK", sort_key_attr="SK", expiry_attr="expires_at",
                         in_progress_expiry_attr="in_progress_expires_at_ms", status_attr="status",
                         data_attr="answer", validation_key_attr="request_hash", boto3_client=db.client())

    def _get_hashed_idempotency_key(self, data: dict[str, Any]) -> str:
        """The record key is the business and the caller's key themselves (not a hash of the event),
        so that the item's SK is `IDEM#<Idempotency-Key>` as docs/DATA_MODEL.md says."""
        return record_key(data["business_id"], data["key"])

    def _get_key(self, idempotency_key: str) -> dict:
        business_id, _, key = idempotency_key.partition(_SEPARATOR)
        return db.key(keys.business_pk(business_id), keys.idempotency_sk(key))

    def _delete_record(self, data_record: DataRecord) -> None:
        """Release the key without DeleteItem: an expiry in the past (TTL ignores items older than
        five years, so not 0) makes the record free for the next conditional put."""
        self.client.update_item(
            TableName=self.table_name, Key=self._get_key(data_record.idempotency_key),
            UpdateExpression="SET #expiry = :past REMOVE #answer",
            ExpressionAttributeNames={"#expiry": self.expiry_attr, "#answer": self.data_attr},
            ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
        )


@cache
def persistence() -> BusinessScopedPersistence:
    """One persistence layer per container (it holds the configuration Powertools gives it)."""
    return BusinessScopedPersistence()
