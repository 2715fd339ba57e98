"""Access pattern 9: open invoices by due date across all businesses (GSI5, sparse: only `sent` and
`opened` invoices carry its keys), and the time zones of their businesses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from fastfaktura.store import db, keys


@dataclass(frozen=True)
class DueInvoice:
    business_id: str
    invoice_id: str
    due_date: date


def open_invoices_due_before(bound: date) -> Iterator[DueInvoice]:
    """Every invoice of the index whose due date is before `bound`: one Query per shard (and page);
    the index's sort key `<due_date>#<bid>#<iid>` says all the job needs."""
    for shard in range(keys.DUE_SHARDS):
        request = {"TableName": db.table_name(), "IndexName": keys.GSI5,
                   "KeyConditionExpression": "GSI5PK = :pk AND GSI5SK < :bound",
                   "ExpressionAttributeValues": {":pk": {"S": keys.due_gsi5pk_of_shard(shard)},
                                                 ":bound": {"S": bound.isoformat()}},
                   "ProjectionExpression": "GSI5SK"}
        for item in db.query_all(request):
            due, business_id, invoice_id = item["GSI5SK"]["S"].split("#")
            yield DueInvoice(business_id, invoice_id, date.fromisoformat(due))


def business_timezones(business_ids: Iterable[str]) -> dict[str, str]:
    """business id → its IANA time zone, by BatchGetItem of the profiles (100 per call)."""
    ids = sorted(set(business_ids))
    zones: dict[str, str] = {}
    for start in range(0, len(ids), db.BATCH_GET_LIMIT):
        chunk = [(keys.business_pk(bid), keys.PROFILE_SK) for bid in ids[start:start + db.BATCH_GET_LIMIT]]
        for values in db.batch_get(chunk, projection="business_id, #tz", names={"#tz": "timezone"}):
            zones[values["business_id"]] = values["timezone"]
    return zones

