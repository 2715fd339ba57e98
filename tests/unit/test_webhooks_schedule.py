"""The retry schedule: exponential with jitter, at least 3 days, never over SQS's 12 h."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from fastfaktura.webhooks.schedule import (
    FAST_RETRIES_SCALE,
    MAX_DELAY_SECONDS,
    RETRY_WINDOW,
    base_delay,
    endpoint_to_disable,
    next_delay,
)

START = datetime(2026, 12, 1, tzinfo=UTC)


def test_base_delays_grow_then_stay_at_12_hours():
    assert [base_delay(n) for n in range(1, 10)] == [60, 300, 1800, 7200, 18000, 36000, 43200, 43200, 43200]
    with pytest.raises(ValueError):
        base_delay(0)


def test_jitter_stays_within_20_percent_and_under_the_visibility_cap():
    rng = random.Random(7)
    for failures in range(1, 15):
        for _ in range(50):
            delay = next_delay(failures, START, START, rng=rng)
            base = base_delay(failures)
            assert base * 0.8 <= delay <= min(base * 1.2, MAX_DELAY_SECONDS)
    assert len({next_delay(1, START, START, rng=rng) for _ in range(20)}) > 1  # jittered, not fixed


def _attempt_times(rng: random.Random, scale: float = 1.0) -> list[datetime]:
    """Every attempt of an event whose receiver never answers, following the schedule."""
    times, failures = [START], 0
    while True:
        failures += 1
        delay = next_delay(failures, START, times[-1], scale=scale, rng=rng)
        if delay is None:
            return times
        times.append(times[-1] + timedelta(seconds=delay))


@pytest.mark.parametrize("seed", range(5))
def test_an_event_is_retried_for_at_least_3_days_then_given_up(seed):
    times = _attempt_times(random.Random(seed))
    assert times[-1] - START >= RETRY_WINDOW
    assert times[-2] - START < RETRY_WINDOW  # the last attempt is the first past the window
    assert 10 <= len(times) <= 16  # what the DLQ's maxReceiveCount must stay above


def test_fast_retries_keep_the_shape_in_seconds():
    times = _attempt_times(random.Random(1), scale=FAST_RETRIES_SCALE)
    assert (times[1] - START).total_seconds() < 0.02  # a minute becomes 1/60 s
    assert timedelta(seconds=72) <= times[-1] - START < timedelta(seconds=90)
    assert len(times) == len(_attempt_times(random.Random(1)))


def test_an_endpoint_failing_for_3_days_is_disabled():
    assert not endpoint_to_disable(None, START)
    assert not endpoint_to_disable(START, START + RETRY_WINDOW - timedelta(seconds=1))
    assert endpoint_to_disable(START, START + RETRY_WINDOW)
    assert endpoint_to_disable(START, START + timedelta(seconds=72), scale=FAST_RETRIES_SCALE)
