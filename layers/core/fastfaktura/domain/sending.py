"""What may be sent, checked before anything is sent."""

from __future__ import annotations

from collections.abc import Sequence

from fastfaktura.domain import invoices as rules
from fastfaktura.domain.errors import Conflict, ValidationFailed

REMINDABLE = rules.OUTSTANDING
CLOSED = frozenset({rules.PAID, rules.CANCELLED})


def check_sendable(status: str, number: str, reminder: bool) -> None:
    """Paid and cancelled invoices are never sent (409); a reminder needs an invoice already sent."""
    if status in CLOSED:
        raise Conflict(f"invoice {number} is {status}: it cannot be sent",
                       [{"field": "status", "issue": "not_sendable", "value": status}])
    if reminder and status not in REMINDABLE:
        raise Conflict(f"invoice {number} is {status}: a reminder needs an invoice that was sent "
                       f"(sent, opened or overdue)", [{"field": "reminder", "issue": "not_sent_yet", "value": status}])


_NEEDS = {"email": ("email address", "client_email_missing"), "sms": ("phone number", "client_phone_missing")}


def check_contacts(channels: Sequence[str], email: str | None, phone: str | None) -> None:
    """`email` needs the client's email address, `sms` its phone number (422 naming each one missing)."""
    has = {"email": bool(email), "sms": bool(phone)}
    missing = [(index, channel) for index, channel in enumerate(channels) if channel in _NEEDS and not has[channel]]
    if missing:
        what = " and no ".join(_NEEDS[channel][0] for _, channel in missing)
        raise ValidationFailed(f"the client has no {what}: add it to the client or leave out the channel",
                               [{"field": f"channels.{index}", "issue": _NEEDS[channel][1], "value": channel}
                                for index, channel in missing])

