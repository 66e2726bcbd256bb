"""The crawl policies, each on its own: retry, redirect, rate (shared across processes), limits."""

from __future__ import annotations

import threading
import time

import psycopg

from etl.crawl.limits import DEFAULT_MAX_BYTES, ROBOTS_PARSE_BYTES
from etl.crawl.ratelimit import HostRateLimiter, slots_at_once
from etl.crawl.redirect import redirect_problem
from etl.crawl.retry import RetryPolicy, parse_retry_after, retryable_status
from etl.store.migrate import migrate
from etl.store.rawstore import HostSlots


def test_retry_waits_grow_and_a_long_retry_after_is_left_to_the_next_run():
    policy = RetryPolicy(max_retries=3, backoff_base=1.0, max_retry_wait=120.0)
    waits = [policy.delay(attempt, None) for attempt in (1, 2, 3)]
    assert [int(w) for w in waits] == [1, 2, 4]  # plus jitter below one base
    assert policy.delay(4, None) is None  # out of retries for this run
    assert policy.delay(1, 30.0) >= 30.0
    assert policy.delay(1, 3600.0) is None
    assert [retryable_status(s) for s in (429, 500, 503, 404, 200, None)] == [True, True, True, False, False, False]
    assert parse_retry_after("120") == 120.0 and parse_retry_after("soon") is None


def test_redirects_stay_on_the_site_without_loops_within_the_limit():
    site = frozenset({"example.org"})
    chain = ["https://example.org/a"]
    assert redirect_problem(chain, "https://www.example.org/b", "/b", max_redirects=5, site_domains=site) is None
    assert "off the source's site" in redirect_problem(chain, "https://other.net/", "x", max_redirects=5,
                                                       site_domains=site)
    assert "loop" in redirect_problem(chain, chain[0], "x", max_redirects=5, site_domains=site)
    assert "more than 1 redirects" in redirect_problem(chain + ["https://example.org/b"], "https://example.org/c",
                                                       "c", max_redirects=1, site_domains=site)
    assert "non-http(s)" in redirect_problem(chain, None, "ftp://x", max_redirects=5, site_domains=site)


def test_limits_have_sane_defaults():
    assert ROBOTS_PARSE_BYTES == 500 * 1024 and DEFAULT_MAX_BYTES == 5 * 1024 * 1024


def test_the_rate_limit_spaces_requests_within_one_process():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = HostRateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        limiter.wait("a.org")
    limiter.wait("b.org")  # another host is not held up
    assert slept == [0.5, 0.5]
    limiter.slow_down("a.org", 3.0)  # a robots.txt Crawl-delay
    assert limiter.wait("a.org") == 3.0


def test_host_slots_in_the_warehouse_are_shared_by_every_limiter(database_url):
    migrate(database_url)
    waits: list[float] = []
    lock = threading.Lock()

    def one_process():
        with psycopg.connect(database_url, autocommit=True) as conn:
            limiter = HostRateLimiter(10.0, shared=HostSlots(conn), sleep=lambda s: None)
            for _ in range(5):
                wait = limiter.wait("shared.example")
                with lock:
                    waits.append(wait)

    workers = [threading.Thread(target=one_process) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    # Ten reservations 0.1 s apart (nobody really slept): the last one is about 0.9 s away.
    assert len(waits) == 10 and 0.7 < max(waits) < 1.1, sorted(waits)


def test_at_high_rates_shared_slots_are_reserved_a_few_at_a_time_and_stay_exclusive(database_url):
    """100 requests/s: a round trip reserves ten slots, not one, and the rate holds across two
    limiters (each reservation is a block of slots nobody else gets)."""
    migrate(database_url)
    slots: list[float] = []
    reservations = []
    lock = threading.Lock()

    class CountedSlots(HostSlots):
        def reserve(self, host, interval, count=1):
            reservations.append(count)
            return super().reserve(host, interval, count)

    def one_process():
        with psycopg.connect(database_url, autocommit=True) as conn:
            limiter = HostRateLimiter(100.0, shared=CountedSlots(conn), sleep=lambda s: None)
            for _ in range(60):
                wait = limiter.wait("fast.example")
                with lock:
                    slots.append(time.monotonic() + wait)

    workers = [threading.Thread(target=one_process) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert len(slots) == 120 and set(reservations) == {10} and len(reservations) == 12
    # The rate holds: 120 slots span about 1.19 s, and no half second holds more than its 50 plus one
    # block (each process places its block on its own clock, which a busy machine delays).
    ordered = sorted(slots)
    assert ordered[-1] - ordered[0] > 1.1
    assert max(sum(1 for t in ordered if start <= t < start + 0.5) for start in ordered) <= 60
    assert slots_at_once(0.5) == 1 and slots_at_once(0.1) == 1  # 10 requests/s or slower: one slot per request
