"""Fault injection (issue 12): a local site with transient 5xx/429 answers behind listing page 1, runs
killed with SIGKILL at seeded random moments of fetch, extract and load; rerun until nothing changes,
the warehouse equals a clean run's, every article once. Real processes, real PostgreSQL, real HTTP."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import psycopg

from conftest import PROJECT_DIR
from etl import pipeline
from etl.store import db
from etl.store.migrate import migrate
from etl.sources import load_sources
from test_faults import ScriptedSite, article_html

TRIALS = 10
ARTICLES = 10  # 5 per listing page


def build_site(delay: float = 0.05) -> tuple[ScriptedSite, list[str]]:
    site = ScriptedSite(delay)
    paths = []
    for page in (1, 2):
        page_paths = [f"/articles/{(page - 1) * 5 + n}.html" for n in range(1, 6)]
        paths += page_paths
        links = "".join(f"<li><a href='{p}'>{p}</a></li>" for p in page_paths)
        more = "<a rel='next' href='/news/2'>older</a>" if page == 1 else ""
        site.html("/news/" if page == 1 else "/news/2", f"<html><body><ul>{links}</ul>{more}</body></html>")
    for n, path in enumerate(paths, 1):
        site.html(path, article_html(n))
    return site, paths


def add_transient_faults(site: ScriptedSite) -> None:
    """Behind listing page 1: a 503 (retried within the run), 429s asking for an hour (failed for the
    run: retried by later runs, one of them twice, so its second retry waits a day)."""
    site.faults["/articles/7.html"] = [(503, {})]
    site.faults["/articles/9.html"] = [(429, {"Retry-After": "3600"})]
    site.faults["/articles/10.html"] = [(429, {"Retry-After": "3600"}), (429, {"Retry-After": "3600"})]


def write_config(tmp_path, site: ScriptedSite):
    path = tmp_path / f"sources-{site.server.server_address[1]}.yaml"
    path.write_text(f"sources:\n- name: injected\n  start_urls: ['{site.base}/news/']\n"
                    f"  article_url_pattern: '/articles/\\d+\\.html$'\n  allow_private_hosts: true\n"
                    f"  requests_per_second: 1000\n")
    return path


def snapshot(dsn: str, base: str) -> dict:
    """The warehouse's content, without ids or timestamps, URLs relative to the site."""
    with psycopg.connect(dsn) as conn:
        articles = conn.execute(
            "SELECT replace(url, %s, ''), title, language, published_at, body_paragraphs "
            "FROM core.articles ORDER BY url", (base,)).fetchall()
        events = conn.execute(
            "SELECT replace(a.url, %s, ''), e.position, e.name, e.start_date, e.end_date, e.city, e.country "
            "FROM core.events e JOIN core.articles a USING (article_id) ORDER BY 1, 2", (base,)).fetchall()
        versions = conn.execute("SELECT count(*), count(DISTINCT url) FROM core.articles").fetchone()
    return {"articles": articles, "events": events, "once": versions[0] == versions[1]}


def run_cli(config, dsn: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", "run", "--config", str(config)], cwd=PROJECT_DIR,
                            env=dict(os.environ, ETL_DATABASE_URL=dsn), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def rerun_until_nothing_changes(config, dsn: str, base: str, limit: int = 8) -> dict:
    source = load_sources(config)[0]
    previous = None
    for _ in range(limit):
        with psycopg.connect(dsn, autocommit=True) as conn:  # each retry's delay has passed
            conn.execute("UPDATE raw.url_retries SET next_attempt_at = now() - interval '1 second'")
        try:
            pipeline.run_source(source, dsn)
        except pipeline.SiteUnreachable:
            pass
        current = snapshot(dsn, base)
        with psycopg.connect(dsn) as conn:
            pending = conn.execute("SELECT count(*) FROM raw.url_retries WHERE gave_up_at IS NULL").fetchone()[0]
        if current == previous and pending == 0:
            return current
        previous = current
    raise AssertionError("the warehouse kept changing after the last rerun")


def test_runs_killed_at_random_moments_end_equal_to_a_clean_run(pg_server_url, tmp_path):
    clean_site, paths = build_site()
    try:
        with db.scratch_database(pg_server_url, "etl_clean") as clean_dsn:
            migrate(clean_dsn)
            started = time.monotonic()
            proc = run_cli(write_config(tmp_path, clean_site), clean_dsn)
            assert proc.wait(300) == 0
            clean_seconds = time.monotonic() - started
            clean = snapshot(clean_dsn, clean_site.base)
    finally:
        clean_site.close()
    assert len(clean["articles"]) == ARTICLES and clean["once"]

    rng = random.Random(12)
    killed_in = []
    for trial in range(TRIALS):
        site, _ = build_site()
        add_transient_faults(site)
        config = write_config(tmp_path, site)
        try:
            with db.scratch_database(pg_server_url, "etl_killed") as dsn:
                migrate(dsn)
                # A moment anywhere in a run, from its start-up to its load (a seeded draw per trial).
                moment = rng.uniform(0.2, 1.1) * clean_seconds
                proc = run_cli(config, dsn)
                try:
                    proc.wait(moment)
                    killed_in.append(None)  # finished before the moment came
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait(30)
                    killed_in.append(stage_reached(dsn))
                final = rerun_until_nothing_changes(config, dsn, site.base)
                assert final == clean, f"trial {trial} (killed at {moment:.2f}s, in {killed_in[-1]})"
                assert all(site.hits[p] >= 1 for p in paths)
        finally:
            site.close()
    assert sum(stage is not None for stage in killed_in) >= TRIALS // 2, killed_in


def stage_reached(dsn: str) -> str:
    """How far the killed run had come: which stage it died in (for the failure message and the tally)."""
    with psycopg.connect(dsn) as conn:
        fetched, extracted, loaded = conn.execute(
            "SELECT (SELECT count(*) FROM raw.pages), (SELECT count(*) FROM raw.extractions), "
            "(SELECT count(*) FROM core.articles)").fetchone()
    if loaded:
        return "load"
    if extracted:
        return "extract"
    return "fetch" if fetched else "discover or start-up"
