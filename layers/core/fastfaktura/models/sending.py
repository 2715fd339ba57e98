"""`POST /invoices/{id}/send`: the body and the answer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from fastfaktura.models.common import RequestBody, ResponseBody
from fastfaktura.models.events import Channel
from fastfaktura.models.invoices import Invoice

DeliveryStatus = Literal["sent", "simulated", "failed"]


class SendRequest(RequestBody):
    """Which channels to use (each at most once) and whether this is a reminder."""

    channels: Annotated[list[Channel], Field(min_length=1, max_length=3, examples=[["email", "sms"]])]
    reminder: Annotated[bool, Field(strict=True, description="The reminder wording; only on sent, opened or "
                                                             "overdue invoices")] = False

    @field_validator("channels")
    @classmethod
    def _no_repeats(cls, channels: list[str]) -> list[str]:
        if len(set(channels)) != len(channels):
            raise ValueError("must not name a channel twice")
        return channels


class Delivery(ResponseBody):
    channel: Channel
    status: DeliveryStatus = Field(description="`simulated` for a sandbox business (nothing leaves AWS)")
    to: str = Field(description="The email address, the phone number (E.164), or for `link` the public URL")
    message_id: str | None = Field(description="The provider's message id (SES / SNS) when `sent`, else null")
    reason: str | None = Field(default=None, description="Why the provider refused, when `failed`")


class SendResult(ResponseBody):
    invoice: Invoice
    deliveries: list[Delivery] = Field(description="One per requested channel, in the requested order")
