"""The plain data a PDF is rendered from: the contract's render-pdf JSON document
`{"business": {…}, "client": {…}, "invoice": {…, "lines": […]}}`, as the API answers those objects.
Unknown keys are ignored, so a full API answer can be passed as is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from fastfaktura.i18n.catalogue import catalogue
from fastfaktura.i18n.formats import DEFAULT_TIMEZONE, local_day
from fastfaktura.models.locales import DEFAULT_LOCALE


@dataclass(frozen=True)
class Seller:
    name: str
    legal_name: str | None = None
    address: str | None = None
    country: str | None = None
    email: str | None = None
    phone: str | None = None
    vat_number: str | None = None
    company_id: str | None = None
    iban: str | None = None
    bic: str | None = None
    legal_form: str | None = None
    vat_registered: bool = False
    late_payment_rate: Decimal | None = None
    f_skatt: bool = False
    default_locale: str = DEFAULT_LOCALE
    timezone: str | None = None  # IANA; the day an invoice was paid is the day where the business is
    sandbox: bool = False  # a sandbox business's PDF is marked TEST on every page


@dataclass(frozen=True)
class Buyer:
    name: str
    address: str | None = None
    country: str | None = None
    email: str | None = None
    phone: str | None = None
    locale: str | None = None


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price_cents: int
    tax_rate: Decimal
    amount_cents: int


@dataclass(frozen=True)
class TaxGroup:
    tax_rate: Decimal
    taxable_cents: int
    tax_cents: int
    vat_category: str | None = None  # None on a group of before categories (S or Z by its rate)


# What a status prints: paid and cancelled invoices are marked, every other status prints alike.
PRINTED_STATUSES = ("paid", "cancelled")


@dataclass(frozen=True)
class Invoice:
    number: str
    status: str  # "paid", "cancelled" or "open" (draft, sent, opened, overdue)
    currency: str
    issue_date: date
    due_date: date
    lines: tuple[Line, ...]
    tax_breakdown: tuple[TaxGroup, ...]
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    notes: str | None = None
    public_url: str | None = None
    paid_at: date | None = None


@dataclass(frozen=True)
class CorrectedInvoice:
    """What a credit note names: the invoice it corrects, that invoice's date, and why."""

    number: str
    issue_date: date
    reason: str


@dataclass(frozen=True)
class InvoiceDocument:
    business: Seller
    client: Buyer
    invoice: Invoice  # a credit note's own number, dates, lines and amounts (what it credits)
    # The legal mentions (`domain.mentions`, as {"key", "values"}); the services list them, since the
    # renderer does not reach the domain. A document without them prints the first release's mentions.
    mentions: tuple[dict[str, Any], ...] = ()
    corrects: CorrectedInvoice | None = None  # set: the document is a credit note

    @property
    def locale(self) -> str:
        """The client's locale decides the language; the business's default otherwise."""
        return self.client.locale or self.business.default_locale or DEFAULT_LOCALE

    @property
    def file_name(self) -> str:
        """facture-F-0001.pdf, invoice-F-0001.pdf, faktura-F-0001.pdf."""
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in self.invoice.number)
        texts = catalogue(self.locale)
        return f"{texts.credit_note.file_stem if self.corrects else texts.pdf.file_stem}-{safe}.pdf"

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> InvoiceDocument:
        business = _build(Seller, document["business"])
        timezone = ZoneInfo(business.timezone or DEFAULT_TIMEZONE)
        corrects = document.get("corrects")
        return cls(business=business, client=_build(Buyer, document["client"]),
                   invoice=_invoice(document["invoice"], timezone),
                   mentions=tuple(document.get("mentions") or ()),
                   corrects=CorrectedInvoice(corrects["number"], _day(corrects["issue_date"], timezone),
                                             corrects.get("reason") or "") if corrects else None)


def _build(kind: type, values: dict[str, Any]) -> Any:
    fields = kind.__dataclass_fields__
    known = {k: v for k, v in values.items() if k in fields and v is not None}
    if "late_payment_rate" in known:
        known["late_payment_rate"] = Decimal(str(known["late_payment_rate"]))
    return kind(**known)


def _day(value: Any, timezone: ZoneInfo) -> date | None:
    """A day, or the day of a moment where the business is."""
    if value is None:
        return None
    if not isinstance(value, date):
        text = str(value)
        value = datetime.fromisoformat(text.replace("Z", "+00:00")) if "T" in text else date.fromisoformat(text)
    return local_day(value, timezone) if isinstance(value, datetime) else value


def _invoice(values: dict[str, Any], timezone: ZoneInfo) -> Invoice:
    lines = tuple(Line(description=line["description"], quantity=Decimal(str(line["quantity"])),
                       unit_price_cents=int(line["unit_price_cents"]), tax_rate=Decimal(str(line["tax_rate"])),
                       amount_cents=int(line["amount_cents"])) for line in values["lines"])
    breakdown = tuple(TaxGroup(tax_rate=Decimal(str(group["tax_rate"])), taxable_cents=int(group["taxable_cents"]),
                               tax_cents=int(group["tax_cents"]), vat_category=group.get("vat_category"))
                      for group in values["tax_breakdown"])
    return Invoice(
        number=values["number"], currency=values["currency"],
        status=values["status"] if values.get("status") in PRINTED_STATUSES else "open",
        issue_date=_day(values["issue_date"], timezone), due_date=_day(values["due_date"], timezone), lines=lines,
        tax_breakdown=breakdown, subtotal_cents=int(values["subtotal_cents"]), tax_cents=int(values["tax_cents"]),
        total_cents=int(values["total_cents"]), notes=values.get("notes"), public_url=values.get("public_url"),
        paid_at=_day(values.get("paid_at"), timezone),
    )
