"""Credit notes through the API against DynamoDB Local: full and partial credits, the per-group and total
limits, the gapless AV- sequence under threads, reads and lists, cancel through a credit note."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers.api import assert_error
from tests.helpers.factories import make_invoice

# 20 % group: 10000 → tax 2000; 5.5 % group: 2 × 1999 = 3998 → tax 219.89 → 220. Total 16218.
LINES = [{"description": "Conseil", "quantity": 1, "unit_price_cents": 10000, "tax_rate": 20},
         {"description": "Livres", "quantity": 2, "unit_price_cents": 1999, "tax_rate": 5.5}]
TOTAL = 16218


def issued(business, status: str = "sent") -> str:
    return make_invoice(business.business.id, status, lines=LINES)[0]


def credit(api, invoice_id: str, **body):
    return api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", {"reason": "Retour", **body})


def test_a_full_credit_note_copies_the_lines_and_cancels_an_unpaid_invoice(api, business):
    invoice_id = issued(business)
    answer = credit(api, invoice_id)
    assert answer.status == 201, answer.body
    note = answer.json
    assert note["number"] == "AV-0001" and note["invoice_id"] == invoice_id
    assert note["invoice_number"].startswith("F-") and note["reason"] == "Retour"
    assert (note["subtotal_cents"], note["tax_cents"], note["total_cents"]) == (13998, 2220, TOTAL)
    assert [line["description"] for line in note["lines"]] == ["Conseil", "Livres"]
    assert note["tax_breakdown"] == [
        {"vat_category": "S", "tax_rate": 5.5, "taxable_cents": 3998, "tax_cents": 220, "vat_exemption_reason": None},
        {"vat_category": "S", "tax_rate": 20, "taxable_cents": 10000, "tax_cents": 2000, "vat_exemption_reason": None}]
    assert note["refund"] is None
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert invoice["status"] == "cancelled"
    assert (invoice["amount_credited_cents"], invoice["amount_due_cents"]) == (TOTAL, 0)
    assert invoice["credit_notes"] == [{"id": note["id"], "number": "AV-0001", "total_cents": TOTAL}]
    assert api.get(f"/api/v1/credit-notes/{note['id']}").json == note


def test_partial_credits_then_the_rest_add_up_to_the_invoice(api, business):
    invoice_id = issued(business)
    part = credit(api, invoice_id, lines=[{"description": "Remise", "quantity": 1, "unit_price_cents": 2500,
                                            "tax_rate": 20}])
    assert part.status == 201, part.body
    assert (part.json["subtotal_cents"], part.json["tax_cents"], part.json["total_cents"]) == (2500, 500, 3000)
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert invoice["status"] == "sent" and invoice["amount_due_cents"] == TOTAL - 3000
    rest = credit(api, invoice_id).json
    assert rest["number"] == "AV-0002" and rest["total_cents"] == TOTAL - 3000
    assert {g["tax_rate"]: (g["taxable_cents"], g["tax_cents"]) for g in rest["tax_breakdown"]} == {
        20: (7500, 1500), 5.5: (3998, 220)}
    assert_error(credit(api, invoice_id), 409, "conflict")  # cancelled now: nothing remains


def test_more_than_remains_in_a_group_is_refused(api, business):
    invoice_id = issued(business)
    too_much = [{"description": "x", "quantity": 1, "unit_price_cents": 3999, "tax_rate": 5.5}]
    error = assert_error(credit(api, invoice_id, lines=too_much), 422, "validation_error")
    assert error["details"][0]["issue"] == "more_than_remains"
    assert api.get(f"/api/v1/invoices/{invoice_id}").json["credit_notes"] == []


def test_a_rate_the_invoice_does_not_have_is_refused(api, business):
    invoice_id = issued(business)
    error = assert_error(credit(api, invoice_id, lines=[{"description": "x", "quantity": 1, "unit_price_cents": 1,
                                                          "tax_rate": 10}]), 422, "validation_error")
    assert error["details"][0] == {"field": "lines.0.tax_rate", "issue": "not_on_invoice", "value": "10"}


@pytest.mark.parametrize("body", [{"reason": ""}, {}, {"reason": "x", "lines": []},
                                  {"reason": "x", "lines": [{"description": "x", "quantity": 1,
                                                             "unit_price_cents": -100, "tax_rate": 20}]},
                                  {"reason": "x", "refund": "paypal"}, {"reason": "x", "total_cents": 1}])
def test_bad_bodies_are_refused(api, business, body):
    invoice_id = issued(business)
    assert_error(api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", body), 422, "validation_error")


@pytest.mark.parametrize("status", ["draft", "cancelled"])
def test_only_an_issued_invoice_is_credited(api, business, status):
    assert_error(credit(api, issued(business, status)), 409, "conflict")


def test_a_paid_invoice_is_credited_and_stays_paid(api, business):
    invoice_id = issued(business)
    api.post(f"/api/v1/invoices/{invoice_id}/mark-paid")
    note = credit(api, invoice_id)
    assert note.status == 201, note.body
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert invoice["status"] == "paid" and invoice["amount_credited_cents"] == TOTAL


def test_a_refund_needs_a_stripe_payment(api, business):
    invoice_id = issued(business)
    api.post(f"/api/v1/invoices/{invoice_id}/mark-paid")
    error = assert_error(credit(api, invoice_id, refund="stripe"), 422, "validation_error")
    assert error["details"][0]["field"] == "refund"
    assert api.get(f"/api/v1/invoices/{invoice_id}").json["credit_notes"] == []


def test_ten_racing_credit_notes_never_exceed_the_invoice_and_stay_gapless(api, business):
    invoice_id = issued(business)
    line = [{"description": "Remise", "quantity": 1, "unit_price_cents": 3000, "tax_rate": 20}]  # 3600 each
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: credit(api, invoice_id, lines=line), range(10)))
    created = [a.json for a in answers if a.status == 201]
    assert len(created) == 3, [(a.status, a.body[:120]) for a in answers]  # 10000 taxable at 20 %: 3 × 3000
    assert all(a.status in (201, 422) for a in answers)
    assert sorted(n["number"] for n in created) == ["AV-0001", "AV-0002", "AV-0003"]
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert invoice["amount_credited_cents"] == sum(n["total_cents"] for n in created) == 3 * 3600


def test_lists_newest_first_and_by_invoice(api, business):
    first, second = issued(business), issued(business)
    a = credit(api, first, lines=[{"description": "a", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]).json
    b = credit(api, second).json
    c = credit(api, first, lines=[{"description": "c", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]).json
    listed = api.get("/api/v1/credit-notes").json
    assert [n["id"] for n in listed["data"]] == [c["id"], b["id"], a["id"]] and listed["has_more"] is False
    assert [n["id"] for n in api.get(f"/api/v1/credit-notes?invoice_id={first}").json["data"]] == [c["id"], a["id"]]
    page = api.get("/api/v1/credit-notes?per_page=2&page=2").json
    assert [n["id"] for n in page["data"]] == [a["id"]]
    assert_error(api.get("/api/v1/credit-notes?invoice_id=nope"), 400, "invalid_request")
    assert_error(api.get("/api/v1/credit-notes/0196b1f0-3c2a-7a10-8f00-00000000c001"), 404, "not_found")
    assert_error(api.get("/api/v1/credit-notes/nope"), 404, "not_found")


def test_the_number_uses_the_business_prefix(api, business):
    from fastfaktura.store import db, keys

    db.update_existing(keys.business_pk(business.business.id), keys.PROFILE_SK, {"credit_note_number_prefix": "CN-"})
    assert credit(api, issued(business)).json["number"] == "CN-0001"


@pytest.mark.parametrize("status", ["sent", "opened", "overdue"])
def test_cancel_of_an_issued_invoice_issues_a_full_credit_note(api, business, status):
    invoice_id = issued(business, status)
    api.post(f"/api/v1/invoices/{invoice_id}/payments", {"amount_cents": 1000, "method": "cash"})
    answer = api.post(f"/api/v1/invoices/{invoice_id}/cancel")
    assert answer.status == 200, answer.body
    invoice = answer.json
    assert invoice["status"] == "cancelled" and invoice["cancelled_at"]
    [ref] = invoice["credit_notes"]
    assert ref["total_cents"] == TOTAL and ref["number"] == "AV-0001"
    note = api.get(f"/api/v1/credit-notes/{ref['id']}").json
    assert note["reason"] == f"Annulation de la facture {invoice['number']}"


def test_cancel_of_a_draft_issues_nothing_and_a_paid_invoice_is_not_cancelled(api, business):
    draft = issued(business, "draft")
    answer = api.post(f"/api/v1/invoices/{draft}/cancel")
    assert answer.status == 200 and answer.json["status"] == "cancelled" and answer.json["credit_notes"] == []
    paid = issued(business)
    api.post(f"/api/v1/invoices/{paid}/mark-paid")
    assert_error(api.post(f"/api/v1/invoices/{paid}/cancel"), 409, "conflict")
    assert api.get("/api/v1/credit-notes").json["data"] == []


def test_the_idempotency_key_replays_the_first_credit_note(api, business):
    invoice_id = issued(business)
    body = {"reason": "Retour", "lines": [{"description": "a", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]}
    headers = {"idempotency-key": "credit-1"}
    first = api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", body, headers=headers)
    again = api.post(f"/api/v1/invoices/{invoice_id}/credit-notes", body, headers=headers)
    assert first.status == again.status == 201 and first.json == again.json
    assert len(api.get("/api/v1/credit-notes").json["data"]) == 1


def test_the_list_continues_by_cursor_with_its_filter(api, business):
    first, second = issued(business), issued(business)
    line = [{"description": "a", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]
    notes = [credit(api, invoice, lines=line).json for invoice in (first, second, first, first)]
    page = api.get(f"/api/v1/credit-notes?invoice_id={first}&per_page=2").json
    assert [n["id"] for n in page["data"]] == [notes[3]["id"], notes[2]["id"]] and page["next_cursor"]
    rest = api.get(f"/api/v1/credit-notes?invoice_id={first}&per_page=2&cursor={page['next_cursor']}").json
    assert [n["id"] for n in rest["data"]] == [notes[0]["id"]] and rest["next_cursor"] is None
    assert rest["page"] is None
    # A cursor continues only its own list: not the unfiltered one, not with a page, not tampered with.
    assert_error(api.get(f"/api/v1/credit-notes?cursor={page['next_cursor']}"), 400, "invalid_request")
    assert_error(api.get(f"/api/v1/credit-notes?invoice_id={first}&page=2&cursor={page['next_cursor']}"), 400,
                 "invalid_request")
    assert_error(api.get(f"/api/v1/credit-notes?invoice_id={first}&cursor=x{page['next_cursor']}"), 400,
                 "invalid_request")
    everything = api.get("/api/v1/credit-notes?per_page=3").json
    assert [n["number"] for n in everything["data"]] == ["AV-0004", "AV-0003", "AV-0002"]
    last = api.get(f"/api/v1/credit-notes?cursor={everything['next_cursor']}").json
    assert [n["number"] for n in last["data"]] == ["AV-0001"]


def test_a_credit_line_takes_the_invoice_category_at_its_rate(api, business):
    from fastfaktura.store import db, keys

    db.update_existing(keys.business_pk(business.business.id), keys.PROFILE_SK, {"vat_number": "FR44732829320"})
    lines = [{"description": "Export", "quantity": 1, "unit_price_cents": 5000, "tax_rate": 0, "vat_category": "G"},
             {"description": "Local", "quantity": 1, "unit_price_cents": 1000, "tax_rate": 20}]
    invoice_id = make_invoice(business.business.id, "sent", lines=lines)[0]
    note = credit(api, invoice_id, lines=[{"description": "Export", "quantity": 1, "unit_price_cents": 100,
                                           "tax_rate": 0}])
    assert note.status == 201, note.body
    [line] = note.json["lines"]
    [group] = note.json["tax_breakdown"]
    assert line["vat_category"] == group["vat_category"] == "G" and group["vat_exemption_reason"]["code"]
    error = assert_error(credit(api, invoice_id, lines=[{"description": "x", "quantity": 1, "unit_price_cents": 1,
                                                          "tax_rate": 0, "vat_category": "Z"}]), 422,
                         "validation_error")
    assert error["details"][0]["field"] == "lines.0.tax_rate"


def abandoned_numbered(after_seconds: float = 0) -> int:
    """What the hourly job numbers when it runs `after_seconds` after now."""
    import time

    from fastfaktura.services import numbering

    return numbering.finish_abandoned_stages(time.time() + after_seconds)


def past_abandonment() -> float:
    from fastfaktura.store.sequences import ABANDONED_AFTER_SECONDS

    return ABANDONED_AFTER_SECONDS + 1


@pytest.mark.parametrize(("write", "after"), [(0, False), (1, False), (1, True), (2, False), (2, True)],
                         ids=["stage-before", "claim-before", "claim-after", "finish-before", "finish-after"])
def test_a_credit_note_killed_at_any_write_is_numbered_by_the_stream_or_the_hourly_job(api, business, write, after):
    """Credit notes share the invoices' numbering: a claim whose finish never ran is finished by the
    stream's repair (services.numbering), the note and its reference in the invoice's partition; a stage
    whose claim never ran (its invoice is already credited) is numbered by the hourly job once abandoned."""
    from fastfaktura.models.credit_notes import CreditNoteCreate
    from fastfaktura.services import credit_notes, numbering
    from fastfaktura.store import db, keys

    from tests.integration.test_invoices_concurrency import FunctionDied, dying_at_write

    bid, invoice_id = business.business.id, issued(business)
    body = CreditNoteCreate.model_validate({"reason": "Retour", "lines": [
        {"description": "a", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]})
    with dying_at_write(db.client(), write, after), pytest.raises(FunctionDied):
        credit_notes.issue_credit_note(bid, invoice_id, body)
    counter = db.client().get_item(TableName=db.table_name(), ConsistentRead=True, Key=db.key(
        keys.business_pk(bid), keys.CREDIT_NOTE_COUNTER_SK)).get("Item")
    claimed = bool(counter) and (write == 2 or after)
    assert bool(counter) == claimed
    record = {"eventName": "MODIFY", "dynamodb": {"Keys": {"SK": counter["SK"]}, "NewImage": counter}} if counter \
        else {}
    assert numbering.repair_claim(record) == (claimed and not (write == 2 and after))
    assert numbering.repair_claim(record) is False  # redelivered: nothing more
    assert abandoned_numbered() == 0  # not yet abandoned: its create may still be running
    assert abandoned_numbered(past_abandonment()) == (1 if (write, after) == (1, False) else 0)
    assert abandoned_numbered(past_abandonment()) == 0  # each staged note is looked at once
    staged = write > 0 or after
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    listed = api.get("/api/v1/credit-notes").json["data"]
    if staged:
        assert [n["number"] for n in listed] == ["AV-0001"] and listed[0]["total_cents"] == 120
        assert invoice["credit_notes"] == [{"id": listed[0]["id"], "number": "AV-0001", "total_cents": 120}]
        assert invoice["amount_credited_cents"] == 120
    else:
        assert listed == [] and invoice["credit_notes"] == [] and invoice["amount_credited_cents"] == 0
    assert credit(api, invoice_id, lines=body.model_dump(mode="json")["lines"]).json["number"] == (
        "AV-0002" if staged else "AV-0001")  # the sequence goes on without a gap


def test_a_credit_note_is_one_stage_one_claim_one_finish(api, business):
    from fastfaktura.models.credit_notes import CreditNoteCreate
    from fastfaktura.services import credit_notes

    from tests.helpers.aws import dynamodb_calls

    invoice_id = issued(business)
    body = CreditNoteCreate.model_validate({"reason": "Retour", "lines": [
        {"description": "a", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]})
    with dynamodb_calls() as calls:
        credit_notes.issue_credit_note(business.business.id, invoice_id, body)
    # The invoice's Query and the profile's GetItem, then stage, claim and finish: no retry, no scan.
    assert calls == ["Query", "GetItem", "TransactWriteItems", "UpdateItem", "TransactWriteItems"]


def test_a_claim_the_table_refuses_gives_the_invoice_back_its_balance(api, business):
    from fastfaktura.store import db, keys

    from tests.helpers.faults import Failing, dynamodb_error

    invoice_id = issued(business)
    line = [{"description": "a", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]
    with Failing(db.client(), "UpdateItem", lambda: dynamodb_error("ProvisionedThroughputExceededException"),
                 matching=keys.CREDIT_NOTE_COUNTER_SK):  # the claim alone: its undoing goes through
        refused = credit(api, invoice_id, lines=line)
    assert refused.status == 503, refused.body
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert (invoice["status"], invoice["amount_credited_cents"], invoice["credit_notes"]) == ("sent", 0, [])
    assert abandoned_numbered(past_abandonment()) == 0  # undone: nothing for the hourly job
    assert credit(api, invoice_id, lines=line).json["number"] == "AV-0001"  # the retry: no number lost
    assert api.get(f"/api/v1/invoices/{invoice_id}").json["amount_credited_cents"] == 120


def test_a_refused_claim_that_cannot_be_undone_is_a_500_and_the_hourly_job_numbers_the_note(api, business):
    """The table refuses the claim and the undoing too: the invoice stays credited, so the answer must not
    invite a second credit (503); the hourly job gives the credit its credit note."""
    from fastfaktura.store import db

    from tests.helpers.faults import Failing, dynamodb_error

    invoice_id = issued(business)
    line = [{"description": "a", "quantity": 1, "unit_price_cents": 100, "tax_rate": 20}]
    with Failing(db.client(), "UpdateItem", lambda: dynamodb_error("ProvisionedThroughputExceededException")):
        kept = credit(api, invoice_id, lines=line)
    error = assert_error(kept, 500, "internal_error")
    assert "do not create it again" in error["message"]
    assert abandoned_numbered() == 0
    assert abandoned_numbered(past_abandonment()) == 1
    invoice = api.get(f"/api/v1/invoices/{invoice_id}").json
    assert invoice["amount_credited_cents"] == 120
    assert [n["number"] for n in invoice["credit_notes"]] == ["AV-0001"]
