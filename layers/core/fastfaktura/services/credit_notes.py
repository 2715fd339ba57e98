"""Credit notes: issue one (in full or in part, optionally refunded through Stripe), cancel an issued
invoice through one, read and list them. An issued invoice is never simply cancelled: a credit note with
its own number refers to it, as French, Norwegian, Swedish and Danish law ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastfaktura.domain import balance, money
from fastfaktura.domain import invoices as rules
from fastfaktura.domain.errors import Conflict, InvalidRequest, ValidationFailed
from fastfaktura.domain.ids import id_or_not_found, new_id, parse_id
from fastfaktura.i18n.catalogue import catalogue
from fastfaktura.models.common import utcnow
from fastfaktura.models.credit_notes import CreditNote, CreditNoteCreate, CreditNoteLineCreate, CreditNoteList
from fastfaktura.models.invoices import Invoice, InvoiceLine, TaxBreakdown
from fastfaktura.observability import count
from fastfaktura.services import einvoices, invoices
from fastfaktura.services.balance import until_unchanged
from fastfaktura.services.lists import page_request
from fastfaktura.store import businesses
from fastfaktura.store import credit_notes as store
from fastfaktura.store import invoices as invoice_store
from fastfaktura.store import parties as parties_store
from fastfaktura.store.balance import StoredCreditNote
from fastfaktura.store.invoices import StoredInvoice

if TYPE_CHECKING:
    from fastfaktura.einvoice.model import Document


def issue_credit_note(business_id: str, invoice_id: str, body: CreditNoteCreate,
                      by: str | None = None) -> tuple[StoredCreditNote, StoredInvoice]:
    """The credit note and the invoice it corrects (as read before the credit). 409 unless the invoice was
    issued; 422 for a line at a rate the invoice lacks, more than remains, or a Stripe refund (asked for by
    `body.refund`, made by `services.refunds`) on an invoice not paid through Stripe."""
    canonical = id_or_not_found(invoice_id, "invoice")
    return until_unchanged(lambda: _issue(business_id, canonical, body.reason, body.lines, body.refund, False, by))


def cancel_invoice(business_id: str, invoice_id: str, base_url: str, by: str | None = None) -> Invoice:
    """A draft is cancelled; a sent, opened or overdue invoice is credited in full in the same transaction
    as its move to cancelled; a paid (or cancelled) one answers 409."""
    canonical = id_or_not_found(invoice_id, "invoice")
    record = invoice_store.get(business_id, canonical)
    if record.status == rules.DRAFT:
        return invoices.cancel_invoice(business_id, canonical, base_url, by=by)
    until_unchanged(lambda: _issue(business_id, canonical, None, None, None, True, by))
    return invoices.answer(invoice_store.get(business_id, canonical), base_url)


def _issue(business_id: str, invoice_id: str, reason: str | None, lines: list[CreditNoteLineCreate] | None,
           refund: str | None, cancel: bool, by: str | None) -> tuple[StoredCreditNote, StoredInvoice]:
    """Read (the invoice partition; the profile), decide, stage with the invoice's change, number."""
    record = invoice_store.get(business_id, invoice_id)
    invoice = record.invoice
    if cancel and invoice.status not in rules.OUTSTANDING:
        raise Conflict(f"invoice {invoice.number} is {invoice.status}: it cannot be cancelled"
                       + (" (a paid invoice is corrected by a credit note)" if invoice.status == rules.PAID else ""),
                       [{"field": "status", "issue": "invalid_transition", "value": invoice.status}])
    balance.check_creditable(invoice.status, invoice.number)
    stripe_payment = _stripe_payment(record) if refund == "stripe" else None
    invoice_groups = balance.groups_of(invoice.tax_breakdown)
    credited = balance.groups_from_map(invoice.credited_groups)
    if lines:
        groups = [_invoice_group(invoice.tax_breakdown, line, index) for index, line in enumerate(lines)]
        lines = [line.model_copy(update={"vat_category": group.vat_category, "vat_exemption_reason": None})
                 for line, group in zip(lines, groups, strict=True)]
        credit, totals = balance.credit_of(lines, invoice_groups, credited)
        note_lines = [InvoiceLine(**line.model_dump(exclude={"amount_cents", "vat_exemption_reason"}),
                                  vat_exemption_reason=group.vat_exemption_reason, amount_cents=amount)
                      for line, group, amount in zip(lines, groups, totals.line_amounts, strict=True)]
    else:
        credit = balance.full_credit(balance.remaining(invoice_groups, credited))
        note_lines = _lines_of_the_rest(record, credit, reason or "")
    business = businesses.get(business_id)
    if cancel:
        reason = catalogue(business.default_locale).credit_note.cancel_reason.format(number=invoice.number)
    now = utcnow()
    note = StoredCreditNote(
        business_id=business_id, invoice_id=invoice_id, credit_note_id=new_id(), number="", sequence=0,
        invoice_number=invoice.number, invoice_issue_date=invoice.issue_date,
        client_id=invoice.client_id, currency=invoice.currency,
        issue_date=rules.issue_date(now, business.timezone), reason=reason or "",
        lines=tuple(note_lines), subtotal_cents=credit.subtotal_cents, tax_cents=credit.tax_cents,
        total_cents=credit.total_cents, tax_breakdown=_breakdown(invoice.tax_breakdown, credit), created_at=now,
        stripe_payment_intent_id=stripe_payment, by=by)
    all_credited = {**credited, **{key: credited.get(key, balance.GroupAmount(0, 0)).plus(amount)
                                   for key, amount in credit.groups.items()}}
    credited_cents = invoice.amount_credited_cents + credit.total_cents
    due = balance.amount_due(invoice.total_cents, credited_cents, invoice.amount_paid_cents)
    target = rules.CANCELLED if cancel else balance.status_after(invoice.status, due, invoice.amount_paid_cents)
    changes = {"amount_credited_cents": credited_cents, "credited_groups": balance.groups_to_map(all_credited),
               "changed_by": by}
    if target == rules.PAID and target != invoice.status:
        changes["paid_via"] = invoice.paid_via or "manual"
    issued = store.issue(invoice, note, business.credit_note_number_prefix, changes, target)
    count("CreditNotesIssued")
    return issued, invoice


def _invoice_group(breakdown: tuple[TaxBreakdown, ...], line: CreditNoteLineCreate, index: int) -> TaxBreakdown:
    """The invoice's VAT group a credit line credits: its (category, rate), the category defaulting to the
    invoice's one at that rate. 422 when the invoice has no such group (or several at that rate and the
    line names none)."""
    rate = money.normalized_rate(line.tax_rate)
    found = [g for g in breakdown if money.normalized_rate(g.tax_rate) == rate
             and line.vat_category in (None, g.vat_category)]
    if len(found) != 1:
        field, issue = ("vat_category", "ambiguous") if found else ("tax_rate", "not_on_invoice")
        raise ValidationFailed.field(f"lines.{index}.{field}", issue,
                                     f"lines[{index}]: the invoice has "
                                     + ("several VAT categories at this rate: name one" if found else
                                        f"no line of {line.vat_category or 'any VAT category'} at tax rate {rate}"),
                                     str(line.vat_category if found else line.tax_rate))
    return found[0]


def _stripe_payment(record: invoice_store.InvoiceRecord) -> str:
    intents = [p.stripe_payment_intent_id for p in record.payments if p.via == "stripe" and p.stripe_payment_intent_id]
    intent = intents[-1] if intents else record.invoice.stripe_payment_intent_id
    if not intent:
        raise ValidationFailed.field("refund", "not_paid_through_stripe",
                                     f"invoice {record.invoice.number} was not paid through Stripe: "
                                     "there is no payment to refund", "stripe")
    return intent


def _lines_of_the_rest(record: invoice_store.InvoiceRecord, credit: balance.Credit, reason: str) -> list[InvoiceLine]:
    """The invoice's own lines when nothing was credited yet, else one line per group for what remains."""
    if not record.invoice.credited_groups:
        return list(record.lines)
    groups = {balance.group_key(g): g for g in record.invoice.tax_breakdown}
    return [InvoiceLine(description=reason or record.invoice.number, quantity=1, unit_price_cents=g.taxable_cents,
                        tax_rate=groups[key].tax_rate, vat_category=groups[key].vat_category,
                        vat_exemption_reason=groups[key].vat_exemption_reason, amount_cents=g.taxable_cents)
            for key, g in credit.groups.items()]


def _breakdown(invoice_breakdown: tuple[TaxBreakdown, ...], credit: balance.Credit) -> tuple[TaxBreakdown, ...]:
    """The invoice's groups that the note credits, with what it credits (so a group keeps all it says)."""
    return tuple(g.model_copy(update={"taxable_cents": credit.groups[key].taxable_cents,
                                      "tax_cents": credit.groups[key].tax_cents})
                 for g in invoice_breakdown if (key := balance.group_key(g)) in credit.groups)


def get_record(business_id: str, credit_note_id: str) -> StoredCreditNote:
    return store.get(business_id, id_or_not_found(credit_note_id, "credit note"))


def einvoice_document(note: StoredCreditNote, corrects: StoredInvoice) -> Document | None:
    """The credit note's EN 16931 document, between the parties its invoice was issued to and from."""
    return einvoices.credit_note_document(note, corrects, parties_store.printed(corrects))


def answer(note: StoredCreditNote, corrects: StoredInvoice | None = None) -> CreditNote:
    """The credit note as the API answers it, with its e-invoice readiness: that needs the invoice it
    corrects (one GetItem unless the caller has it)."""
    corrects = corrects or invoice_store.get_item(note.business_id, note.invoice_id)
    return note.to_credit_note(einvoices.answer_of(einvoice_document(note, corrects)))


def get_credit_note(business_id: str, credit_note_id: str) -> CreditNote:
    """Round trips: two GetItems (the credit note, its invoice)."""
    return answer(get_record(business_id, credit_note_id))


def list_credit_notes(business_id: str, page: int | None, per_page: int, invoice_id: str | None,
                      cursor: str | None = None) -> CreditNoteList:
    """Highest number first; `page` (None: not asked) or `cursor` (a `next_cursor` of the same list)."""
    asked = page_request(page, per_page, cursor)
    invoice = None
    if invoice_id is not None:
        invoice = parse_id(invoice_id)
        if invoice is None:
            raise InvalidRequest("invoice_id must be a uuid", [{"field": "invoice_id", "issue": "uuid",
                                                                  "value": invoice_id}])
    found, listed = store.list_page(business_id, asked, invoice)
    corrected = invoice_store.get_items(business_id, (note.invoice_id for note in found))
    return CreditNoteList(data=[answer(note, corrected[note.invoice_id]) for note in found],
                          page=asked.page if cursor is None else None,
                          per_page=per_page, has_more=listed.has_more, next_cursor=listed.next_cursor)
