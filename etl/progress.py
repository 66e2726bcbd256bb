"""Visible progress for long fetches: a bar in a terminal, periodic log lines elsewhere (Airflow).

    progress = Progress(total=len(urls), label="fetch bisr", discovered=len(urls))
    for url in urls:
        progress.advance(crawler.fetch(url).outcome)
    summary = progress.finish()   # {"discovered", "fetched", "unchanged", "skipped", ..., "failed"}
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from typing import TextIO

log = logging.getLogger("etl.progress")

# outcome -> summary key
_SKIPPED = {"skipped_robots": "skipped_robots", "skipped_size": "skipped_size", "skipped_type": "skipped_type",
            "skipped_redirect": "skipped_redirect", "refused_url": "refused_url"}
_BAR_WIDTH = 28


class Progress:
    def __init__(self, total: int, *, label: str = "fetch", discovered: int | None = None,
                 stream: TextIO | None = None, log_every: float = 15.0, tty: bool | None = None,
                 clock=time.monotonic):
        self.total = total
        self.label = label
        self.discovered = total if discovered is None else discovered
        self.stream = stream if stream is not None else sys.stderr
        self.tty = _isatty(self.stream) if tty is None else tty
        self.log_every = log_every
        self.outcomes: Counter[str] = Counter()
        self._clock = clock
        self._started = clock()
        self._last_log = self._started
        self._finished = False

    @property
    def done(self) -> int:
        return sum(self.outcomes.values())

    @property
    def errors(self) -> int:
        return self.outcomes["failed"]

    def advance(self, outcome: str) -> None:
        """Count one page by its FetchResult outcome."""
        self.outcomes[outcome] += 1
        now = self._clock()
        if self.tty:
            self._draw(now)
        elif now - self._last_log >= self.log_every or self.done == self.total:
            self._last_log = now
            log.info("%s", self.line(now))

    def line(self, now: float | None = None) -> str:
        elapsed = max((now if now is not None else self._clock()) - self._started, 1e-9)
        rate = self.done / elapsed
        percent = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        left = f", ~{(self.total - self.done) / rate:.0f}s left" if rate and self.done < self.total else ""
        return (f"{self.label}: {self.done}/{self.total} pages{percent}, {rate:.1f} pages/s, "
                f"{self.errors} errors so far{left}")

    def _draw(self, now: float) -> None:
        filled = int(_BAR_WIDTH * self.done / self.total) if self.total else _BAR_WIDTH
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {self.line(now)}\x1b[K")
        self.stream.flush()

    def summary(self) -> dict:
        skipped = {key: self.outcomes[outcome] for outcome, key in _SKIPPED.items()}
        known = {"fetched", "not_modified", "carried_over", "failed", *_SKIPPED}
        return {
            "discovered": self.discovered,
            "fetched": self.outcomes["fetched"],
            "unchanged": self.outcomes["not_modified"],
            # Stored meanwhile by another run of the source (its lock was waited for): not fetched twice.
            "taken_over": self.outcomes["carried_over"],
            "skipped": sum(skipped.values()),
            **skipped,
            "failed": self.outcomes["failed"] + sum(n for o, n in self.outcomes.items() if o not in known),
            "seconds": round(self._clock() - self._started, 2),
        }

    def finish(self) -> dict:
        """End the bar or log, log the summary once, and return it."""
        summary = self.summary()
        if not self._finished:
            self._finished = True
            if self.tty:
                self.stream.write("\n")
                self.stream.flush()
            log.info("%s done: %s", self.label, ", ".join(f"{k} {v}" for k, v in summary.items()))
        return summary

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.finish()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
