"""The Crawler: one per run and source, owning the HTTP client, robots cache and rate limiter."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from urllib.parse import urlsplit

from etl.crawl.discovery import DateWindow, Discovery, DiscoveryStats
from etl.crawl.fetch import FetchPolicy, FetchResult, Fetcher, FetchStats
from etl.crawl.limits import DEFAULT_MAX_BYTES, DEFAULT_REQUEST_DEADLINE, ROBOTS_PARSE_BYTES
from etl.crawl.ratelimit import HostRateLimiter
from etl.crawl.robots import RobotsCache
from etl.crawl.transport import ROBOTS_AGENT, Transport, default_user_agent
from etl.crawl.urls import origin, registered_domain
from etl.sources import Source

log = logging.getLogger(__name__)


class Crawler:
    """Discovers and fetches one source's pages. Never raises for a bad page or site.

    Usage: `with Crawler(source) as crawler: urls = crawler.discover(is_known); crawler.fetch(url)`.
    """

    def __init__(self, source: Source, *, user_agent: str | None = None, timeout: float = 20.0,
                 max_retries: int = 3, backoff_base: float = 1.0, max_retry_wait: float = 120.0,
                 max_bytes: int = DEFAULT_MAX_BYTES, max_redirects: int = 5, max_fetch_seconds: float = DEFAULT_REQUEST_DEADLINE,
                 requests_per_second: float | None = None, sleep: Callable[[float], None] = time.sleep,
                 robots_memo=None, host_slots=None):
        """`robots_memo` (get(site) / put(site, status, text)) keeps robots.txt across crawlers of one
        run, so the stages of a run, in separate processes, read each host's robots.txt once.
        `host_slots` (reserve(host, interval) -> seconds to wait) shares the per-host rate limit with
        every other process crawling the same hosts."""
        self.source = source
        self._robots_memo = robots_memo
        self.user_agent = user_agent or default_user_agent()
        self.policy = FetchPolicy(
            timeout=timeout, max_fetch_seconds=max_fetch_seconds, max_retries=max_retries,
            backoff_base=backoff_base, max_retry_wait=max_retry_wait, max_bytes=max_bytes,
            max_redirects=max_redirects, allow_private_hosts=source.allow_private_hosts,
        )
        self.site_domains = frozenset(registered_domain(host) for host in source.hosts)
        self._transport = Transport(user_agent=self.user_agent, timeout=timeout,
                                    allow_private=source.allow_private_hosts)
        self.limiter = HostRateLimiter(requests_per_second or source.requests_per_second, sleep=sleep,
                                       shared=host_slots)
        self._fetch_stats = FetchStats()
        self._fetcher = Fetcher(self._transport, self.limiter, None, self.site_domains, self.policy,
                                sleep=sleep, stats=self._fetch_stats)
        self.robots = RobotsCache(ROBOTS_AGENT, self._download_robots, self._on_crawl_delay)
        self._fetcher.robots = self.robots
        self.discovery_stats = DiscoveryStats()

    # -- the contract --------------------------------------------------------------------------------

    def discover(self, is_known: Callable[[str], bool] = lambda url: False,
                 window: DateWindow | None = None) -> list[str]:
        """New article URLs (absolute, no fragment, de-duplicated, in discovery order).

        With a `window` (a backfill), feed and sitemap entries dated outside it are left out and
        listing pages are followed past known articles, up to `max_listing_pages`.
        """
        discovery = Discovery(self.source, self._fetch_any, self.site_domains, self.discovery_stats, window)
        urls = discovery.run(is_known)
        log.info("source %s: discovery found %d article URLs, %d new (%d listing pages, %d feeds, %d sitemaps, "
                 "%d errors)", self.source.name, self.discovery_stats.found, len(urls),
                 self.discovery_stats.listing_pages, self.discovery_stats.feeds, self.discovery_stats.sitemaps,
                 self.discovery_stats.errors)
        return urls

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """One article page: HTML only, size-capped, conditional when validators are given."""
        return self._fetcher.fetch(url, etag=etag, last_modified=last_modified)

    def fetch_discovery(self, url: str, max_bytes: int | None = None) -> FetchResult:
        """A listing page, feed or sitemap, fetched as discovery fetches it (for `sources check`)."""
        return self._fetch_any(url, max_bytes)

    @property
    def stats(self) -> dict:
        return {
            **{f"discovery_{k}": v for k, v in self.discovery_stats.counts().items()},
            "discovery_error_samples": [f"{f.what} {f.url}: {f.reason}" for f in self.discovery_stats.failures[:20]],
            **asdict(self._fetch_stats),
        }

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Crawler:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------------

    def _fetch_any(self, url: str, max_bytes: int | None = None) -> FetchResult:
        """Listing pages, feeds and sitemaps: any content type (XML, gzip); feeds and sitemaps give
        their own size limit (`max_feed_bytes`)."""
        return self._fetcher.fetch(url, accept=None, max_bytes=max_bytes)

    def _download_robots(self, url: str) -> tuple[int | None, str]:
        site = origin(url)
        remembered = self._robots_memo.get(site) if self._robots_memo is not None else None
        if remembered is not None:
            return remembered
        status, text = self._fetch_robots(url)
        # Only a definite answer is kept for the run: an unreachable robots.txt (no answer, 5xx, 429)
        # is asked again by the next stage, or by a retry, instead of blocking the host all run long.
        if self._robots_memo is not None and status is not None and status < 500 and status != 429:
            self._robots_memo.put(site, status, text)
        return status, text

    def _fetch_robots(self, url: str) -> tuple[int | None, str]:
        # RFC 9309 2.5: a robots.txt longer than the limit is read up to it (its last whole line),
        # never treated as absent.
        result = self._fetcher.fetch(url, accept=None, check_robots=False, max_bytes=ROBOTS_PARSE_BYTES,
                                     truncate=True)
        if result.outcome == "fetched":
            body = result.body or b""
            if len(body) >= ROBOTS_PARSE_BYTES:
                body = body[:body.rfind(b"\n") + 1]
            return result.status, body.decode("utf-8", "replace")
        if result.outcome == "failed":
            return result.status, result.error or "failed"
        if result.outcome == "refused_url":
            return None, result.error or "refused"
        return 404, ""  # too big, off-site redirect, ...: as if there were none

    def _on_crawl_delay(self, site: str, seconds: float) -> None:
        seconds = min(seconds, 60.0)  # a site asking for more than a minute per page still gets a minute
        log.info("%s asks for a crawl delay of %.1fs", site, seconds)
        self.limiter.slow_down(urlsplit(site).netloc, seconds)
