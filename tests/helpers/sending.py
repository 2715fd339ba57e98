"""Sending an invoice through the API, and the delivery items the send kept."""

from __future__ import annotations

from tests.helpers.api import Api


def send(api: Api, invoice_id: str, channels, reminder: bool | None = None, **kw):
    body = {"channels": channels} if reminder is None else {"channels": channels, "reminder": reminder}
    return api.post(f"/api/v1/invoices/{invoice_id}/send", body, **kw)


def stored_deliveries(business_id: str, invoice_id: str) -> list[dict]:
    from fastfaktura.store import db, keys

    answer = db.client().query(
        TableName=db.table_name(), KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": keys.invoice_pk(business_id, invoice_id)},
                                   ":prefix": {"S": keys.DELIVERY_SK_PREFIX}}, ConsistentRead=True)
    return [db.from_item(item) for item in answer["Items"]]
