"""The invoice timeline's events, as answered by `GET /invoices/{id}/events` and inside `GET /invoices/{id}`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from fastfaktura.models.common import ResponseBody, Timestamp

EventType = Literal["created", "sent", "reminder_sent", "opened", "payment_received", "paid", "overdue", "credited",
                    "cancelled"]
Channel = Literal["email", "sms", "link"]

# Events at the same instant read in the order things happen (e.g. the three `sent` of one send).
TYPE_ORDER: dict[str, int] = {"created": 0, "sent": 1, "reminder_sent": 2, "opened": 3, "overdue": 4,
                              "payment_received": 5, "paid": 6, "credited": 7, "cancelled": 8}
CHANNEL_ORDER: dict[str | None, int] = {None: 0, "email": 1, "sms": 2, "link": 3}


class Event(ResponseBody):
    """One thing that happened to an invoice. `at` is when it happened (not when it was recorded)."""

    id: str = Field(description="Deterministic: derived from what caused the event, so it is never recorded twice")
    type: EventType
    at: Timestamp
    channel: Channel | None = Field(default=None, exclude_if=lambda value: value is None,
                                    description="Only on `sent` and `reminder_sent`")
    data: dict[str, Any] = Field(default_factory=dict, examples=[{"to": "client@example.com", "simulated": True}])
    by: str | None = Field(default=None, exclude_if=lambda value: value is None,
                           description="The id (16 characters) of the API key that made the change; absent "
                                       "for what the client or the system did (a view, a Stripe payment, overdue)")

    def sort_key(self) -> tuple[datetime, int, int, str]:
        return self.at, TYPE_ORDER[self.type], CHANNEL_ORDER[self.channel], self.id


class EventList(ResponseBody):
    """`GET /invoices/{id}/events`: the invoice's timeline, oldest first."""

    data: list[Event]
