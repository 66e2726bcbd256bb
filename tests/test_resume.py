"""Every discovered URL reaches an outcome (issue 12, items 1-4): an unfinished batch's URLs are carried
over, temporary failures are retried on later runs with a growing delay and settled visibly, a lost
warehouse connection does not stop the other sources, and recent articles are re-checked for edits.
Real PostgreSQL, real HTTP on 127.0.0.1, real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import psycopg

from conftest import PROJECT_DIR
from etl import pipeline
from etl.store import errors
from etl.store.checks import run_checks
from etl.store.migrate import migrate
from etl.store.rawstore import MAX_FETCH_FAILURES
from test_faults import (
    _FETCH_IN_CHILD, article_html, count, listing_html, scripted_site, site_source, wait_for,  # noqa: F401
)


def paged_site(site, pages: int = 3, per_page: int = 5) -> list[str]:
    """Listing pages /news/, /news/2, ... newest first, linked by rel=next; returns the article paths."""
    articles = []
    for page in range(1, pages + 1):
        paths = [f"/articles/{(page - 1) * per_page + n}.html" for n in range(1, per_page + 1)]
        articles += paths
        links = "".join(f"<li><a href='{p}'>{p}</a></li>" for p in paths)
        next_link = f"<a rel='next' href='/news/{page + 1}'>next</a>" if page < pages else ""
        site.html("/news/" if page == 1 else f"/news/{page}", f"<html><body><ul>{links}</ul>{next_link}</body></html>")
    for n, path in enumerate(articles, 1):
        site.html(path, article_html(n))
    return articles


def loaded_urls(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as conn:
        return {r[0] for r in conn.execute("SELECT url FROM core.articles")}


def fetch_errors(dsn: str) -> dict[str, errors.PageError]:
    with psycopg.connect(dsn) as conn:
        return {e.url: e for e in errors.list_errors(conn, stage="fetch")}


def time_passes(dsn: str) -> None:
    """Every retry due now, as if its delay had passed."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE raw.url_retries SET next_attempt_at = now() - interval '1 second'")


# -- item 1 ---------------------------------------------------------------------------------------------------

def test_urls_an_unfinished_batch_discovered_are_fetched_by_the_next_run(scripted_site, database_url):
    site = scripted_site(delay=0.2)
    articles = paged_site(site)
    source = site_source(site)
    migrate(database_url)
    batch = pipeline.discover(source, database_url)["batch_id"]
    child = subprocess.Popen([sys.executable, "-c", _FETCH_IN_CHILD, site.base, str(batch), database_url],
                             cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: count(database_url, "SELECT count(*) FROM raw.pages") >= 5, what="5 pages stored")
    finally:
        child.send_signal(signal.SIGKILL)  # killed mid-fetch: the batch never finishes
        child.wait(10)
    stored = count(database_url, "SELECT count(*) FROM raw.pages")
    assert 5 <= stored < len(articles)

    summary = pipeline.run_source(source, database_url)  # listing page 1 holds nothing new now
    assert summary["carried_over"] >= len(articles) - stored
    assert loaded_urls(database_url) == {site.base + p for p in articles}
    assert all(site.hits[p] <= 2 for p in articles)
    again = pipeline.run_source(source, database_url)
    assert again["discovered"] == 0 and again.get("fetched", 0) == 0


# -- item 2 ---------------------------------------------------------------------------------------------------

def test_transient_failures_behind_listing_page_one_are_retried_on_later_runs(scripted_site, database_url):
    site = scripted_site()
    articles = paged_site(site)
    site.routes["/articles/7.html"] = (503, "text/html", b"busy")
    site.routes["/articles/12.html"] = (429, "text/html", b"slow down")
    site.headers["/articles/12.html"] = {"Retry-After": "3600"}
    source = site_source(site)
    migrate(database_url)
    pipeline.run_source(source, database_url)
    failing = fetch_errors(database_url)
    assert set(failing) == {site.base + "/articles/7.html", site.base + "/articles/12.html"}
    assert all("retried next run" in e.message for e in failing.values())

    site.html("/articles/7.html", article_html(7))
    site.html("/articles/12.html", article_html(12))
    summary = pipeline.run_source(source, database_url)
    assert summary["discovered"] == 0 and summary["carried_over"] == 2
    assert loaded_urls(database_url) == {site.base + p for p in articles}
    assert fetch_errors(database_url) == {}
    assert count(database_url, "SELECT count(*) FROM raw.url_retries") == 0


def test_retries_wait_longer_each_time_and_settle_visibly_after_the_last(scripted_site, database_url):
    site = scripted_site()
    paged_site(site, pages=2)
    site.routes["/articles/8.html"] = (429, "text/html", b"come back later")
    site.headers["/articles/8.html"] = {"Retry-After": "3600"}  # longer than a run waits: failed at once
    source = site_source(site)
    migrate(database_url)
    url = site.base + "/articles/8.html"

    def next_attempt_in_days() -> float:
        return count(database_url, "SELECT round(extract(epoch FROM next_attempt_at - last_attempt_at) / 86400) "
                                   "FROM raw.url_retries")

    pipeline.run_source(source, database_url)          # failure 1: next run
    assert next_attempt_in_days() == 0
    hits = site.hits["/articles/8.html"]
    pipeline.run_source(source, database_url)          # failure 2: in a day
    assert site.hits["/articles/8.html"] > hits and next_attempt_in_days() == 1
    hits = site.hits["/articles/8.html"]
    pipeline.run_source(source, database_url)          # not due yet: not asked
    assert site.hits["/articles/8.html"] == hits
    delays = [1]
    for _ in range(MAX_FETCH_FAILURES - 2):
        time_passes(database_url)
        pipeline.run_source(source, database_url)
        delays.append(next_attempt_in_days())
    assert delays[:3] == [1, 2, 4]
    with psycopg.connect(database_url) as conn:
        gave_up = conn.execute("SELECT failures, gave_up_at IS NOT NULL FROM raw.url_retries").fetchone()
        health = conn.execute("SELECT pages_retrying, pages_given_up FROM reporting.source_health "
                              "WHERE source = 'faulty'").fetchone()
        results = {r.check.name: r for r in run_checks(conn)}
    assert gave_up == (MAX_FETCH_FAILURES, True)
    assert health == (0, 1)
    assert not results["pages_still_failing"].passed
    error = fetch_errors(database_url)[url]
    assert error.attempts == MAX_FETCH_FAILURES and "gave up" in error.message
    hits = site.hits["/articles/8.html"]
    time_passes(database_url)
    pipeline.run_source(source, database_url)          # settled: not asked again ...
    assert site.hits["/articles/8.html"] == hits
    site.html("/articles/8.html", article_html(8))
    pipeline.run_source(source, database_url, refresh=True)  # ... unless refreshing
    assert url in loaded_urls(database_url)
    with psycopg.connect(database_url) as conn:
        assert run_checks(conn) and all(r.passed for r in run_checks(conn) if r.check.name == "pages_still_failing")


# -- item 3 ---------------------------------------------------------------------------------------------------

def test_a_temporary_answer_does_not_settle_a_url_but_a_definite_one_does(scripted_site, database_url):
    site = scripted_site()
    site.html("/news/", listing_html(*(f"/articles/{n}.html" for n in (1, 2, 3, 4))))
    maintenance = "http://maintenance.example/down"

    def redirect(path: str, status: int, location: str):
        site.routes[path] = (status, "text/html", b"")
        site.headers[path] = {"Location": location}

    redirect("/articles/1.html", 302, maintenance)                          # temporary, off the site
    site.routes["/articles/2.html"] = (200, "text/plain", b"Access denied")  # a firewall's page
    redirect("/articles/3.html", 301, maintenance)                          # permanent: settled
    site.routes["/articles/4.html"] = (200, "application/pdf", b"%PDF-1.4 ...")  # a real document: settled
    source = site_source(site)
    migrate(database_url)
    pipeline.run_source(source, database_url)
    failing = fetch_errors(database_url)
    assert {u.rsplit("/", 1)[1] for u in failing} == {"1.html", "2.html"}
    assert failing[site.base + "/articles/1.html"].error_class == "skipped_redirect"
    assert failing[site.base + "/articles/2.html"].error_class == "skipped_type"

    for n in (1, 2, 3, 4):
        site.html(f"/articles/{n}.html", article_html(n))
        site.headers.pop(f"/articles/{n}.html", None)
    pipeline.run_source(source, database_url)
    assert loaded_urls(database_url) == {site.base + "/articles/1.html", site.base + "/articles/2.html"}
    assert site.hits["/articles/3.html"] == 1 and site.hits["/articles/4.html"] == 1
    assert fetch_errors(database_url) == {}


# -- item 4 ---------------------------------------------------------------------------------------------------

def test_a_connection_terminated_during_fetch_fails_that_source_only(scripted_site, database_url, tmp_path):
    slow, other = scripted_site(delay=0.5), scripted_site()
    for site in (slow, other):
        site.html("/news/", listing_html(*(f"/articles/{n}.html" for n in range(1, 6))))
        for n in range(1, 6):
            site.html(f"/articles/{n}.html", article_html(n))
    config = tmp_path / "sources.yaml"
    config.write_text("sources:\n" + "".join(
        f"- name: {name}\n  start_urls: ['{site.base}/news/']\n  article_url_pattern: '/articles/\\d+\\.html$'\n"
        f"  allow_private_hosts: true\n  requests_per_second: 1000\n" for name, site in (("slow", slow), ("other", other))))
    migrate(database_url)

    def terminate_once_fetching():
        wait_for(lambda: slow.hits["/articles/1.html"] > 0, what="the fetch to start")
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = current_database() AND pid <> pg_backend_pid()")

    killer = threading.Thread(target=terminate_once_fetching, daemon=True)
    killer.start()
    run = subprocess.run([sys.executable, "-m", "etl", "run", "--config", str(config)], cwd=PROJECT_DIR,
                         capture_output=True, text=True, timeout=300, env=dict(os.environ, ETL_DATABASE_URL=database_url))
    killer.join(10)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert "source slow: lost the warehouse connection" in run.stderr and "next run resumes" in run.stderr
    assert {other.base + f"/articles/{n}.html" for n in range(1, 6)} <= loaded_urls(database_url)
    # The next run completes the interrupted source.
    again = subprocess.run([sys.executable, "-m", "etl", "run", "--config", str(config), "--source", "slow"],
                           cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, ETL_DATABASE_URL=database_url))
    assert again.returncode == 0, again.stderr[-2000:]
    assert {slow.base + f"/articles/{n}.html" for n in range(1, 6)} <= loaded_urls(database_url)


# -- edited pages ------------------------------------------------------------------------------------------------

def test_recent_articles_are_checked_for_edits_on_the_source_cadence(scripted_site, database_url):
    site = scripted_site()
    site.html("/news/", listing_html("/articles/1.html", "/articles/2.html"))
    site.html("/articles/1.html", article_html(1))
    site.html("/articles/2.html", article_html(2))
    source = site_source(site, revisit_every_days=7, revisit_recent_days=30)
    migrate(database_url)
    pipeline.run_source(source, database_url)
    pipeline.run_source(source, database_url)  # checked today: not asked again
    assert site.hits["/articles/1.html"] == 1
    with psycopg.connect(database_url, autocommit=True) as conn:
        # Eight days pass for article 1; article 2 was first seen 40 days ago (no longer "recent").
        conn.execute("UPDATE raw.pages SET last_fetched_at = last_fetched_at - interval '8 days', "
                     "first_fetched_at = first_fetched_at - interval '8 days' WHERE url LIKE '%%/1.html'")
        conn.execute("UPDATE raw.pages SET last_fetched_at = last_fetched_at - interval '40 days', "
                     "first_fetched_at = first_fetched_at - interval '40 days' WHERE url LIKE '%%/2.html'")
    site.html("/articles/1.html", article_html(1).replace("Report number 1", "Report number 1, corrected"))
    pipeline.run_source(source, database_url)
    assert site.hits["/articles/1.html"] == 2 and site.hits["/articles/2.html"] == 1
    with psycopg.connect(database_url) as conn:
        versions = conn.execute("SELECT count(*) FROM raw.pages WHERE url LIKE '%%/1.html'").fetchone()[0]
    assert versions == 2


# -- item 9 ---------------------------------------------------------------------------------------------------

def two_runs_at_once(config, database_url, *args) -> list[subprocess.CompletedProcess]:
    env = dict(os.environ, ETL_DATABASE_URL=database_url)
    procs = [subprocess.Popen([sys.executable, "-m", "etl", "run", "--config", str(config), *args], cwd=PROJECT_DIR,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    return results


def test_two_runs_of_one_source_fetch_each_page_once(scripted_site, database_url, tmp_path):
    site = scripted_site(delay=0.3)
    pages = [f"/articles/{n}.html" for n in range(1, 11)]
    site.html("/news/", listing_html(*pages))
    for n, path in enumerate(pages, 1):
        site.html(path, article_html(n))
    config = tmp_path / "sources.yaml"
    config.write_text(f"sources:\n- name: twice\n  start_urls: ['{site.base}/news/']\n"
                      f"  article_url_pattern: '/articles/\\d+\\.html$'\n  allow_private_hosts: true\n"
                      f"  requests_per_second: 1000\n")
    migrate(database_url)
    runs = two_runs_at_once(config, database_url)
    assert all(r.returncode == 0 for r in runs), [r.stderr[-1000:] for r in runs]
    assert {p: site.hits[p] for p in pages} == {p: 1 for p in pages}
    assert loaded_urls(database_url) == {site.base + p for p in pages}
    assert count(database_url, "SELECT count(*) FROM core.articles") == len(pages)


def test_a_backfill_beside_the_scheduled_run_fetches_each_page_once(scripted_site, database_url):
    """Two batches of one source holding the same URLs (a backfill window's and a scheduled run's),
    fetched at once by two processes: the server sees every article once, and both runs end up with
    every page (the second takes over what the first stored)."""
    import datetime as dt

    from etl.crawl import DateWindow

    site = scripted_site(delay=0.2)
    pages = [f"/articles/{n}.html" for n in range(1, 13)]
    site.html("/news/", listing_html(*pages[6:]))  # the listing shows the newest six
    entries = "".join(f"<url><loc>{site.base}{p}</loc><lastmod>2021-01-{n:02d}</lastmod></url>"
                      for n, p in enumerate(pages, 1))
    site.routes["/sitemap.xml"] = (200, "application/xml", (
        "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"{entries}</urlset>").encode())
    for n, path in enumerate(pages, 1):
        site.html(path, article_html(n))
    source = site_source(site, sitemaps=(site.base + "/sitemap.xml",))
    migrate(database_url)
    scheduled = pipeline.discover(source, database_url)
    backfill = pipeline.discover(source, database_url, window=DateWindow(dt.date(2021, 1, 1), dt.date(2021, 1, 9)))
    assert scheduled["discovered"] == 12 and backfill["discovered"] == 12  # the window's 8, the listing's undated 6

    child = subprocess.Popen([sys.executable, "-c", _FETCH_IN_CHILD, site.base, str(backfill["batch_id"]), database_url],
                             env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: any(site.hits[p] for p in pages), timeout=60)
        fetched = pipeline.fetch(scheduled["batch_id"], source, database_url)  # while the backfill fetches
        _, stderr = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 0, stderr[-2000:]
    assert {p: site.hits[p] for p in pages} == {p: 1 for p in pages}
    # It met pages the backfill was fetching, waited for them and took them over: nothing failed.
    assert fetched["taken_over"] > 0 and fetched["failed"] == 0, fetched
    for batch in (scheduled["batch_id"], backfill["batch_id"]):
        pipeline.extract(batch, source, database_url)
        pipeline.load(batch, database_url)
    assert loaded_urls(database_url) == {site.base + p for p in pages}
    assert count(database_url, "SELECT count(*) FROM core.articles") == len(pages)


def test_the_per_host_rate_holds_across_processes(scripted_site, database_url, tmp_path):
    site = scripted_site()
    pages = [f"/articles/{n}.html" for n in range(1, 7)]
    site.html("/news/", listing_html(*pages))
    for n, path in enumerate(pages, 1):
        site.html(path, article_html(n))
    config = tmp_path / "sources.yaml"
    # Two sources on one host, run by two processes at once, each allowed 4 requests a second.
    config.write_text("sources:\n" + "".join(
        f"- name: {name}\n  start_urls: ['{site.base}/news/']\n  article_url_pattern: '/articles/\\d+\\.html$'\n"
        f"  allow_private_hosts: true\n  requests_per_second: 4\n" for name in ("one", "two")))
    migrate(database_url)
    env = dict(os.environ, ETL_DATABASE_URL=database_url)
    procs = [subprocess.Popen([sys.executable, "-m", "etl", "run", "--config", str(config), "--source", name],
                              cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for name in ("one", "two")]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr[-2000:]
    times = sorted(site.times)
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert len(times) >= 14  # robots.txt, the listing and six articles, per source
    # 4 a second is one request per 0.25 s to the host, whoever sends it (a little network jitter allowed).
    assert min(gaps) > 0.2, sorted(gaps)[:5]
