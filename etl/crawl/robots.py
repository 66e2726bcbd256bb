"""robots.txt, fetched once per host per run and read with protego (RFC 9309 semantics)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from protego import Protego

from etl.crawl.urls import origin

log = logging.getLogger(__name__)

from etl.crawl.limits import ROBOTS_PARSE_BYTES as ROBOTS_MAX_BYTES  # noqa: F401 - RFC 9309: the first 500 KiB


@dataclass(frozen=True)
class RobotsVerdict:
    allowed: bool
    reason: str | None = None
    temporary: bool = False  # robots.txt unreachable: the answer may change once it is back


@dataclass(frozen=True)
class RobotsFile:
    """What one host's robots.txt says; `unreachable` means "assume everything is disallowed"."""

    rules: Protego | None
    unreachable: str | None = None

    def verdict(self, url: str, agent: str) -> RobotsVerdict:
        if self.unreachable:
            return RobotsVerdict(False, f"robots.txt unreachable ({self.unreachable}): site treated as disallowed",
                                 temporary=True)
        if self.rules is None or self.rules.can_fetch(url, agent):
            return RobotsVerdict(True)
        return RobotsVerdict(False, "disallowed by robots.txt")

    def crawl_delay(self, agent: str) -> float | None:
        delay = self.rules.crawl_delay(agent) if self.rules else None
        return float(delay) if delay else None


class RobotsCache:
    """`download(url) -> (status, text) | (None, error)` does the HTTP part, so this stays pure policy."""

    def __init__(self, agent: str, download: Callable[[str], tuple[int | None, str]],
                 on_crawl_delay: Callable[[str, float], None] | None = None):
        self.agent = agent
        self._download = download
        self._on_crawl_delay = on_crawl_delay
        self._files: dict[str, RobotsFile] = {}

    def check(self, url: str) -> RobotsVerdict:
        key = origin(url)
        robots = self._files.get(key)
        if robots is None:
            robots = self._files[key] = self._load(key)
            delay = robots.crawl_delay(self.agent)
            if delay and self._on_crawl_delay:
                self._on_crawl_delay(key, delay)
        return robots.verdict(url, self.agent)

    def _load(self, site: str) -> RobotsFile:
        status, text = self._download(f"{site}/robots.txt")
        if status is None or status >= 500 or status == 429:
            # RFC 9309 2.3.1.4: an unreachable robots.txt means complete disallow until it comes back.
            log.warning("robots.txt of %s unreachable: %s", site, text if status is None else f"HTTP {status}")
            return RobotsFile(None, text if status is None else f"HTTP {status}")
        if 200 <= status < 300:
            return RobotsFile(Protego.parse(text))
        return RobotsFile(None)  # 4xx (and anything else): no robots.txt, everything allowed
