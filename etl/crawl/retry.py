"""When to ask again within one fetch: which answers are temporary, how long to wait, Retry-After."""

from __future__ import annotations

import email.utils
import random
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    backoff_base: float = 1.0         # seconds; attempt n waits base * 2**(n-1) plus jitter
    max_retry_wait: float = 120.0     # a Retry-After longer than this is not waited for: retried next run

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None: give up for this run."""
        if attempt > self.max_retries:
            return None
        delay = self.backoff_base * 2 ** (attempt - 1) + random.uniform(0, self.backoff_base)
        if retry_after is not None:
            if retry_after > self.max_retry_wait:
                return None
            delay = max(delay, retry_after)
        return delay


def retryable_status(status: int | None) -> bool:
    return status is not None and (status == 429 or 500 <= status < 600)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait: `Retry-After` is either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
