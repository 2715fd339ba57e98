"""A business's daily email and SMS counters: one item per business, channel and UTC day, taken in ONE
transaction of conditional ADDs before anything is sent, so a send over quota sends nothing and spends
nothing. Items expire (TTL) two days after their day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from fastfaktura.store import db, keys


class QuotaExceeded(Exception):
    def __init__(self, channel: str):
        super().__init__(channel)
        self.channel = channel


def take(business_id: str, day: date, channels: dict[str, int]) -> None:
    """One unit of each channel's quota of `day` ({channel: limit}); QuotaExceeded names the first
    channel whose limit is reached (and then nothing is taken)."""
    expires = int(datetime.combine(day + timedelta(days=2), time(), UTC).timestamp())
    updates = [{"Update": {
        "TableName": db.table_name(), "Key": db.key(keys.business_pk(business_id), keys.send_quota_sk(day, channel)),
        "UpdateExpression": "ADD #sent :one SET expires_at = :expires",
        "ConditionExpression": "attribute_not_exists(#sent) OR #sent < :limit",
        "ExpressionAttributeNames": {"#sent": "sent"},
        "ExpressionAttributeValues": db.to_item({":one": 1, ":limit": limit, ":expires": expires})}}
        for channel, limit in channels.items()]
    if not updates:
        return
    try:
        db.client().transact_write_items(TransactItems=updates)
    except db.client().exceptions.TransactionCanceledException as exc:
        reasons = db.cancellation_reasons(exc)
        if "ConditionalCheckFailed" not in reasons:
            raise
        raise QuotaExceeded(list(channels)[reasons.index("ConditionalCheckFailed")]) from exc
