"""Invoices: the create body, the answers, the list, the mark-paid body.

Quantities and tax rates are Decimal from the JSON text to the table (bodies are parsed with exact
numbers, see `fastfaktura.models.request.parse_json_body`); amounts are integer cents.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BeforeValidator,
    Field,
    model_validator,
)

from fastfaktura.models.balance import CreditNoteRef, Payment
from fastfaktura.models.codes import VatCategory, VatexCode
from fastfaktura.models.common import Currency, RequestBody, ResponseBody, Timestamp, Uuid, text
from fastfaktura.models.einvoice import EinvoiceReadiness
from fastfaktura.models.events import Event
from fastfaktura.models.numbers import DecimalNumber, Quantity, TaxRate

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

InvoiceStatus = Literal["draft", "sent", "opened", "paid", "overdue", "cancelled"]


def _iso_date(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("must be an ISO date, e.g. 2026-12-31")
    return value


UnitPriceCents = Annotated[int, Field(strict=True, ge=-10**9, le=10**9, examples=[50000],
                                      description="Integer cents; negative for a discount line")]
IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(examples=["2026-12-31"])]


Category = Annotated[VatCategory, Field(description=(
    "The VAT category (UNCL5305 as EN 16931 uses it): S standard (rate > 0), Z zero-rated, E exempt, AE reverse "
    "charge, K intra-community supply, G export outside the EU, O outside the scope of VAT. Every category but S "
    "has tax_rate 0. Absent: S for a rate > 0, Z for 0, and E (with the country's exemption reason) for a "
    "business whose vat_regime is exempt"))]
LineKind = Literal["service", "goods"]
Unit = Annotated[str, Field(pattern=r"^[A-Z0-9]{2,3}$", examples=["C62", "HUR", "DAY", "KGM"],
                            description="UN/ECE Recommendation 20 unit code (C62 one, HUR hour, DAY day, KGM "
                                        "kilogram, …)")]
Reference = Annotated[str, *text(200, min_length=1)]
ExemptionText = Annotated[str, *text(500, min_length=1)]
Description = Annotated[str, *text(500, min_length=1)]
Notes = Annotated[str, *text(2000, lines=True)]


class VatExemptionReasonCreate(RequestBody):
    """Why a line carries no VAT (BT-120 / BT-121). Without `text`, the code's own wording is printed."""

    code: VatexCode = Field(examples=["VATEX-EU-AE"], description="A code of the CEF VATEX list")
    text: ExemptionText | None = None


class VatExemptionReason(ResponseBody):
    """Why a line or a group carries no VAT: a VATEX code and its text. `code` is null only for a
    country's own exemption that the VATEX list has no code for (e.g. a Norwegian business below the
    registration threshold): `text` then names the law."""

    code: str | None = Field(examples=["VATEX-FR-FRANCHISE"])
    text: str | None = Field(default=None, examples=["TVA non applicable, art. 293 B du CGI"])


class InvoiceLineCreate(RequestBody):
    description: Description
    quantity: Quantity
    unit_price_cents: UnitPriceCents
    tax_rate: TaxRate
    vat_category: Category | None = None
    vat_exemption_reason: VatExemptionReasonCreate | None = Field(default=None, description=(
        "Needed for E, AE, K, G and O; AE, K, G and O default to VATEX-EU-AE, -IC, -G and -O, and an exempt "
        "business's E lines to its country's exemption (France: VATEX-FR-FRANCHISE)"))
    unit: Unit = "C62"
    kind: LineKind = Field(default="service", description="service or goods (a French seller prints the nature "
                                                          "of its operations from it)")


class InvoiceCreate(RequestBody):
    """`POST /invoices`. `due_date` null or absent = issue date + the business's payment terms."""

    client_id: UUID
    currency: Currency
    due_date: IsoDate | None = None
    notes: Notes | None = None
    buyer_reference: Reference | None = Field(default=None, description="The buyer's reference (BT-10)")
    purchase_order: Reference | None = Field(default=None, description="The purchase order reference (BT-13)")
    delivery_date: IsoDate | None = Field(default=None, description="The actual delivery date (BT-72)")
    lines: Annotated[list[InvoiceLineCreate], Field(min_length=1, max_length=500)]


class InvoiceLine(ResponseBody):
    """A line as answered. Lines stored before VAT categories existed read as S (rate > 0) or Z, unit
    C62, kind service."""

    description: str
    quantity: DecimalNumber
    unit_price_cents: int
    tax_rate: DecimalNumber
    amount_cents: int = Field(description="round(quantity × unit_price_cents), half up")
    vat_category: VatCategory | None = None
    vat_exemption_reason: VatExemptionReason | None = None
    unit: str = "C62"
    kind: LineKind = "service"

    @model_validator(mode="after")
    def _v1_category(self) -> InvoiceLine:
        if self.vat_category is None:  # a line written before categories: what its rate meant then
            self.vat_category = "S" if self.tax_rate > 0 else "Z"
        return self


class TaxBreakdown(ResponseBody):
    """One VAT group: the lines of one (category, rate)."""

    vat_category: VatCategory | None = None
    tax_rate: DecimalNumber
    taxable_cents: int
    tax_cents: int = Field(description="round(taxable_cents × tax_rate / 100), half up, once per group")
    vat_exemption_reason: VatExemptionReason | None = Field(default=None, description="When not S")

    @model_validator(mode="after")
    def _v1_category(self) -> TaxBreakdown:
        if self.vat_category is None:  # a group written before categories
            self.vat_category = "S" if self.tax_rate > 0 else "Z"
        return self


class ClientRef(ResponseBody):
    id: Uuid
    name: str = Field(description="The client's name when the invoice was made")


class InvoiceSummary(ResponseBody):
    """An invoice as listed: everything but its lines and timeline."""

    id: Uuid
    number: str = Field(examples=["F-0001"])
    status: InvoiceStatus
    client_id: Uuid
    client: ClientRef
    currency: str
    issue_date: date
    due_date: date
    notes: str | None
    buyer_reference: str | None = None
    purchase_order: str | None = None
    delivery_date: date | None = None
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    tax_breakdown: list[TaxBreakdown]
    line_count: int
    public_url: str
    created_at: Timestamp
    updated_at: Timestamp
    sent_at: Timestamp | None = None
    opened_at: Timestamp | None = None
    paid_at: Timestamp | None = None
    paid_via: str | None = Field(default=None, examples=["manual", "stripe"])
    overdue_at: Timestamp | None = None
    cancelled_at: Timestamp | None = None
    einvoice: EinvoiceReadiness = Field(description="Whether this invoice can be a valid e-invoice (UBL, CII, "
                                                    "Factur-X PDF), and what stops it")
    amount_paid_cents: int = Field(default=0, description="The sum of the payments")
    amount_credited_cents: int = Field(default=0, description="The sum of the credit notes' totals")
    amount_due_cents: int = Field(default=0, description="total − credited − paid, never below 0")


class Invoice(InvoiceSummary):
    """An invoice with its lines and its timeline (oldest first; the timeline may lag a write by a moment),
    its payments and its credit notes (oldest first)."""

    lines: list[InvoiceLine]
    events: list[Event]
    payments: list[Payment] = Field(default_factory=list)
    credit_notes: list[CreditNoteRef] = Field(default_factory=list)


class InvoiceList(ResponseBody):
    data: list[InvoiceSummary]
    page: int | None = Field(description="The page number asked for; null when the page was reached by cursor")
    per_page: int
    has_more: bool
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page (same "
                                    "filters); null on the last page")


class MarkPaid(RequestBody):
    """`POST /invoices/{id}/mark-paid`: when the money arrived (default: now); not in the future."""

    paid_at: AwareDatetime | None = None
