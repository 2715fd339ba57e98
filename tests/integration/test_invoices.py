"""Invoices through the API against DynamoDB Local: create and its validation, money, numbering,
detail, list, cancel, mark-paid, tenancy, round trips."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from fastfaktura import settings

from tests.helpers.api import Api, assert_error
from tests.helpers.aws import dynamodb_calls
from tests.helpers.factories import invoice_body, put_client

WORKED_EXAMPLE = [
    {"description": "Conseil", "quantity": 1, "unit_price_cents": 50000, "tax_rate": 20},
    {"description": "Licences", "quantity": 3, "unit_price_cents": 333, "tax_rate": 20},
    {"description": "Livres", "quantity": 2.5, "unit_price_cents": 1999, "tax_rate": 5.5},
]


@pytest.fixture
def client_id(business) -> str:
    return put_client(business.business.id)


def create(api: Api, client_id: str, **fields) -> dict:
    answer = api.post("/api/v1/invoices", invoice_body(client_id, **fields))
    assert answer.status == 201, answer.body
    return answer.json


def send(business_id: str, invoice_id: str) -> None:
    """draft → sent as sending does it (the generic transition)."""
    from fastfaktura.store import invoices as store

    store.transition(business_id, invoice_id, "sent", datetime.now(UTC))


# --- create ------------------------------------------------------------------------------------------

def test_the_worked_example_through_the_api(api, business, client_id):
    answer = api.post("/api/v1/invoices", invoice_body(client_id, lines=WORKED_EXAMPLE, notes="Merci !"))
    assert answer.status == 201, answer.body
    invoice = answer.json
    assert [line["amount_cents"] for line in invoice["lines"]] == [50000, 999, 4998]
    assert (invoice["subtotal_cents"], invoice["tax_cents"], invoice["total_cents"]) == (55997, 10475, 66472)
    standard = {"vat_category": "S", "vat_exemption_reason": None}  # a v1 body's lines default to S
    assert invoice["tax_breakdown"] == [{"tax_rate": 5.5, "taxable_cents": 4998, "tax_cents": 275, **standard},
                                        {"tax_rate": 20, "taxable_cents": 50999, "tax_cents": 10200, **standard}]
    assert invoice["lines"][2] == {"description": "Livres", "quantity": 2.5, "unit_price_cents": 1999,
                                   "tax_rate": 5.5, "amount_cents": 4998, **standard, "unit": "C62", "kind": "service"}
    assert invoice["number"] == "F-0001"
    assert invoice["status"] == "draft"
    assert invoice["client"] == {"id": client_id, "name": "Client SARL"}
    assert invoice["notes"] == "Merci !"
    assert invoice["currency"] == "EUR"
    assert invoice["created_at"].endswith("Z") and invoice["created_at"] == invoice["updated_at"]
    assert invoice["sent_at"] is invoice["paid_at"] is invoice["cancelled_at"] is None
    assert invoice["events"] == []
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json == {**invoice, "events": []}


def test_quantities_stay_exact_decimals_from_the_json_text(api, client_id):
    # 1.005 × 100 = 100.5 → 101 with Decimal; a float 1.005 would make it 100.4999… → 100.
    lines = [{"description": "a", "quantity": 1.005, "unit_price_cents": 100, "tax_rate": 0},
             {"description": "b", "quantity": "1.005", "unit_price_cents": 100, "tax_rate": "12.5"}]
    invoice = create(api, client_id, lines=lines)
    assert [line["amount_cents"] for line in invoice["lines"]] == [101, 101]
    assert invoice["lines"][1]["quantity"] == 1.005
    assert invoice["tax_breakdown"][1] == {"tax_rate": 12.5, "taxable_cents": 101, "tax_cents": 13,
                                           "vat_category": "S", "vat_exemption_reason": None}


def test_due_date_defaults_to_the_payment_terms_in_the_business_time_zone(api, client_id):
    from zoneinfo import ZoneInfo

    api.put("/api/v1/business", {"payment_terms_days": 14, "timezone": "Pacific/Kiritimati"})
    before = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    invoice = create(api, client_id)
    after = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    issued = date.fromisoformat(invoice["issue_date"])
    assert before <= issued <= after
    assert date.fromisoformat(invoice["due_date"]) == issued + timedelta(days=14)


def test_an_explicit_due_date_may_be_in_the_past(api, client_id):
    assert create(api, client_id, due_date="2020-01-31")["due_date"] == "2020-01-31"


def test_a_discount_line_is_allowed(api, client_id):
    lines = [{"description": "Work", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20},
             {"description": "Remise", "quantity": 1, "unit_price_cents": -1000, "tax_rate": 20}]
    assert create(api, client_id, lines=lines)["total_cents"] == 10800


def test_500_lines_are_stored_in_chunks_and_read_back_in_order(api, client_id):
    lines = [{"description": f"Line {i:03d} " + "é" * 480, "quantity": "1.5", "unit_price_cents": i,
              "tax_rate": 25} for i in range(500)]
    raw = json.dumps(invoice_body(client_id, lines=lines), ensure_ascii=False).encode()  # UTF-8: 0.5 MB
    answer = api.post("/api/v1/invoices", raw=raw)
    assert answer.status == 201, answer.body
    invoice = answer.json
    detail = api.get(f"/api/v1/invoices/{invoice['id']}").json
    assert [line["description"][:8] for line in detail["lines"]] == [f"Line {i:03d}" for i in range(500)]
    assert detail["line_count"] == 500
    assert detail["subtotal_cents"] == sum(round(1.5 * i + 0.0001) for i in range(500))


def _line(**changes) -> list[dict]:
    return [{"description": "Work", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20, **changes}]


@pytest.mark.parametrize(("changes", "field"), [
    ({"lines": []}, "lines"),
    ({"lines": _line() * 501}, "lines"),
    ({"lines": _line(quantity=0)}, "lines.0.quantity"),
    ({"lines": _line(quantity=-1)}, "lines.0.quantity"),
    ({"lines": _line(quantity=1.0001)}, "lines.0.quantity"),
    ({"lines": _line(quantity="1.0001")}, "lines.0.quantity"),
    ({"lines": _line(quantity=1_000_000.001)}, "lines.0.quantity"),
    ({"lines": _line(quantity="two")}, "lines.0.quantity"),
    ({"lines": _line(quantity="1e3")}, "lines.0.quantity"),
    ({"lines": _line(quantity=True)}, "lines.0.quantity"),
    ({"lines": _line(tax_rate=100.001)}, "lines.0.tax_rate"),
    ({"lines": _line(tax_rate=100.01)}, "lines.0.tax_rate"),
    ({"lines": _line(tax_rate=-1)}, "lines.0.tax_rate"),
    ({"lines": _line(tax_rate=5.555)}, "lines.0.tax_rate"),
    ({"lines": _line(unit_price_cents=10**9 + 1)}, "lines.0.unit_price_cents"),
    ({"lines": _line(unit_price_cents=-(10**9) - 1)}, "lines.0.unit_price_cents"),
    ({"lines": _line(unit_price_cents=10.5)}, "lines.0.unit_price_cents"),
    ({"lines": _line(unit_price_cents=10.0)}, "lines.0.unit_price_cents"),
    ({"lines": _line(unit_price_cents="100")}, "lines.0.unit_price_cents"),
    ({"lines": _line(description="")}, "lines.0.description"),
    ({"lines": _line(description="x" * 501)}, "lines.0.description"),
    ({"lines": _line(colour="blue")}, "lines.0.colour"),
    ({"notes": "x" * 2001}, "notes"),
    ({"currency": "XBT"}, "currency"),
    ({"currency": "eur"}, "currency"),
    ({"due_date": "31/12/2026"}, "due_date"),
    ({"due_date": "2026-02-30"}, "due_date"),
    ({"due_date": "2026-12-31T00:00:00Z"}, "due_date"),
    ({"client_id": "not-a-uuid"}, "client_id"),
    ({"number": "F-9999"}, "number"),
    ({"status": "paid"}, "status"),
    ({"total_cents": 1}, "total_cents"),
    ({"issue_date": "2026-01-01"}, "issue_date"),
])
def test_create_rejects_bad_values(api, client_id, changes, field):
    error = assert_error(api.post("/api/v1/invoices", {**invoice_body(client_id), **changes}), 422,
                         "validation_error")
    assert field in [detail["field"] for detail in error["details"]], error


@pytest.mark.parametrize("missing", ["client_id", "currency", "lines"])
def test_create_requires_its_fields(api, client_id, missing):
    body = invoice_body(client_id)
    del body[missing]
    error = assert_error(api.post("/api/v1/invoices", body), 422, "validation_error")
    assert error["details"][0]["field"] == missing


def test_a_total_below_zero_is_422(api, client_id):
    lines = [{"description": "Work", "quantity": 1, "unit_price_cents": 100, "tax_rate": 0},
             {"description": "Too big a discount", "quantity": 1, "unit_price_cents": -101, "tax_rate": 0}]
    error = assert_error(api.post("/api/v1/invoices", invoice_body(client_id, lines=lines)), 422, "validation_error")
    assert error["details"][0]["field"] == "total_cents"


def test_an_amount_beyond_ten_to_the_fifteen_is_422(api, client_id):
    lines = [{"description": "Huge", "quantity": 1_000_000, "unit_price_cents": 10**9, "tax_rate": 0}] * 2
    assert_error(api.post("/api/v1/invoices", invoice_body(client_id, lines=lines)), 422, "validation_error")


def test_nan_is_malformed_json(api, client_id):
    raw = b'{"client_id": "%s", "currency": "EUR", "lines": [{"description": "x", "quantity": NaN, ' \
          b'"unit_price_cents": 1, "tax_rate": 0}]}' % client_id.encode()
    assert_error(api.post("/api/v1/invoices", raw=raw), 400, "invalid_request")


def test_an_archived_client_is_409_and_burns_no_number(api, business):
    archived = put_client(business.business.id, "Old Client", archived=True)
    error = assert_error(api.post("/api/v1/invoices", invoice_body(archived)), 409, "conflict")
    assert "archived" in error["message"]
    assert create(api, put_client(business.business.id))["number"] == "F-0001"


def test_an_unknown_client_or_another_business_client_is_422(api, business, dynamodb):
    from fastfaktura.services.business import create_business

    other = create_business("Autre SAS")
    for client in (put_client(other.business.id), "0190a000-0000-7000-8000-000000000000"):
        error = assert_error(api.post("/api/v1/invoices", invoice_body(client)), 422, "validation_error")
        assert error["details"][0] == {"field": "client_id", "issue": "not_found", "value": None}


def test_a_client_archived_between_the_read_and_the_write_cannot_slip_through(api, business, monkeypatch):
    """The client check is inside the create transaction, not only in the read before it."""
    from fastfaktura.services import clients
    from fastfaktura.store import invoices as store

    client = put_client(business.business.id)
    create(api, client)  # F-0001
    real_read = store.read_for_create

    def read_then_archive(business_id, client_id):
        context = real_read(business_id, client_id)
        clients.archive_client(business_id, client_id)
        return context

    monkeypatch.setattr(store, "read_for_create", read_then_archive)
    assert_error(api.post("/api/v1/invoices", invoice_body(client)), 409, "conflict")
    monkeypatch.setattr(store, "read_for_create", real_read)
    assert create(api, put_client(business.business.id))["number"] == "F-0002"


def test_an_idempotency_key_creates_one_invoice(api, client_id):
    body = invoice_body(client_id, lines=WORKED_EXAMPLE)
    first = api.post("/api/v1/invoices", body, headers={"idempotency-key": "invoice-42"})
    repeat = api.post("/api/v1/invoices", body, headers={"idempotency-key": "invoice-42"})
    assert first.status == repeat.status == 201
    assert repeat.json == first.json and repeat.headers.get("idempotent-replayed") == "true"
    other_body = invoice_body(client_id)
    assert_error(api.post("/api/v1/invoices", other_body, headers={"idempotency-key": "invoice-42"}), 409, "conflict")
    assert create(api, client_id)["number"] == "F-0002"
    assert len(api.get("/api/v1/invoices").json["data"]) == 2


# --- numbering --------------------------------------------------------------------------------------

def test_numbers_are_per_business_with_each_prefix(api, business, dynamodb):
    from fastfaktura.services.business import create_business

    other = create_business("Nordic AS", country="NO", locale="nb")
    other_api = Api(other.api_key)
    other_api.put("/api/v1/business", {"invoice_number_prefix": "NO-2026-"})
    other_client = put_client(other.business.id)
    client = put_client(business.business.id)
    assert [create(api, client)["number"] for _ in range(3)] == ["F-0001", "F-0002", "F-0003"]
    assert [create(other_api, other_client)["number"] for _ in range(2)] == ["NO-2026-0001", "NO-2026-0002"]
    api.put("/api/v1/business", {"invoice_number_prefix": "F2027-"})
    assert create(api, client)["number"] == "F2027-0004"  # a new prefix continues the same sequence


def test_numbers_grow_past_four_digits(api, business, client_id):
    from fastfaktura.store import db, keys

    db.client().put_item(TableName=db.table_name(), Item=db.to_item(
        {"PK": keys.business_pk(business.business.id), "SK": keys.INVOICE_COUNTER_SK, "last": 9998}))
    assert [create(api, client_id)["number"] for _ in range(2)] == ["F-9999", "F-10000"]


def test_a_failed_create_burns_no_number(api, business, client_id):
    assert create(api, client_id)["number"] == "F-0001"
    bad_lines = [{"description": "x", "quantity": 1, "unit_price_cents": -5, "tax_rate": 0}]
    assert api.post("/api/v1/invoices", invoice_body(client_id, lines=bad_lines)).status == 422
    assert api.post("/api/v1/invoices", invoice_body("0190a000-0000-7000-8000-000000000000")).status == 422
    assert api.post("/api/v1/invoices", invoice_body(put_client(business.business.id, archived=True))).status == 409
    assert create(api, client_id)["number"] == "F-0002"


# --- round trips -------------------------------------------------------------------------------------

def test_create_is_one_read_and_three_writes_and_get_of_a_draft_one_query_and_one_batch_read(api, client_id):
    api.get("/api/v1/business")  # the API key is now in the container's cache
    with dynamodb_calls() as calls:
        invoice = create(api, client_id, lines=WORKED_EXAMPLE * 50)  # 150 lines: 2 chunks
    # read profile + client; stage (client check, invoice, chunks); claim the number; write it numbered
    assert calls == ["BatchGetItem", "TransactWriteItems", "UpdateItem", "TransactWriteItems"]
    # A draft's answer reads the profile and the client (for a list, the page's clients) in one
    # BatchGetItem: its einvoice readiness.
    with dynamodb_calls() as calls:
        assert api.get(f"/api/v1/invoices/{invoice['id']}").status == 200
    assert calls == ["Query", "BatchGetItem"]
    with dynamodb_calls() as calls:
        assert api.get("/api/v1/invoices").status == 200
    assert calls == ["Query", "BatchGetItem"]


# --- detail, tenancy ---------------------------------------------------------------------------------

def test_detail_has_the_public_url_with_an_unguessable_token(api, client_id):
    invoice = create(api, client_id)
    base, _, token = invoice["public_url"].rpartition("/i/")
    assert base == "http://127.0.0.1:3000"
    assert len(token) >= 32  # 24 random bytes, URL-safe base64
    assert create(api, client_id)["public_url"] != invoice["public_url"]


def test_public_url_falls_back_to_the_api_domain(api, client_id, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "")
    settings.get.cache_clear()
    assert create(api, client_id)["public_url"].startswith("https://127.0.0.1/i/")


def test_an_invoice_can_be_found_by_its_public_token(api, business, client_id):
    from fastfaktura.services import invoices

    invoice = create(api, client_id, lines=WORKED_EXAMPLE)
    record = invoices.get_record_by_token(invoice["public_url"].rpartition("/i/")[2])
    assert record.business_id == business.business.id and record.invoice_id == invoice["id"]
    assert len(record.lines) == 3
    assert invoices.get_record_by_token("no-such-token") is None


def test_detail_carries_the_timeline_oldest_first(api, business, client_id):
    from fastfaktura.models.events import Event
    from fastfaktura.store import events

    invoice = create(api, client_id)
    for at, kind in (("2026-11-24T10:00:00.000002Z", "sent"), ("2026-11-24T10:00:00.000001Z", "created")):
        events.put(business.business.id, invoice["id"],
                   Event(id=f"{kind}-1", type=kind, at=at, channel="email" if kind == "sent" else None))
    timeline = api.get(f"/api/v1/invoices/{invoice['id']}").json["events"]
    assert [(e["type"], e["at"]) for e in timeline] == [("created", "2026-11-24T10:00:00.000001Z"),
                                                        ("sent", "2026-11-24T10:00:00.000002Z")]
    assert timeline[1]["channel"] == "email"


@pytest.mark.parametrize("route", ["GET /api/v1/invoices/{id}", "POST /api/v1/invoices/{id}/cancel",
                                   "POST /api/v1/invoices/{id}/mark-paid"])
def test_another_business_invoice_is_404_like_an_unknown_or_malformed_id(api, business, client_id, dynamodb, route):
    from fastfaktura.services.business import create_business

    invoice = create(api, client_id)
    send(business.business.id, invoice["id"])
    stranger = Api(create_business("Stranger GmbH").api_key)
    method, path = route.split(" ")
    for invoice_id in (invoice["id"], "0190a000-0000-7000-8000-000000000000", "not-a-uuid", invoice["number"]):
        assert_error(stranger.request(method, path.format(id=invoice_id)), 404, "not_found")
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["status"] == "sent"  # untouched
    assert stranger.get("/api/v1/invoices").json["data"] == []


# --- list ----------------------------------------------------------------------------------------------

def test_list_is_newest_first_and_pages(api, client_id):
    numbers = [create(api, client_id)["number"] for _ in range(7)]
    newest_first = numbers[::-1]
    pages = [api.get(f"/api/v1/invoices?page={page}&per_page=3").json for page in (1, 2, 3, 4)]
    assert [[i["number"] for i in p["data"]] for p in pages] == [newest_first[0:3], newest_first[3:6],
                                                                  newest_first[6:], []]
    assert [p["has_more"] for p in pages] == [True, True, False, False]
    assert [(p["page"], p["per_page"]) for p in pages] == [(1, 3), (2, 3), (3, 3), (4, 3)]
    whole = api.get("/api/v1/invoices").json
    assert (whole["page"], whole["per_page"], whole["has_more"]) == (1, 50, False)
    assert [i["number"] for i in whole["data"]] == newest_first
    assert "lines" not in whole["data"][0] and whole["data"][0]["line_count"] == 1


def test_list_filters_by_status_and_client(api, business, client_id):
    other_client = put_client(business.business.id, "Other")
    a, b, c, d = (create(api, cid) for cid in (client_id, client_id, other_client, other_client))
    send(business.business.id, b["id"])
    send(business.business.id, c["id"])
    api.post(f"/api/v1/invoices/{d['id']}/cancel")

    def ids(query: str) -> list[str]:
        answer = api.get(f"/api/v1/invoices?{query}")
        assert answer.status == 200, answer.body
        return [i["id"] for i in answer.json["data"]]

    assert ids("status=sent") == [c["id"], b["id"]]
    assert ids("status=draft") == [a["id"]]
    assert ids("status=cancelled") == [d["id"]]
    assert ids("status=paid") == []
    assert ids(f"client_id={client_id}") == [b["id"], a["id"]]
    assert ids(f"client_id={other_client}&status=sent") == [c["id"]]
    assert ids(f"client_id={other_client}&status=cancelled&per_page=1") == [d["id"]]
    assert ids(f"client_id={client_id}&status=sent&page=1&per_page=1") == [b["id"]]
    assert ids(f"client_id={client_id}&status=sent&page=2&per_page=1") == []
    assert ids("client_id=0190a000-0000-7000-8000-000000000000") == []


def test_status_filter_pages_within_the_status(api, business, client_id):
    created = [create(api, client_id) for _ in range(5)]
    for invoice in created[::2]:
        send(business.business.id, invoice["id"])
    page1 = api.get("/api/v1/invoices?status=sent&per_page=2").json
    page2 = api.get("/api/v1/invoices?status=sent&per_page=2&page=2").json
    assert [i["id"] for i in page1["data"] + page2["data"]] == [created[4]["id"], created[2]["id"], created[0]["id"]]
    assert (page1["has_more"], page2["has_more"]) == (True, False)


@pytest.mark.parametrize("query", ["status=unpaid", "status=", "page=0", "page=-1", "page=x", "per_page=0",
                                   "per_page=101", "per_page=ten", "client_id=nope"])
def test_list_rejects_bad_query_parameters(api, query):
    assert_error(api.get(f"/api/v1/invoices?{query}"), 400, "invalid_request")


# --- transitions -------------------------------------------------------------------------------------

def test_cancel_a_draft_keeps_its_number_and_refuses_a_second_cancel(api, client_id):
    invoice = create(api, client_id)
    answer = api.post(f"/api/v1/invoices/{invoice['id']}/cancel")
    assert answer.status == 200, answer.body
    cancelled = answer.json
    assert cancelled["status"] == "cancelled" and cancelled["number"] == invoice["number"]
    assert invoice["created_at"] <= cancelled["cancelled_at"] <= cancelled["updated_at"]
    assert cancelled["lines"] == invoice["lines"] and cancelled["total_cents"] == invoice["total_cents"]
    error = assert_error(api.post(f"/api/v1/invoices/{invoice['id']}/cancel"), 409, "conflict")
    assert "cancelled" in error["message"]
    assert_error(api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid"), 409, "conflict")


def test_a_draft_cannot_be_paid(api, client_id):
    invoice = create(api, client_id)
    error = assert_error(api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid"), 409, "conflict")
    assert "draft" in error["message"]
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["status"] == "draft"


def test_mark_paid_with_and_without_a_date(api, business, client_id):
    first, second = create(api, client_id), create(api, client_id)
    for invoice in (first, second):
        send(business.business.id, invoice["id"])
    paid = api.post(f"/api/v1/invoices/{first['id']}/mark-paid").json
    assert paid["status"] == "paid" and paid["paid_via"] == "manual" and paid["paid_at"].endswith("Z")
    # the first minute of the issue date in Paris: the day before in UTC, never in the future
    issued = date.fromisoformat(second["issue_date"])
    answer = api.post(f"/api/v1/invoices/{second['id']}/mark-paid", {"paid_at": f"{issued}T00:00:00+01:00"})
    assert answer.status == 200, answer.body
    assert answer.json["paid_at"] == f"{issued - timedelta(days=1)}T23:00:00.000000Z"
    assert answer.json["updated_at"] > second["created_at"]  # the change is now, the payment was earlier
    assert_error(api.post(f"/api/v1/invoices/{first['id']}/mark-paid"), 409, "conflict")
    assert_error(api.post(f"/api/v1/invoices/{first['id']}/cancel"), 409, "conflict")


@pytest.mark.parametrize(("body", "status"), [
    ({"paid_at": "yesterday"}, 422),
    ({"paid_at": "2026-11-20T09:30:00"}, 422),  # no offset: ambiguous
    ({"paid_at": (datetime.now(UTC) + timedelta(days=2)).isoformat()}, 422),
    ({"paid_via": "cash"}, 422),
])
def test_mark_paid_rejects_a_bad_body(api, business, client_id, body, status):
    invoice = create(api, client_id)
    send(business.business.id, invoice["id"])
    assert_error(api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid", body), status, "validation_error")
    assert api.get(f"/api/v1/invoices/{invoice['id']}").json["status"] == "sent"


def test_overdue_can_be_paid_or_cancelled_and_the_due_index_follows_the_status(api, business, client_id):
    from fastfaktura.store import db, keys
    from fastfaktura.store import invoices as store

    bid = business.business.id
    invoice = create(api, client_id, due_date="2026-01-31")

    def index_keys() -> tuple:
        item = db.get(keys.invoice_pk(bid, invoice["id"]), keys.INVOICE_SK, consistent=True)
        return item.get("GSI5PK"), item.get("GSI5SK"), item["GSI3PK"], item["version"]

    assert index_keys() == (None, None, keys.invoices_by_status_gsi3pk(bid, "draft"), 1)
    send(bid, invoice["id"])
    assert index_keys() == (keys.due_gsi5pk(invoice["id"]), keys.due_gsi5sk("2026-01-31", bid, invoice["id"]),
                            keys.invoices_by_status_gsi3pk(bid, "sent"), 2)
    store.transition(bid, invoice["id"], "overdue", datetime.now(UTC))
    assert index_keys()[:2] == (None, None)
    paid = api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid").json
    assert paid["status"] == "paid" and paid["overdue_at"] and paid["sent_at"]
    assert index_keys() == (None, None, keys.invoices_by_status_gsi3pk(bid, "paid"), 4)


def test_lines_and_amounts_never_change_through_transitions(api, business, client_id):
    from fastfaktura.store import invoices as store

    invoice = create(api, client_id, lines=WORKED_EXAMPLE)
    send(business.business.id, invoice["id"])
    store.transition(business.business.id, invoice["id"], "opened", datetime.now(UTC))
    paid = api.post(f"/api/v1/invoices/{invoice['id']}/mark-paid").json
    for field in ("lines", "tax_breakdown", "subtotal_cents", "tax_cents", "total_cents", "number", "public_url"):
        assert paid[field] == invoice[field]
