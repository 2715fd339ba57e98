"""The overdue decision in the business's time zone, with an injected "now"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastfaktura.domain.overdue import due_dates_before, is_overdue, local_today

DUE = date(2026, 11, 24)


@pytest.mark.parametrize(("now", "timezone", "overdue"), [
    # 23:30 UTC on the 24th is already 00:30 on the 25th in Oslo (UTC+1 in November): overdue there …
    (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), "Europe/Oslo", True),
    # … but still the 24th in UTC and in New York: not overdue yet.
    (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), "UTC", False),
    (datetime(2026, 11, 24, 23, 30, tzinfo=UTC), "America/New_York", False),
    # 22:59 UTC is 23:59 in Oslo: the due day itself is never overdue.
    (datetime(2026, 11, 24, 22, 59, tzinfo=UTC), "Europe/Oslo", False),
    (datetime(2026, 11, 25, 0, 0, tzinfo=UTC), "UTC", True),
    # New York reaches the 25th only at 05:00 UTC.
    (datetime(2026, 11, 25, 4, 59, tzinfo=UTC), "America/New_York", False),
    (datetime(2026, 11, 25, 5, 0, tzinfo=UTC), "America/New_York", True),
    # Kiritimati (UTC+14) is the first place where the 24th is over.
    (datetime(2026, 11, 24, 10, 0, tzinfo=UTC), "Pacific/Kiritimati", True),
    (datetime(2026, 11, 24, 9, 59, tzinfo=UTC), "Pacific/Kiritimati", False),
])
def test_due_date_passes_in_the_business_time_zone(now, timezone, overdue):
    assert is_overdue(DUE, timezone, now) is overdue


def test_summer_time_is_respected():
    # In June Oslo is UTC+2: 22:30 UTC is already the next day there.
    now = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)
    assert local_today("Europe/Oslo", now) == date(2026, 6, 11)
    assert is_overdue(date(2026, 6, 10), "Europe/Oslo", now)


def test_the_jobs_query_bound_covers_the_earliest_time_zone():
    now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    bound = due_dates_before(now)
    assert bound == date(2026, 11, 25)
    # Whatever zone says "overdue", the due date is below the bound.
    for zone in ("Pacific/Kiritimati", "Pacific/Auckland", "Europe/Oslo", "UTC", "Pacific/Pago_Pago"):
        for due in (date(2026, 11, 23), DUE, date(2026, 11, 25)):
            if is_overdue(due, zone, now):
                assert due < bound
