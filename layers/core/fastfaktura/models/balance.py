"""The invoice's balance: a payment's body and answer, and how an invoice names its credit notes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from fastfaktura.models.common import RequestBody, ResponseBody, Timestamp, Uuid

PaymentMethod = Literal["bank_transfer", "card", "cash", "cheque", "other"]
PaymentVia = Literal["manual", "stripe"]


class PaymentCreate(RequestBody):
    """`POST /invoices/{id}/payments`: money received for part (or all) of what is due."""

    amount_cents: Annotated[int, Field(strict=True, ge=1, le=10**15, examples=[25000],
                                       description="Integer cents, 1 … the invoice's amount_due_cents")]
    paid_at: AwareDatetime | None = Field(default=None, description="When the money arrived (default: now); "
                                          "not before the issue date, not in the future")
    method: PaymentMethod
    reference: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f\u2028\u2029]*$")] | None \
        = Field(default=None, examples=["VIR-2026-1142"])


class Payment(ResponseBody):
    id: Uuid
    amount_cents: int
    paid_at: Timestamp
    method: PaymentMethod
    reference: str | None = None
    via: PaymentVia = Field(description="`manual` (this API, mark-paid) or `stripe` (the Pay button)")


class CreditNoteRef(ResponseBody):
    id: Uuid
    number: str = Field(examples=["AV-0001"])
    total_cents: int
