"""Fetching one URL politely and safely; every problem becomes a FetchResult, never an exception.

This module ties the policies together over the transport: `retry` (which answers are temporary and
how long to wait), `redirect` (which redirects to follow), `robots`, `ratelimit` and `limits`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

from etl.crawl.limits import DEFAULT_MAX_BYTES, DEFAULT_REQUEST_DEADLINE, DEFAULT_TIMEOUT
from etl.crawl.ratelimit import HostRateLimiter
from etl.crawl.redirect import REDIRECT_STATUSES, redirect_problem
from etl.crawl.retry import RetryPolicy, parse_retry_after, retryable_status
from etl.crawl.robots import RobotsCache
from etl.crawl.transport import Response, Transport, TransportFailure, check_host, describe_error  # noqa: F401
from etl.crawl.urls import absolute_url, normalise_url

log = logging.getLogger(__name__)

OUTCOMES = ("fetched", "not_modified", "skipped_robots", "skipped_type", "skipped_size", "skipped_redirect",
            "refused_url", "failed")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:\-]+)""", re.I)
_MAGIC_TYPES = ((b"%PDF-", "application/pdf"), (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                (b"GIF8", "image/gif"), (b"PK\x03\x04", "application/zip"))


@dataclass
class FetchResult:
    url: str                    # the URL asked for
    final_url: str | None       # after (allowed) redirects
    outcome: str                # one of OUTCOMES
    status: int | None          # last HTTP status
    content_type: str | None
    charset: str | None         # from the Content-Type header if any (detection happens in extraction)
    etag: str | None
    last_modified: str | None
    body: bytes | None          # decoded from Content-Encoding, only when outcome == 'fetched'
    error: str | None           # reason, for every non-fetched outcome
    attempts: int
    fetched_at: datetime        # timezone-aware UTC
    # A skip that may not last (a temporary redirect off the site, a text/plain firewall page): the
    # URL is asked again on later runs instead of being settled.
    temporary: bool = False
    retry_note: str | None = None  # set by the raw store: when the URL is asked again, or that it is settled


@dataclass
class FetchPolicy:
    timeout: float = DEFAULT_TIMEOUT             # per socket operation (connect, each read), seconds
    max_fetch_seconds: float = DEFAULT_REQUEST_DEADLINE  # wall clock for one request: connect, headers, body
    max_retries: int = 3
    backoff_base: float = 1.0         # seconds; attempt n waits base * 2**(n-1) plus jitter
    max_retry_wait: float = 120.0     # a Retry-After longer than this is not waited for: retried next run
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    allow_private_hosts: bool = False

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(self.max_retries, self.backoff_base, self.max_retry_wait)


@dataclass
class FetchStats:
    requests: int = 0
    retries: int = 0
    bytes: int = 0


@dataclass
class _Response:
    """What one URL (no redirect followed) gave after retries."""

    outcome: str | None           # None: a redirect to `location`
    status: int | None = None
    headers: dict | None = None
    body: bytes | None = None
    error: str | None = None
    location: str | None = None
    content_type: str | None = None
    attempts: int = 0
    retry_after: float | None = None
    temporary: bool = False


@dataclass
class Fetcher:
    transport: Transport
    limiter: HostRateLimiter
    robots: RobotsCache | None
    site_domains: frozenset[str]      # registered domains redirects may stay within
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    sleep: Callable[[float], None] = time.sleep
    stats: FetchStats = field(default_factory=FetchStats)

    def __post_init__(self):
        self._refused_hosts: dict[tuple[str, int], str | None] = {}

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: frozenset[str] | None = HTML_TYPES, check_robots: bool = True,
              max_bytes: int | None = None, truncate: bool = False) -> FetchResult:
        """GET `url` following same-site redirects. `accept=None` takes any content type; `truncate`
        keeps the first `max_bytes` of a longer body instead of skipping it (robots.txt)."""
        try:
            return self._fetch(url, etag, last_modified, accept, check_robots, max_bytes or self.policy.max_bytes,
                               truncate)
        except Exception as exc:  # a crawler never raises for a bad page: record it
            log.exception("unexpected error fetching %s", url)
            return _result(url, None, "failed", error=f"unexpected {type(exc).__name__}: {exc}")

    def _fetch(self, url, etag, last_modified, accept, check_robots, max_bytes, truncate) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = normalise_url(url)
        if current is None:
            return _result(url, None, "refused_url", error="not an absolute http(s) URL")
        chain = [current]
        attempts = 0
        while True:
            refusal = self._address_refusal(current)
            if refusal:
                return _result(url, current, "refused_url", error=refusal, attempts=attempts)
            if check_robots and self.robots is not None:
                verdict = self.robots.check(current)
                if not verdict.allowed:
                    return _result(url, current, "skipped_robots", error=verdict.reason, attempts=attempts,
                                   temporary=verdict.temporary)
            response = self._get(current, headers, accept, max_bytes, truncate)
            attempts += response.attempts
            if response.outcome is not None:
                return self._finish(url, current, response, attempts)
            target = absolute_url(current, response.location or "")
            problem = redirect_problem(chain, target, response.location, max_redirects=self.policy.max_redirects,
                                       site_domains=self.site_domains)
            if problem:
                # A temporary redirect elsewhere (maintenance, a login wall) says nothing lasting.
                temporary = response.status not in (301, 308)
                return _result(url, current, "skipped_redirect", status=response.status, error=problem,
                               attempts=attempts, temporary=temporary)
            chain.append(target)
            current = target

    def _address_refusal(self, url: str) -> str | None:
        if self.policy.allow_private_hosts:
            return None
        parts = urlsplit(url)
        key = (parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        if key not in self._refused_hosts:
            reason = check_host(key[0], key[1], False)
            self._refused_hosts[key] = f"{reason} (allow_private_hosts is off)" if reason else None
        return self._refused_hosts[key]

    def _finish(self, url: str, final_url: str, response: _Response, attempts: int) -> FetchResult:
        headers = response.headers or {}
        content_type, charset = parse_content_type(headers.get("content-type"))
        return _result(
            url, final_url, response.outcome, status=response.status,
            content_type=response.content_type or content_type, charset=charset,
            etag=headers.get("etag"), last_modified=headers.get("last-modified"),
            body=response.body if response.outcome == "fetched" else None,
            error=response.error, attempts=attempts, temporary=response.temporary,
        )

    # -- one URL, with retries ------------------------------------------------------------------------

    def _get(self, url: str, headers: dict, accept, max_bytes: int, truncate: bool) -> _Response:
        host = urlsplit(url).netloc
        retry = self.policy.retry
        attempt = 0
        while True:
            attempt += 1
            self.limiter.wait(host)
            self.stats.requests += 1
            try:
                response = self._attempt(url, headers, accept, max_bytes, truncate)
            except TransportFailure as exc:
                if exc.refused:
                    return _Response("refused_url", error=str(exc), attempts=attempt)
                response = _Response("failed", error=str(exc))
                if not exc.retryable:
                    response.attempts = attempt
                    return response
            response.attempts = attempt
            if not (response.outcome == "failed" and (response.status is None or retryable_status(response.status))):
                return response
            delay = retry.delay(attempt, response.retry_after)
            if delay is None:
                if response.retry_after is not None and response.retry_after > retry.max_retry_wait:
                    response.error = (f"{response.error}: Retry-After {response.retry_after:.0f}s is more than "
                                      f"the {retry.max_retry_wait:.0f}s we wait; retried next run")
                else:
                    response.error = f"{response.error} (gave up after {attempt} attempts)"
                return response
            log.info("%s: %s, retry %d/%d in %.1fs", url, response.error, attempt, retry.max_retries, delay)
            self.stats.retries += 1
            self.sleep(delay)

    def _attempt(self, url: str, headers: dict, accept, max_bytes: int, truncate: bool) -> _Response:
        with self.transport.open(url, headers, self.policy.max_fetch_seconds) as resp:
            status = resp.status
            content_type, _ = parse_content_type(resp.headers.get("content-type"))
            base = dict(status=status, headers=resp.headers)
            if retryable_status(status):
                return _Response("failed", error=f"HTTP {status}",
                                 retry_after=parse_retry_after(resp.headers.get("retry-after")), **base)
            if status in REDIRECT_STATUSES and resp.headers.get("location"):
                return _Response(None, location=resp.headers["location"], **base)
            if status == 304:
                return _Response("not_modified", error="not modified since the stored version (HTTP 304)", **base)
            if not 200 <= status < 300:
                return _Response("failed", error=f"HTTP {status}", **base)
            if accept is not None and content_type and content_type not in accept:
                # text/plain and the like are what firewalls and error pages send: not a lasting answer.
                return _Response("skipped_type", error=f"content type {content_type} is not a web page",
                                 temporary=content_type.startswith("text/"), **base)
            declared = resp.headers.get("content-length", "")
            if not truncate and declared.isdigit() and int(declared) > max_bytes:
                return _Response("skipped_size", error=f"declared size {int(declared)} bytes is over the "
                                 f"{max_bytes}-byte limit", **base)
            body = resp.read(max_bytes, truncate=truncate)
            if body is None:
                return _Response("skipped_size", error=f"body over the {max_bytes}-byte limit (cut off)", **base)
            self.stats.bytes += len(body)
            sniffed = sniff_binary_type(body)
            if accept is not None and not content_type and sniffed:
                return _Response("skipped_type", content_type=sniffed,
                                 error=f"content type {sniffed} (sniffed) is not a web page", **base)
            return _Response("fetched", body=body, **base)


def _retryable(status: int | None) -> bool:
    return retryable_status(status)


def _result(url, final_url, outcome, *, status=None, content_type=None, charset=None, etag=None,
            last_modified=None, body=None, error=None, attempts=0, temporary=False) -> FetchResult:
    return FetchResult(url=url, final_url=final_url, outcome=outcome, status=status, content_type=content_type,
                       charset=charset, etag=etag, last_modified=last_modified, body=body, error=error,
                       attempts=attempts, fetched_at=datetime.now(timezone.utc), temporary=temporary)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    media_type = value.split(";", 1)[0].strip().lower() or None
    match = _CHARSET.search(value)
    return media_type, match.group(1).lower() if match else None


def sniff_binary_type(body: bytes) -> str | None:
    for magic, media_type in _MAGIC_TYPES:
        if body.startswith(magic):
            return media_type
    return None
