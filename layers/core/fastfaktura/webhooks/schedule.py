"""When a failed delivery is tried again, and when it is given up.

Retries wait 1 min, 5 min, 30 min, 2 h, 5 h, 10 h, then 12 h each (the most an SQS message can stay
invisible: the delivery function sets the failed message's visibility to the delay instead of parking
it elsewhere), each ±20 % of jitter so that the retries of many events do not arrive together, and
never over 12 h. An event is tried until its first attempt is 3 days old (about 12 attempts), and an
endpoint whose deliveries have all failed for 3 days is disabled. The local stack may compress every
delay and both windows by a `scale` factor (`fast_retries`), keeping the shape.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

BASE_DELAYS_SECONDS = (60, 300, 1800, 7200, 18000, 36000)
MAX_DELAY_SECONDS = 43200  # SQS ChangeMessageVisibility's maximum
JITTER = 0.2
RETRY_WINDOW = timedelta(days=3)
FAST_RETRIES_SCALE = 1 / 3600  # the local stack's `--fast-retries`: an hour in a second, 3 days in 72 s


def base_delay(failures: int) -> int:
    """The delay after the `failures`-th failed attempt of an event, before jitter (seconds)."""
    if failures < 1:
        raise ValueError("a retry follows at least one failure")
    return BASE_DELAYS_SECONDS[failures - 1] if failures <= len(BASE_DELAYS_SECONDS) else MAX_DELAY_SECONDS


def next_delay(failures: int, first_attempt_at: datetime, now: datetime, scale: float = 1.0,
               rng: random.Random | None = None) -> float | None:
    """Seconds until the next attempt after the `failures`-th failure at `now`, or None: give up (the
    first attempt is at least the retry window old)."""
    if now - first_attempt_at >= RETRY_WINDOW * scale:
        return None
    jittered = base_delay(failures) * (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return min(jittered, MAX_DELAY_SECONDS) * scale


def endpoint_to_disable(failing_since: datetime | None, now: datetime, scale: float = 1.0) -> bool:
    """An endpoint none of whose attempts succeeded since `failing_since` (None: the last one did) is
    disabled once that is the retry window ago."""
    return failing_since is not None and now - failing_since >= RETRY_WINDOW * scale
