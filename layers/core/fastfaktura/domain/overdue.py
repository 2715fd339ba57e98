"""When an open invoice is overdue: its due date has passed in its business's time zone.

Pure: "now" is always passed in, so the time-zone edges are testable."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def local_today(timezone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def is_overdue(due_date: date, timezone: str, now: datetime) -> bool:
    """Overdue from the first day after the due date, in the business's own calendar: an invoice due
    on the 24th is payable all of the 24th in Oslo, even once it is the 25th somewhere else."""
    return due_date < local_today(timezone, now)


def due_dates_before(now: datetime) -> date:
    """The exclusive upper bound of due dates worth reading for the job: no time zone is a full day
    ahead of UTC (UTC+14 at most), so nowhere is an invoice due on or after UTC's tomorrow overdue."""
    return now.astimezone(ZoneInfo("UTC")).date() + timedelta(days=1)
