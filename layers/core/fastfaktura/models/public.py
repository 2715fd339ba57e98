"""What the public invoice page shows: the invoice, its seller and its client, as plain JSON-shaped
values (the contract's field names), so that the page renders without any store or provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from fastfaktura.models.common import ResponseBody


@dataclass(frozen=True)
class PublicInvoice:
    token: str
    locale: str
    business: dict[str, Any]  # the Business answer's fields
    client: dict[str, Any]  # name, email, address, country
    invoice: dict[str, Any]  # the invoice answer's fields (number, status, dates, lines, totals, …)
    can_pay: bool  # payable status, a positive total and a Stripe key usable for this business
    payment_notice: str | None = None  # "success" / "cancelled" after returning from Stripe Checkout
    mentions: list[dict[str, Any]] = field(default_factory=list)  # the legal mentions: {"key", "values"}


class WebhookReceipt(ResponseBody):
    """The webhook's 200 answer: what the event did."""

    received: bool = True
    outcome: Literal["paid", "payment_received", "refund_updated", "already_recorded", "ignored"] = Field(
        description="paid: the invoice is now paid; already_recorded: a replay or a payment that the "
                    "invoice's status no longer takes; ignored: an event type or session we do not act on")
    invoice_id: str | None = None
