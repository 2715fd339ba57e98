"""Who changed what: every change made with an API key records the key's 16-character id (`by`) on the
item it writes, and the timeline copies it onto the event; what the system does (a view, Stripe, the
overdue job) records no `by`. A change of the bank details is recorded as an event of the business."""

from __future__ import annotations

from fastfaktura.domain import api_keys
from fastfaktura.models.events import Event
from fastfaktura.store import db, keys
from fastfaktura.store import events as event_store

from tests.helpers.api import Api
from tests.helpers.factories import header


def new_invoice(api: Api) -> dict:
    client = api.post("/api/v1/clients", {"name": "Client", "email": "c@example.com"}).json
    answer = api.post("/api/v1/invoices", {"client_id": client["id"], "currency": "EUR", "lines": [
        {"description": "Design", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20}]})
    assert answer.status == 201
    return answer.json


def partition(business_id: str, invoice_id: str) -> list[dict]:
    return list(db.from_item(i) for i in db.query_all({
        "TableName": db.table_name(), "KeyConditionExpression": "PK = :pk", "ConsistentRead": True,
        "ExpressionAttributeValues": {":pk": {"S": keys.invoice_pk(business_id, invoice_id)}}}))


def test_every_change_made_with_a_key_records_the_key_id(api, business):
    key_id = api_keys.key_id(business.api_key)
    assert len(key_id) == 16
    invoice = new_invoice(api)
    bid = business.business.id
    assert header(bid, invoice["id"])["changed_by"] == key_id
    assert api.post(f"/api/v1/invoices/{invoice['id']}/send", {"channels": ["link"]}).status == 200
    [delivery] = [i for i in partition(bid, invoice["id"]) if i["SK"].startswith(keys.DELIVERY_SK_PREFIX)]
    assert delivery["by"] == key_id
    assert header(bid, invoice["id"])["changed_by"] == key_id

    api.get(f"/i/{invoice['public_url'].rsplit('/', 1)[-1]}", key=None)  # the client's view: no key
    assert header(bid, invoice["id"])["status"] == "opened"
    assert "changed_by" not in header(bid, invoice["id"])

    other = Api(_second_key(bid))
    assert other.post(f"/api/v1/invoices/{invoice['id']}/mark-paid").status == 200
    assert header(bid, invoice["id"])["changed_by"] == api_keys.key_id(other.key)


def test_cancel_records_the_key_id(api, business):
    invoice = new_invoice(api)
    assert api.post(f"/api/v1/invoices/{invoice['id']}/cancel").status == 200
    assert header(business.business.id, invoice["id"])["changed_by"] == api_keys.key_id(business.api_key)


def test_an_events_by_is_kept_and_answered(api, business):
    invoice = new_invoice(api)
    event = Event(id="e1", type="paid", at="2026-12-01T08:00:00Z", by="ffk_test_AbCdEfG", data={})
    assert event_store.put(business.business.id, invoice["id"], event)
    [answered] = api.get(f"/api/v1/invoices/{invoice['id']}/events").json["data"]
    assert answered["by"] == "ffk_test_AbCdEfG"
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["events"][0]["by"] == "ffk_test_AbCdEfG"


def test_a_bank_details_change_is_an_event_of_the_business(api, business):
    bid = business.business.id
    key_id = api_keys.key_id(business.api_key)
    assert api.put("/api/v1/business", {"iban": "FR76 3000 6000 0112 3456 7890 189"}).status == 200
    assert api.put("/api/v1/business", {"iban": "FR76 3000 6000 0112 3456 7890 189", "name": "Same"}).status == 200
    assert api.put("/api/v1/business", {"bic": "AGRIFRPP"}).status == 200
    assert api.put("/api/v1/business", {"name": "No bank change"}).status == 200
    items = [db.from_item(i) for i in db.query_all({
        "TableName": db.table_name(), "KeyConditionExpression": "PK = :pk AND begins_with(SK, :event)",
        "ConsistentRead": True,
        "ExpressionAttributeValues": {":pk": {"S": keys.business_pk(bid)}, ":event": {"S": keys.EVENT_SK_PREFIX}}})]
    assert [i["type"] for i in items] == ["business.bank_details_changed"] * 2
    first, second = items
    assert first["by"] == second["by"] == key_id and first["business_id"] == bid
    assert first["data"] == {"iban": "FR76 3000 6000 0112 3456 7890 189", "bic": None,
                             "previous": {"iban": None, "bic": None}}
    assert second["data"]["bic"] == "AGRIFRPP" and second["data"]["previous"]["iban"] == first["data"]["iban"]


def _second_key(business_id: str) -> str:
    from fastfaktura.services.business import create_api_key

    return create_api_key(business_id)
