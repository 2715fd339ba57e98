"""The items of an invoice's balance, typed: payments in the invoice's partition; credit notes in their
own partition (numbered by `store.sequences`), listed by GSI2 (the business's) and GSI4 (an invoice's),
each with a reference item in its invoice's partition, so the invoice's one Query reads its payments
and credit notes. See docs/DATA_MODEL.md."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from fastfaktura.models.balance import CreditNoteRef, Payment
from fastfaktura.models.common import to_rfc3339
from fastfaktura.models.credit_notes import CreditNote, Refund
from fastfaktura.models.einvoice import EinvoiceReadiness
from fastfaktura.models.invoices import InvoiceLine, TaxBreakdown
from fastfaktura.store import keys


def typed_values(cls: type, item: dict[str, Any], dates: tuple[str, ...], times: tuple[str, ...]) -> dict[str, Any]:
    """A record's fields from an item as read (plain values): absent or null ones left out (their defaults
    apply), ISO dates and RFC 3339 times parsed. Unknown attributes are ignored."""
    values = {f.name: item[f.name] for f in fields(cls) if item.get(f.name) is not None}
    for name in dates:
        if name in values:
            values[name] = date.fromisoformat(values[name])
    for name in times:
        if name in values:
            values[name] = datetime.fromisoformat(values[name])
    return values


@dataclass(frozen=True)
class StoredPayment:
    """One payment. `due_after_cents`: what it left due, so that the timeline tells a partial payment
    (`payment_received`) from the last one (the invoice's `paid`) from this item alone."""

    business_id: str
    invoice_id: str
    payment_id: str
    amount_cents: int
    paid_at: datetime
    method: str
    via: str
    due_after_cents: int
    created_at: datetime
    reference: str | None = None
    stripe_payment_intent_id: str | None = None
    stripe_checkout_session_id: str | None = None
    by: str | None = None  # the API key id that recorded it

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoredPayment:
        return cls(**typed_values(cls, item, (), ("paid_at", "created_at")))

    def to_item(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(paid_at=to_rfc3339(self.paid_at), created_at=to_rfc3339(self.created_at))
        return {"PK": keys.invoice_pk(self.business_id, self.invoice_id), "SK": keys.payment_sk(self.payment_id),
                **{name: value for name, value in values.items() if value is not None}}

    def to_payment(self) -> Payment:
        return Payment(id=self.payment_id, amount_cents=self.amount_cents, paid_at=self.paid_at, method=self.method,
                       reference=self.reference, via=self.via)


@dataclass(frozen=True)
class StoredCreditNote:
    business_id: str
    invoice_id: str
    credit_note_id: str
    number: str
    sequence: int
    invoice_number: str
    invoice_issue_date: date
    client_id: str
    currency: str
    issue_date: date
    reason: str
    lines: tuple[InvoiceLine, ...]
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    tax_breakdown: tuple[TaxBreakdown, ...]
    created_at: datetime
    refund: Refund | None = None
    stripe_payment_intent_id: str | None = None  # the payment a refund goes back to
    by: str | None = None  # the API key id that issued it

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> StoredCreditNote:
        values = typed_values(cls, item, ("invoice_issue_date", "issue_date"), ("created_at",))
        values["lines"] = tuple(InvoiceLine.model_validate(line) for line in values.get("lines", ()))
        values["tax_breakdown"] = tuple(TaxBreakdown.model_validate(g) for g in values.get("tax_breakdown", ()))
        if "refund" in values:
            values["refund"] = Refund.model_validate(values["refund"])
        return cls(**values)

    def to_item(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(invoice_issue_date=self.invoice_issue_date.isoformat(), issue_date=self.issue_date.isoformat(),
                      created_at=to_rfc3339(self.created_at), lines=[line.model_dump() for line in self.lines],
                      tax_breakdown=[g.model_dump() for g in self.tax_breakdown],
                      refund=self.refund.model_dump() if self.refund else None)
        order = keys.number_order_sk(self.sequence)
        return {"PK": keys.credit_note_pk(self.business_id, self.credit_note_id), "SK": keys.CREDIT_NOTE_SK,
                "GSI2PK": keys.credit_notes_gsi2pk(self.business_id), "GSI2SK": order,
                "GSI4PK": keys.credit_notes_by_invoice_gsi4pk(self.business_id, self.invoice_id), "GSI4SK": order,
                **{name: value for name, value in values.items() if value is not None}}

    def to_ref_item(self) -> dict[str, Any]:
        """The credit note's reference in its invoice's partition (what the invoice answer lists, and what
        the timeline's `credited` is derived from)."""
        return {"PK": keys.invoice_pk(self.business_id, self.invoice_id),
                "SK": keys.credit_note_ref_sk(self.credit_note_id), "credit_note_id": self.credit_note_id,
                "number": self.number, "total_cents": self.total_cents, "reason": self.reason,
                "created_at": to_rfc3339(self.created_at), **({"by": self.by} if self.by else {})}

    def to_credit_note(self, einvoice: EinvoiceReadiness) -> CreditNote:
        return CreditNote(einvoice=einvoice, id=self.credit_note_id, number=self.number, invoice_id=self.invoice_id,
                          invoice_number=self.invoice_number, invoice_issue_date=self.invoice_issue_date,
                          currency=self.currency, issue_date=self.issue_date, reason=self.reason,
                          lines=list(self.lines), subtotal_cents=self.subtotal_cents, tax_cents=self.tax_cents,
                          total_cents=self.total_cents, tax_breakdown=list(self.tax_breakdown), refund=self.refund,
                          created_at=self.created_at)

def credit_note_ref(item: dict[str, Any]) -> CreditNoteRef:
    """A credit note's reference item (`StoredCreditNote.to_ref_item`, plain values) as the invoice lists it."""
    return CreditNoteRef(id=item["credit_note_id"], number=item["number"], total_cents=item["total_cents"])
