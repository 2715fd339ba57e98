"""A business's request budget: one item per business and minute, counted by ONE conditional UpdateItem
per authenticated request (a bucket refilled at each minute's start). Items expire (TTL) after a day."""

from __future__ import annotations

from fastfaktura.store import db, keys

WINDOW_SECONDS = 60


class BudgetSpent(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def take(business_id: str, limit: int, now: float) -> None:
    """One request of this minute's `limit`; BudgetSpent (with the seconds to the next minute) beyond it."""
    window = int(now) // WINDOW_SECONDS
    try:
        db.client().update_item(
            TableName=db.table_name(), Key=db.key(keys.business_pk(business_id), keys.request_budget_sk(window)),
            UpdateExpression="ADD #used :one SET expires_at = :expires",
            ConditionExpression="attribute_not_exists(#used) OR #used < :limit",
            ExpressionAttributeNames={"#used": "used"},
            ExpressionAttributeValues=db.to_item({":one": 1, ":limit": limit,
                                                  ":expires": (window + 1) * WINDOW_SECONDS + 86400}))
    except db.client().exceptions.ConditionalCheckFailedException:
        raise BudgetSpent(max(1, (window + 1) * WINDOW_SECONDS - int(now))) from None
