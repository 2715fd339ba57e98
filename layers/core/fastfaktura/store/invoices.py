"""Invoice items: their typed records (`StoredInvoice`, `InvoiceRecord`: the one mapping between the
invoice item and the API's answers), the gapless create transaction, the one-Query detail, the index
lists, and the conditional status transitions that every other part (sending, public page, webhook,
overdue job) reuses.

Numbering (`store.sequences`): the invoice is staged unnumbered with its line chunks and the client's
check, claims the next number in one UpdateItem on the counter `BIZ#<bid>` / `COUNTER#INVOICE`, then
is written numbered. A number is given only to a staged invoice, and the table's stream finishes a
claim whose create died: unique, gapless, served in arrival order without retries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from fastfaktura.domain import balance
from fastfaktura.domain import invoices as rules
from fastfaktura.domain.errors import Conflict, NotFound
from fastfaktura.models.balance import CreditNoteRef
from fastfaktura.models.common import to_rfc3339, utcnow
from fastfaktura.models.einvoice import EinvoiceReadiness
from fastfaktura.models.events import Event
from fastfaktura.models.invoices import ClientRef, Invoice, InvoiceLine, InvoiceSummary, TaxBreakdown
from fastfaktura.store import cursors, db, events, keys, pages, sequences
from fastfaktura.store.balance import StoredPayment, credit_note_ref, typed_values

LINES_PER_CHUNK = 100
_NULL_TYPE = {"S": "NULL"}


@dataclass
class CreateContext:
    """What a create needs to know, read in one BatchGetItem (strongly consistent)."""

    profile: dict[str, Any] | None
    client: dict[str, Any] | None


# --- items ↔ records ---------------------------------------------------------------------------------

_DATES = ("issue_date", "due_date", "delivery_date")
_TIMES = ("created_at", "updated_at", "sent_at", "opened_at", "paid_at", "overdue_at", "cancelled_at")


@dataclass(frozen=True)
class StoredInvoice:
    """The invoice item's attributes (docs/DATA_MODEL.md), typed; its index keys are derived, never kept.

    Attributes that an item may lack (added after the first invoices were written, or set by a later
    transition) have defaults, so every item ever written reads. Unknown attributes are ignored."""

    business_id: str
    invoice_id: str
    client_id: str
    status: str
    number: str
    sequence: int
    currency: str
    issue_date: date
    due_date: date
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    line_count: int
    public_token: str
    created_at: datetime
    updated_at: datetime
    version: int = 1
    client_name: str = ""  # as the invoice named the client when it was made
    notes: str | None = None
    buyer_reference: str | None = None
    purchase_order: str | None = None
    delivery_date: date | None = None
    tax_breakdown: tuple[TaxBreakdown, ...] = ()
    sent_at: datetime | None = None
    opened_at: datetime | None = None
    paid_at: datetime | None = None
    paid_via: str | None = None  # "manual" or "stripe"
    overdue_at: datetime | None = None
    cancelled_at: datetime | None = None
    stripe_event_id: str | None = None
    stripe_checkout_session_id: str | None = None
    stripe_payment_intent_id: str | None = None
    changed_by: str | None = None  # the API key id of the last change made with a key (the timeline's `by`)
    frozen_seller: dict[str, Any] | None = None  # the profile and the client as at the first send
    frozen_client: dict[str, Any] | None = None
    amount_paid_cents: int = 0
    amount_credited_cents: int = 0
    credited_groups: dict[str, dict[str, int]] = field(default_factory=dict)  # balance.groups_to_map

    @property
    def amount_due_cents(self) -> int:
        """Nothing is due on a paid or cancelled invoice, whatever its payments say (e.g. one paid before
        payments were recorded)."""
        if self.status in (rules.PAID, rules.CANCELLED):
            return 0
        return balance.amount_due(self.total_cents, self.amount_credited_cents, self.amount_paid_cents)

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoredInvoice:
        """The item as read (plain values, as `db.from_item` gives them)."""
        values = typed_values(cls, item, _DATES, _TIMES)
        values["tax_breakdown"] = tuple(TaxBreakdown.model_validate(g) for g in values.get("tax_breakdown", ()))
        if values["status"] == rules.PAID and "amount_paid_cents" not in values:  # paid before payments were kept
            values["amount_paid_cents"] = values["total_cents"] - values.get("amount_credited_cents", 0)
        return cls(**values)

    def to_item(self) -> dict[str, Any]:
        """The whole item with its index keys. The due-date index keys are kept in `due_gsi5pk`/`due_gsi5sk`
        and copied into GSI5 while the invoice awaits payment."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in _DATES:
            values[name] = values[name].isoformat() if values[name] else None
        for name in _TIMES:
            values[name] = to_rfc3339(values[name]) if values[name] else None
        values["tax_breakdown"] = [g.model_dump(exclude_none=True) for g in self.tax_breakdown]
        values["credited_groups"] = self.credited_groups or None  # written by the first credit note
        due_keys = (keys.due_gsi5pk(self.invoice_id), keys.due_gsi5sk(values["due_date"], self.business_id,
                                                                      self.invoice_id))
        order = keys.number_order_sk(self.sequence)
        item = {
            "PK": keys.invoice_pk(self.business_id, self.invoice_id), "SK": keys.INVOICE_SK,
            "GSI1PK": keys.public_token_gsi1pk(self.public_token), "GSI1SK": keys.INVOICE_SK,
            "GSI2PK": keys.invoices_gsi2pk(self.business_id), "GSI2SK": order,
            "GSI3PK": keys.invoices_by_status_gsi3pk(self.business_id, self.status), "GSI3SK": order,
            "GSI4PK": keys.invoices_by_client_gsi4pk(self.business_id, self.client_id), "GSI4SK": order,
            "due_gsi5pk": due_keys[0], "due_gsi5sk": due_keys[1],
            **{name: value for name, value in values.items() if value is not None},
        }
        if self.status in rules.AWAITING_PAYMENT:
            item["GSI5PK"], item["GSI5SK"] = due_keys
        return item

    def to_summary(self, public_url: str, einvoice: EinvoiceReadiness) -> InvoiceSummary:
        """The API's view of the invoice, as listed."""
        return InvoiceSummary.model_validate(self._answer_fields(public_url, einvoice))

    def _answer_fields(self, public_url: str, einvoice: EinvoiceReadiness) -> dict[str, Any]:
        answer = {name: getattr(self, name) for name in InvoiceSummary.model_fields if hasattr(self, name)}
        answer.update(id=self.invoice_id, client=ClientRef(id=self.client_id, name=self.client_name),
                      tax_breakdown=list(self.tax_breakdown), public_url=public_url, einvoice=einvoice)
        return answer


@dataclass(frozen=True)
class InvoiceRecord:
    """An invoice as stored: its item, its lines in order and its timeline (oldest first)."""

    invoice: StoredInvoice
    lines: list[InvoiceLine] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    payments: list[StoredPayment] = field(default_factory=list)  # oldest first
    credit_notes: list[CreditNoteRef] = field(default_factory=list)  # oldest first

    @property
    def business_id(self) -> str:
        return self.invoice.business_id

    @property
    def invoice_id(self) -> str:
        return self.invoice.invoice_id

    @property
    def status(self) -> str:
        return self.invoice.status

    def to_invoice(self, public_url: str, einvoice: EinvoiceReadiness) -> Invoice:
        """The API's view of the invoice, with its lines and timeline."""
        return Invoice.model_validate({
            **self.invoice._answer_fields(public_url, einvoice), "lines": self.lines, "events": self.events,
            "payments": [payment.to_payment() for payment in self.payments],
            "credit_notes": self.credit_notes})


class ClientRefused(Exception):
    """The client vanished or was archived between the read and the write; `client` is its item now."""

    def __init__(self, client: dict[str, Any] | None):
        super().__init__("client check failed")
        self.client = client


# --- create -----------------------------------------------------------------------------------------

def read_for_create(business_id: str, client_id: str) -> CreateContext:
    """Pattern 2 + 3 in one round trip: profile and client, strongly consistent."""
    pk = keys.business_pk(business_id)
    found = {item["SK"]: item for item in db.batch_get([(pk, keys.PROFILE_SK), (pk, keys.client_sk(client_id))],
                                                       consistent=True)}
    return CreateContext(profile=found.get(keys.PROFILE_SK), client=found.get(keys.client_sk(client_id)))


def _numbered(document: dict[str, Any], sequence: int, number: str) -> dict[str, Any]:
    return StoredInvoice.from_item({**document, "sequence": sequence, "number": number}).to_item()


NUMBERING = sequences.Sequence("INVOICE", keys.INVOICE_SK, _numbered)
"""The invoice numbers' sequence: the counter `COUNTER#INVOICE`, the numbered item `INVOICE`."""


def create(invoice: StoredInvoice, lines: list[InvoiceLine], prefix: str) -> StoredInvoice:
    """Stages the invoice (unnumbered; its `number` and `sequence` are ignored) with its line chunks and the
    check that the client exists and is not archived, claims the next number, writes it numbered: three
    writes (two transactions and one UpdateItem), none of them retried for a lost race. Raises
    ClientRefused (nothing written). Answers the invoice as written."""
    item = invoice.to_item()
    stored_lines = [line.model_dump() for line in lines]
    chunks: list[dict[str, Any]] = [{"SK": keys.line_chunk_sk(index // LINES_PER_CHUNK), "first_line": index,
                                     "lines": stored_lines[index:index + LINES_PER_CHUNK]}
                                    for index in range(0, len(stored_lines), LINES_PER_CHUNK)]
    staged = sequences.Staged(item["PK"], item, prefix, tuple(str(chunk["SK"]) for chunk in chunks))
    client_check = {"ConditionCheck": {
        "TableName": db.table_name(), "Key": db.key(keys.business_pk(invoice.business_id),
                                                    keys.client_sk(invoice.client_id)),
        "ConditionExpression": "attribute_exists(PK) AND (attribute_not_exists(archived_at) "
                               "OR attribute_type(archived_at, :null))",
        "ExpressionAttributeValues": {":null": _NULL_TYPE}, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}
    try:
        sequences.stage(staged, chunks, [client_check])
    except db.client().exceptions.TransactionCanceledException as exc:
        client_reason = (exc.response.get("CancellationReasons") or [{}])[0]
        if client_reason.get("Code") == "ConditionalCheckFailed":
            old = client_reason.get("Item")
            raise ClientRefused(db.from_item(old) if old else None) from exc
        raise
    return StoredInvoice.from_item(sequences.claim_and_finish(NUMBERING, invoice.business_id, staged, "invoice",
                                                              invoice.invoice_id))


# --- reads --------------------------------------------------------------------------------------------

def _record(items: Iterable[dict[str, Any]]) -> InvoiceRecord | None:
    """The invoice partition's items (plain values) → the record; None without the invoice item."""
    header, chunks, payments, credit_notes, others = None, [], [], [], []
    for item in items:
        sk = item["SK"]
        if sk == keys.INVOICE_SK:
            header = item
        elif sk.startswith(keys.LINE_CHUNK_SK_PREFIX):
            chunks.append(item)
        elif sk == keys.PENDING_SK:
            continue  # what numbering staged (store.sequences), kept until its TTL
        elif sk.startswith(keys.PAYMENT_SK_PREFIX):
            payments.append(StoredPayment.from_item(item))
        elif sk.startswith(keys.CREDIT_NOTE_SK_PREFIX):
            credit_notes.append(item)
        else:
            others.append(item)
    if header is None:
        return None
    lines = [InvoiceLine.model_validate(line) for chunk in sorted(chunks, key=lambda c: c["SK"])
             for line in chunk["lines"]]
    return InvoiceRecord(StoredInvoice.from_item(header), lines, events.events_from_items(others),
                         sorted(payments, key=lambda p: (p.paid_at, p.payment_id)),
                         [credit_note_ref(item) for item in sorted(credit_notes, key=lambda c: c["created_at"])])


def get(business_id: str, invoice_id: str) -> InvoiceRecord:
    """Pattern 5: the invoice, its lines and its partition's events and deliveries in one (strongly
    consistent) Query. NotFound when this business has no such invoice."""
    record = _record(db.from_item(item) for item in db.query_all({
        "TableName": db.table_name(), "KeyConditionExpression": "PK = :pk", "ConsistentRead": True,
        "ExpressionAttributeValues": {":pk": {"S": keys.invoice_pk(business_id, invoice_id)}},
    }))
    if record is None:
        raise NotFound("invoice not found")
    return record


def get_item(business_id: str, invoice_id: str) -> StoredInvoice:
    """The invoice item alone (one GetItem), without its lines and events; NotFound as `get`."""
    item = db.get(keys.invoice_pk(business_id, invoice_id), keys.INVOICE_SK)
    if item is None:
        raise NotFound("invoice not found")
    return StoredInvoice.from_item(item)


def get_items(business_id: str, invoice_ids: Iterable[str]) -> dict[str, StoredInvoice]:
    """The invoice items (without lines and events) of up to 100 ids, by id, in one BatchGetItem."""
    ids = sorted(set(invoice_ids))
    if not ids:
        return {}
    found = db.batch_get([(keys.invoice_pk(business_id, invoice_id), keys.INVOICE_SK) for invoice_id in ids])
    return {stored.invoice_id: stored for stored in map(StoredInvoice.from_item, found)}


def get_by_public_token(token: str) -> InvoiceRecord | None:
    """Pattern 8 (public page, Pay button): the invoice's ids from GSI1, then its partition (the lines
    and events are not in the index) — two Queries. None when no invoice has this token."""
    found = db.client().query(
        TableName=db.table_name(), IndexName=keys.GSI1, KeyConditionExpression="GSI1PK = :pk AND GSI1SK = :sk",
        ExpressionAttributeValues={":pk": {"S": keys.public_token_gsi1pk(token)}, ":sk": {"S": keys.INVOICE_SK}},
        ProjectionExpression="business_id, invoice_id",
    )["Items"]
    if not found:
        return None
    header = db.from_item(found[0])
    return get(header["business_id"], header["invoice_id"])


def list_page(business_id: str, asked: pages.PageRequest, status: str | None = None,
              client_id: str | None = None) -> tuple[list[StoredInvoice], pages.Page]:
    """Pattern 6 (and 17 by cursor): one page of invoices, highest number first.

    GSI2 (all), GSI3 (by status) or GSI4 (by client; with a status too, the client's invoices are
    filtered by status). By page number, earlier pages are skipped with key-only reads; page 1 and any
    page by cursor are one Query (`store.pages`)."""
    if client_id:
        index, pk = keys.GSI4, keys.invoices_by_client_gsi4pk(business_id, client_id)
    elif status:
        index, pk = keys.GSI3, keys.invoices_by_status_gsi3pk(business_id, status)
    else:
        index, pk = keys.GSI2, keys.invoices_gsi2pk(business_id)
    request: dict[str, Any] = {
        "TableName": db.table_name(), "IndexName": index, "ScanIndexForward": False,
        "KeyConditionExpression": f"{index}PK = :pk", "ExpressionAttributeValues": {":pk": {"S": pk}},
    }
    if client_id and status:
        request["FilterExpression"] = "#status = :status"
        request["ExpressionAttributeNames"] = {"#status": "status"}
        request["ExpressionAttributeValues"][":status"] = {"S": status}
    scope = cursors.Scope("invoices", business_id, ("PK", "SK", f"{index}PK", f"{index}SK"), {f"{index}PK": pk},
                          {"status": status, "client_id": client_id})
    page = pages.read(request, asked, scope)
    return [StoredInvoice.from_item(db.from_item(item)) for item in page.items], page


# --- transitions ------------------------------------------------------------------------------------

def transition(business_id: str, invoice_id: str, target: str, at: datetime,
               changes: dict[str, Any] | None = None, by: str | None = None) -> StoredInvoice:
    """Move an invoice to `target` in ONE conditional UpdateItem, for every status change of the app
    (cancel, mark-paid, sent, opened, Stripe's paid, overdue): the condition is that the current status
    is one `target` may be reached from (domain.invoices.TRANSITIONS), so two racing transitions never
    both win. It sets `status`, the status index key, `<target>_at` = `at` (when it happened, e.g. a
    back-dated payment), `updated_at` = now, `version` + 1, `changed_by` = `by` (the API key id; removed
    for a change nobody's key made) and `changes` (e.g. {"paid_via": "stripe"}); it puts the invoice into
    the due-date index when it starts awaiting payment and takes it out when it stops.

    Answers the invoice as it is now. Raises NotFound (no such invoice for this business) or Conflict
    (409, naming the current status)."""
    try:
        answer = db.client().update_item(**transition_update(business_id, invoice_id, target, at, changes, by),
                                          ReturnValues="ALL_NEW", ReturnValuesOnConditionCheckFailure="ALL_OLD")
    except db.client().exceptions.ConditionalCheckFailedException as exc:
        old = exc.response.get("Item")
        if not old:
            raise NotFound("invoice not found") from exc
        current = StoredInvoice.from_item(db.from_item(old))
        raise Conflict(f"invoice {current.number} is {current.status}: it cannot become {target} "
                       f"(only from {', '.join(_sources(target))})",
                       [{"field": "status", "issue": "invalid_transition", "value": current.status}]) from exc
    return StoredInvoice.from_item(db.from_item(answer["Attributes"]))


def transition_update(business_id: str, invoice_id: str, target: str, at: datetime,
                      changes: dict[str, Any] | None = None, by: str | None = None) -> dict[str, Any]:
    """The conditional update of `transition`, as UpdateItem parameters that are also a TransactWriteItems
    `Update` (the send's `draft` → `sent` is written in one transaction with its deliveries)."""
    update = _status_change(db.UpdateExpression(), business_id, target, at).changes({**(changes or {}),
                                                                                       "changed_by": by})
    update.add("version", 1)
    sources = ", ".join(update.value(status) for status in _sources(target))
    condition = f"attribute_exists(PK) AND {update.name('status')} IN ({sources})"
    return update.request(keys.invoice_pk(business_id, invoice_id), keys.INVOICE_SK, condition)


def _status_change(update: db.UpdateExpression, business_id: str, target: str, at: datetime) -> db.UpdateExpression:
    update.set("status", target).set("GSI3PK", keys.invoices_by_status_gsi3pk(business_id, target))
    update.set(rules.STATUS_TIMESTAMP[target], to_rfc3339(at)).set("updated_at", to_rfc3339(utcnow()))
    if target in rules.AWAITING_PAYMENT:
        update.copy("GSI5PK", "due_gsi5pk").copy("GSI5SK", "due_gsi5sk")
    else:
        update.remove("GSI5PK").remove("GSI5SK")
    return update


class InvoiceChanged(Exception):
    """The invoice changed since it was read (another payment or credit note won): read it again."""


def balance_update(invoice: StoredInvoice, changes: dict[str, Any], target: str | None,
                   at: datetime | None = None) -> dict[str, Any]:
    """A TransactWriteItems `Update` of the invoice's balance (`changes`, and the move to `target` at `at`
    when the balance makes one), on condition that the invoice is still the version that was read: a
    payment or credit note is decided on what was read, and written only if that still holds."""
    if target and target != invoice.status:
        update = _status_change(db.UpdateExpression(), invoice.business_id, target, at or utcnow())
    else:
        update = db.UpdateExpression().set("updated_at", to_rfc3339(utcnow()))
    update.changes(changes).add("version", 1)
    version = update.name("version")
    same = f"{version} = {update.value(invoice.version)}"
    if invoice.version == 1:  # items written before versions were kept have none
        same = f"({same} OR attribute_not_exists({version}))"
    return update.request(keys.invoice_pk(invoice.business_id, invoice.invoice_id), keys.INVOICE_SK,
                          f"attribute_exists(PK) AND {same}")


def restore(invoice: StoredInvoice) -> bool:
    """Writes the invoice back as it was read, on condition that only the one change decided on it
    (`balance_update`, version + 1) happened since: a credit note whose stage changed the invoice but
    that could not claim its number. Answers whether it did (False: the invoice changed again)."""
    try:
        db.client().put_item(TableName=db.table_name(), Item=db.to_item({**invoice.to_item(),
                                                                         "version": invoice.version + 2}),
                             ConditionExpression="version = :staged",
                             ExpressionAttributeValues={":staged": {"N": str(invoice.version + 1)}})
    except db.client().exceptions.ConditionalCheckFailedException:
        return False
    return True


def _sources(target: str) -> list[str]:
    """The statuses `target` may be reached from, in the state machine's order (for messages too)."""
    return [status for status in rules.STATUSES if status in rules.allowed_from(target)]
