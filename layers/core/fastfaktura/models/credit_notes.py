"""Credit notes: the create body, the answer, the list."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from fastfaktura.models.common import RequestBody, ResponseBody, Timestamp, Uuid
from fastfaktura.models.einvoice import EinvoiceReadiness
from fastfaktura.models.invoices import Description, InvoiceLine, InvoiceLineCreate, TaxBreakdown  # noqa: F401

# (Description: mypy's pydantic plugin names the inherited fields' types in this module)

RefundStatus = Literal["pending", "requires_action", "succeeded", "failed", "canceled"]


class CreditNoteLineCreate(InvoiceLineCreate):
    """A line of the invoice's shape that credits part of it: a positive amount, at a tax rate the
    invoice has."""

    unit_price_cents: Annotated[int, Field(strict=True, ge=1, le=10**9, examples=[10000],
                                           description="Integer cents, > 0: what is credited")]


class CreditNoteCreate(RequestBody):
    """`POST /invoices/{id}/credit-notes`. Without `lines`, everything not yet credited is credited."""

    reason: Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f\u2028\u2029]*$",
                                 examples=["Returned goods"])]
    lines: Annotated[list[CreditNoteLineCreate], Field(min_length=1, max_length=500)] | None = None
    refund: Literal["stripe"] | None = Field(
        default=None, description="`stripe`: also refund the credited amount on the invoice's Stripe payment "
                                  "(only for an invoice paid through Stripe)")


class Refund(ResponseBody):
    id: str | None = Field(description="Stripe's refund id (null when Stripe refused it)")
    status: RefundStatus = Field(description="As Stripe reports it; settled later by Stripe's webhook")
    amount_cents: int


class CreditNote(ResponseBody):
    """A credit note: its own number, the invoice it corrects, what it credits (positive amounts)."""

    id: Uuid
    number: str = Field(examples=["AV-0001"])
    invoice_id: Uuid
    invoice_number: str
    invoice_issue_date: date
    currency: str
    issue_date: date
    reason: str
    lines: list[InvoiceLine]
    subtotal_cents: int
    tax_cents: int
    total_cents: int
    tax_breakdown: list[TaxBreakdown]
    refund: Refund | None = None
    created_at: Timestamp
    einvoice: EinvoiceReadiness = Field(description="Whether this credit note can be a valid e-invoice (UBL "
                                                    "CreditNote, CII 381, Factur-X PDF), and what stops it")


class CreditNoteList(ResponseBody):
    data: list[CreditNote]
    page: int | None = Field(description="The page number asked for; null when the page was reached by cursor")
    per_page: int
    has_more: bool
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page (same "
                                    "filters); null on the last page")
