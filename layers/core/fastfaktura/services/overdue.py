"""The scheduled overdue job: open invoices whose due date has passed in their business's time zone
become `overdue`. Safe to run twice or concurrently: each mark is a conditional write."""

from __future__ import annotations

from datetime import datetime

from fastfaktura.domain import invoices as rules
from fastfaktura.domain.errors import Conflict, NotFound
from fastfaktura.domain.overdue import due_dates_before, is_overdue
from fastfaktura.models.common import utcnow
from fastfaktura.store import due, invoices


def mark_overdue_invoices(now: datetime | None = None) -> dict[str, int]:
    """Reads the due-date index up to UTC's tomorrow (no Scan), decides per invoice in its business's
    time zone, and answers {"checked": candidates read, "marked": invoices that became overdue}.

    The mark is the invoices' own conditional transition (`sent|opened` → `overdue`, which also takes
    the invoice out of the index): an invoice paid or marked meanwhile is simply not counted."""
    now = now or utcnow()
    candidates = list(due.open_invoices_due_before(due_dates_before(now)))
    zones = due.business_timezones(c.business_id for c in candidates)
    marked = 0
    for candidate in candidates:
        zone = zones.get(candidate.business_id)
        if zone is None or not is_overdue(candidate.due_date, zone, now):
            continue
        try:
            invoices.transition(candidate.business_id, candidate.invoice_id, rules.OVERDUE, now)
        except (Conflict, NotFound):
            continue
        marked += 1
    return {"checked": len(candidates), "marked": marked}
