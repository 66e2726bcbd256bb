"""Per-host politeness: at most `requests_per_second` requests to one host, spaced evenly.

With `shared` (an object with `reserve(host, interval_seconds, count) -> seconds to wait for the first
slot`, kept in the warehouse by `etl.store.rawstore.HostSlots`), the spacing holds across every process
crawling the host, not only within this one. At high rates (a local or very fast site) the slots are
reserved a few at a time, at most RESERVE_AHEAD_SECONDS of them: one round trip per group, not per
request. The blocks are exclusive, so the rate holds over any second; within a block's span the
requests of two processes may bunch by as much as a process is late using its slots.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

RESERVE_AHEAD_SECONDS = 0.1  # slots taken at once from the shared reservations (left unused: at most this idle)
MAX_SLOTS_AT_ONCE = 50


def slots_at_once(interval: float) -> int:
    """How many slots to reserve at a time: one, unless they are so close that a round trip each costs more."""
    return max(1, min(MAX_SLOTS_AT_ONCE, int(RESERVE_AHEAD_SECONDS / interval)))


class HostRateLimiter:
    def __init__(self, requests_per_second: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, shared=None):
        if requests_per_second <= 0:
            raise ValueError("requests_per_second must be positive")
        self.interval = 1.0 / requests_per_second
        self._min_interval: dict[str, float] = {}
        self._next_slot: dict[str, float] = {}
        self._last_slot: dict[str, float] = {}
        self._reserved: dict[str, deque[float]] = {}  # shared slots reserved ahead, by host (clock times)
        self._lock = threading.Lock()
        self._clock, self._sleep = clock, sleep
        self._shared = shared

    def slow_down(self, host: str, seconds: float) -> None:
        """A host asked for more room (robots.txt Crawl-delay): never go faster than that."""
        with self._lock:
            self._min_interval[host] = max(self._min_interval.get(host, 0.0), seconds)
            self._reserved.pop(host, None)  # slots reserved at the old pace: not used
            if host in self._last_slot:  # the request that brought the news counts too
                self._next_slot[host] = max(self._next_slot[host], self._last_slot[host] + seconds)

    def wait(self, host: str) -> float:
        """Block until a request to `host` is allowed; returns the seconds waited."""
        if self._shared is not None:
            with self._lock:
                slots = self._reserved.get(host)
                if not slots:
                    interval = max(self.interval, self._min_interval.get(host, 0.0))
                    count = slots_at_once(interval)
                    first = self._clock() + max(0.0, self._shared.reserve(host, interval, count))
                    slots = self._reserved[host] = deque(first + n * interval for n in range(count))
                slot = slots.popleft()
            delay = max(0.0, slot - self._clock())
            if delay > 0:
                self._sleep(delay)
            return delay
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            self._last_slot[host] = slot
            self._next_slot[host] = slot + max(self.interval, self._min_interval.get(host, 0.0))
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay
