"""The timeline's inputs, written as the invoice and sending code writes them (in the shapes of
docs/DATA_MODEL.md, so timeline tests do not depend on the invoice and sending endpoints), and its stream
records read from DynamoDB Local and shaped as Lambda delivers them to the TimelineFunction."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from fastfaktura.domain.ids import new_id
from fastfaktura.models.common import to_rfc3339
from fastfaktura.store import db, keys

T0 = datetime(2026, 11, 24, 10, 15, 30, 123456, tzinfo=UTC)


def at(seconds: float) -> str:
    return to_rfc3339(T0 + timedelta(seconds=seconds))


# --- the items, as the invoice and sending code writes them -------------------------------------------------


class Invoice:
    """An invoice's partition, written to as the invoice and sending code writes it."""

    def __init__(self, business_id: str, invoice_id: str):
        self.business_id, self.id = business_id, invoice_id
        self.pk = keys.invoice_pk(business_id, invoice_id)

    @classmethod
    def create(cls, business_id: str, **fields) -> Invoice:
        invoice = cls(business_id, new_id())
        item = {"PK": invoice.pk, "SK": keys.INVOICE_SK, "business_id": business_id, "invoice_id": invoice.id,
                "number": "F-0001", "status": "draft", "currency": "EUR", "total_cents": 66472,
                "created_at": at(0), "updated_at": at(0), "version": 1, **fields}
        db.client().put_item(TableName=db.table_name(), Item=db.to_item(item))
        return invoice

    def move(self, status: str, **fields) -> None:
        """A status change in one UpdateItem, as the invoices' transitions do."""
        changes = {"status": status, **fields}
        names = {f"#f{i}": name for i, name in enumerate(changes)}
        values = {f":v{i}": value for i, value in enumerate(changes.values())}
        db.client().update_item(TableName=db.table_name(), Key=db.key(self.pk, keys.INVOICE_SK),
                                UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(changes))),
                                ExpressionAttributeNames=names, ExpressionAttributeValues=db.to_item(values))

    def deliver(self, when: str, channel: str, reminder: bool = False, status: str = "simulated") -> None:
        to = {"email": "client@example.com", "sms": "+4791234567", "link": f"http://127.0.0.1:3000/i/{self.id}"}
        item = {"PK": self.pk, "SK": keys.delivery_sk(when, channel), "channel": channel, "reminder": reminder,
                "status": status, "to": to[channel], "message_id": None if channel == "link" else f"msg-{channel}",
                "subject": "Facture F-0001" if channel == "email" else None, "at": when}
        db.client().put_item(TableName=db.table_name(), Item=db.to_item(item))

    def sent_paid_story(self) -> None:
        """created → sent (3 channels) → opened → paid."""
        for channel in ("email", "sms", "link"):
            self.deliver(at(60), channel)
        self.move("sent", sent_at=at(60))
        self.move("opened", opened_at=at(120))
        self.move("paid", paid_at=at(180), paid_via="manual", changed_by="ffk_test_key1234")


# --- the stream, as Lambda's event source mapping delivers it ---------------------------------------------


def stream_arn() -> str:
    return db.client().describe_table(TableName=db.table_name())["Table"]["LatestStreamArn"]


def stream_records(pk: str, count: int) -> list[dict]:
    """The first `count` records of `pk`'s items, in stream order, shaped as Lambda delivers them (the
    local stack's poller does the same)."""
    import boto3
    from fastfaktura.devstack.streams import lambda_record

    # The streams API is served by DynamoDB Local's own endpoint.
    streams = boto3.client("dynamodbstreams", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
    arn = stream_arn()
    for _attempt in range(100):
        found = []
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while iterator:
                page = streams.get_records(ShardIterator=iterator, Limit=1000)
                found += [r for r in page["Records"] if r["dynamodb"]["Keys"]["PK"]["S"] == pk]
                iterator = page.get("NextShardIterator") if page["Records"] else None
        if len(found) >= count:
            return [lambda_record(r, arn, "eu-west-1") for r in found[:count]]
        time.sleep(0.1)
    raise AssertionError(f"{len(found)} of {count} stream records of {pk} arrived")


def batch(records: list[dict]) -> dict:
    return {"Records": records}


def run_timeline(event: dict) -> dict:
    """The TimelineFunction of template.yaml, invoked as Lambda would."""
    from fastfaktura.devstack.runtime import invoke
    from fastfaktura.tools.template import functions

    return invoke(functions()["TimelineFunction"], event)


def event_items(pk: str) -> list[dict]:
    answer = db.client().query(TableName=db.table_name(), KeyConditionExpression="PK = :pk AND begins_with(SK, :e)",
                               ExpressionAttributeValues=db.to_item({":pk": pk, ":e": keys.EVENT_SK_PREFIX}))
    return [db.from_item(item) for item in answer["Items"]]


STORY_RECORDS = 7  # invoice INSERT, 3 delivery INSERTs, 3 invoice MODIFYs
