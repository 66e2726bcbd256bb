"""Faults: failing pages, a killed database connection, concurrent loads, a killed task, the warehouse
down. Real PostgreSQL, real HTTP on 127.0.0.1, real processes: nothing is mocked."""

from __future__ import annotations

import copy
import http.server
import json
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone

import psycopg
import pytest

from conftest import PROJECT_DIR, REFERENCE, SAMPLE_SOURCES
from etl import pipeline
from etl.store import errors, rawstore
from etl.crawl.fetch import FetchResult
from etl.extract import EXTRACTOR_VERSION, extract_record
from etl.store.migrate import migrate
from etl.sources import Source

ARTICLE_PATTERN = r"/articles/\d+\.html$"


# -- a scripted local site ------------------------------------------------------------------------------

class ScriptedSite:
    """Serves `routes[path] = (status, content_type, body)` on 127.0.0.1, counting hits per path;
    `delay` seconds before each article reply (to catch a task in the middle of a fetch)."""

    def __init__(self, delay: float = 0.0):
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.hits: Counter[str] = Counter()
        self.times: list[float] = []  # when each request arrived
        self.headers: dict[str, dict[str, str]] = {}  # extra response headers per path (Location, Retry-After)
        # Transient faults: the next requests of a path get these (status, headers) first, one each.
        self.faults: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.delay = delay
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.hits[self.path] += 1
                site.times.append(time.monotonic())
                if site.delay and self.path.startswith("/articles/"):
                    time.sleep(site.delay)
                status, content_type, body = site.routes.get(self.path, (404, "text/plain", b"not found"))
                extra = site.headers.get(self.path, {})
                if site.faults.get(self.path):
                    status, extra = site.faults[self.path].pop(0)
                    content_type, body = "text/html", b"temporarily unavailable"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in extra.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def html(self, path: str, text: str, status: int = 200) -> str:
        self.routes[path] = (status, "text/html; charset=utf-8", text.encode())
        return self.base + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted_site():
    sites = []

    def start(delay: float = 0.0) -> ScriptedSite:
        sites.append(ScriptedSite(delay))
        return sites[-1]

    yield start
    for s in sites:
        s.close()


def article_html(n: int) -> str:
    return (f"<html lang='en'><head><title>Report {n}</title></head><body><article><h1>Report number {n}</h1>"
            f"<p>The institute held round table number {n} in Minsk on regional security and trade.</p>"
            f"<p>Experts from Belarus and Kazakhstan discussed cooperation for the coming years.</p>"
            f"</article></body></html>")


def listing_html(*paths: str) -> str:
    return "<html><body><ul>" + "".join(f"<li><a href='{p}'>{p}</a></li>" for p in paths) + "</ul></body></html>"


def site_source(site: ScriptedSite, **overrides) -> Source:
    values = dict(name="faulty", start_urls=(site.base + "/news/",), article_url_pattern=ARTICLE_PATTERN,
                  allow_private_hosts=True, requests_per_second=1000.0)
    values.update(overrides)
    return Source(**values)


# -- batches made directly in the raw store ---------------------------------------------------------------

def reference_record() -> dict:
    return extract_record((REFERENCE / "page.en.html").read_bytes(), "https://bisr.gov.by/en/reference")


def records_sharing_speakers(prefix: str, count: int, speakers: int = 8) -> list[dict]:
    """`count` records of distinct URLs whose events name the same `speakers` people."""
    base = reference_record()
    records = []
    for n in range(count):
        record = copy.deepcopy(base)
        record.update(url=f"https://example.org/{prefix}/{n}", source="faulty", title=f"{prefix} report {n}",
                      translation_of_url=None)
        for event in record["events"]:
            event["speakers"] = [{"name": f"Speaker Number{chr(65 + i)} Person", "role": None,
                                  "organization": None, "session": None} for i in range(speakers)]
        records.append(record)
    return records


def make_batch(dsn: str, records: list[dict], source: str = "faulty") -> int:
    """A batch whose pages are stored and extracted into `records`, ready for the load stage."""
    now = datetime.now(timezone.utc)
    with psycopg.connect(dsn, autocommit=True) as conn:
        batch_id = rawstore.create_batch(conn, source)
        for record in records:
            body = f"<html><body><p>{record['url']}</p></body></html>".encode()
            result = FetchResult(url=record["url"], final_url=record["url"], outcome="fetched", status=200,
                                 content_type="text/html", charset="utf-8", etag=None, last_modified=None,
                                 body=body, error=None, attempts=1, fetched_at=now)
            page_id = rawstore.record_fetch(conn, batch_id, source, result)
            rawstore.save_extraction(conn, page_id, EXTRACTOR_VERSION, record)
    return batch_id


def count(dsn: str, sql: str, *params) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql, params).fetchone()[0]


def core_snapshot(dsn: str) -> dict:
    with psycopg.connect(dsn) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT 'core.' || table_name FROM information_schema.tables WHERE table_schema = 'core' "
            "AND table_type = 'BASE TABLE' ORDER BY 1")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def wait_for(condition, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def backends_waiting(dsn: str, wait_event: str) -> list[int]:
    """pids of this database's backends (other than ours) waiting on a lock of this kind."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return [r[0] for r in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND wait_event_type = 'Lock' AND wait_event = %s", (wait_event,))]


class Background(threading.Thread):
    """Runs fn() in a thread, keeping its result or exception."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self.fn, self.args, self.result, self.error = fn, args, None, None

    def run(self):
        try:
            self.result = self.fn(*self.args)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc


# -- the errors table ----------------------------------------------------------------------------------

def test_every_failing_page_lands_in_the_errors_table_and_a_later_success_clears_it(scripted_site, database_url):
    site = scripted_site()
    site.html("/news/", listing_html(*(f"/articles/{n}.html" for n in (1, 2, 3, 4))))
    # /feed.xml: 404 (discover); 2: 404 (fetch); 3: a PNG served as HTML (extract); 4: loads, then refused.
    for n in (1, 4):
        site.html(f"/articles/{n}.html", article_html(n))
    site.routes["/articles/3.html"] = (200, "text/html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    source = site_source(site, feeds=(site.base + "/feed.xml",))
    migrate(database_url)

    def url(path: str) -> str:
        return site.base + path

    batch = pipeline.discover(source, database_url)["batch_id"]
    pipeline.fetch(batch, source, database_url)
    assert pipeline.extract(batch, source, database_url)["extract_errors"] == 1
    with psycopg.connect(database_url, autocommit=True) as conn:  # a record the warehouse cannot hold
        conn.execute("""UPDATE raw.extractions e SET record = jsonb_set(record, '{published_at}', '"31/02/2024"')
                        FROM raw.pages p WHERE p.page_id = e.page_id AND p.url = %s""", (url("/articles/4.html"),))
    loaded = pipeline.load(batch, database_url)
    assert loaded["inserted"] == 1 and loaded["load_errors"] == 1
    pipeline.discover(source, database_url)  # the feed fails a second time

    with psycopg.connect(database_url) as conn:
        found = {(e.stage, e.url): e for e in errors.list_errors(conn, "faulty")}
    assert set(found) == {("discover", url("/feed.xml")), ("fetch", url("/articles/2.html")),
                          ("extract", url("/articles/3.html")), ("load", url("/articles/4.html"))}
    assert found[("discover", url("/feed.xml"))].attempts == 2
    assert found[("fetch", url("/articles/2.html"))].error_class == "HTTP 404"
    assert found[("extract", url("/articles/3.html"))].error_class == "ExtractionError"
    assert "PNG" in found[("extract", url("/articles/3.html"))].message
    assert found[("load", url("/articles/4.html"))].error_class == "RecordRefused"
    assert "published_at" in found[("load", url("/articles/4.html"))].message
    assert all(e.source == "faulty" and e.first_failed_at <= e.last_failed_at for e in found.values())

    listed = subprocess.run([sys.executable, "-m", "etl", "errors", "--source", "faulty"], cwd=PROJECT_DIR,
                            capture_output=True, text=True, check=True).stdout
    assert "4 page(s) failing" in listed and "HTTP 404" in listed and url("/articles/3.html") in listed
    as_json = subprocess.run([sys.executable, "-m", "etl", "errors", "--json"], cwd=PROJECT_DIR,
                             capture_output=True, text=True, check=True).stdout
    assert {json.loads(line)["stage"] for line in as_json.splitlines()} == {"discover", "fetch", "extract", "load"}

    # The site is repaired; the refused extraction is redone by a fixed extractor.
    site.routes["/feed.xml"] = (200, "application/rss+xml", b"<rss><channel></channel></rss>")
    site.html("/articles/2.html", article_html(2))
    site.html("/articles/3.html", article_html(3))
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DELETE FROM raw.extractions WHERE record->>'published_at' = '31/02/2024'")
    summary = pipeline.run_source(source, database_url, refresh=True)
    assert summary["load_errors"] == 0 and summary["extract_errors"] == 0
    with psycopg.connect(database_url) as conn:
        assert errors.list_errors(conn) == []
        assert conn.execute("SELECT count(*) FROM core.articles").fetchone()[0] == 4


# -- the load --------------------------------------------------------------------------------------------

def test_connection_killed_mid_load_writes_nothing_and_a_rerun_loads_each_row_once(database_url, monkeypatch):
    migrate(database_url)
    records = records_sharing_speakers("killed", 30)
    batch = make_batch(database_url, records)
    monkeypatch.setenv("ETL_LOAD_LOCK_TIMEOUT", "60")

    # Hold the people table so the load stops half-way (articles written, events not yet), then kill it.
    with psycopg.connect(database_url) as blocker:
        blocker.execute("LOCK TABLE core.people IN SHARE MODE")
        load = Background(pipeline.load, batch, database_url)
        load.start()
        [pid] = wait_for(lambda: backends_waiting(database_url, "relation"), what="the load to block")
        with psycopg.connect(database_url, autocommit=True) as killer:
            assert killer.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
        load.join(30)
        assert not load.is_alive()
        blocker.rollback()

    assert isinstance(load.error, pipeline.LoadFailed), load.error
    assert "lost the connection" in str(load.error) and "rerun" in str(load.error)
    assert count(database_url, "SELECT count(*) FROM core.articles") == 0
    assert count(database_url, "SELECT count(*) FROM core.events") == 0
    assert count(database_url, "SELECT count(*) FROM raw.page_errors WHERE stage = 'load'") == 30

    rerun = pipeline.load(batch, database_url)
    assert rerun["inserted"] == 30 and rerun["load_errors"] == 0
    events_per_record = len(records[0]["events"])
    assert count(database_url, "SELECT count(*) FROM core.articles") == 30
    assert count(database_url, "SELECT count(*) FROM core.events") == 30 * events_per_record
    assert count(database_url, "SELECT count(*) FROM core.event_speakers") == 30 * events_per_record * 8
    assert count(database_url, "SELECT count(*) FROM core.people") == 8
    assert count(database_url, "SELECT count(*) FROM raw.page_errors") == 0
    before = core_snapshot(database_url)
    assert pipeline.load(batch, database_url)["inserted"] == 0
    assert core_snapshot(database_url) == before


def test_concurrent_loads_wait_for_each_other_and_write_each_row_once(database_url, monkeypatch):
    migrate(database_url)
    batch_a = make_batch(database_url, records_sharing_speakers("a", 15))
    batch_b = make_batch(database_url, records_sharing_speakers("b", 15))  # other articles, the same people
    monkeypatch.setenv("ETL_LOAD_LOCK_TIMEOUT", "60")

    with psycopg.connect(database_url) as blocker:
        blocker.execute("LOCK TABLE core.people IN SHARE MODE")  # keeps the first load in the middle
        loads = [Background(pipeline.load, batch, database_url) for batch in (batch_a, batch_a, batch_b)]
        for load in loads:
            load.start()
        # One load is in the middle of writing; the other two wait for the load lock, not for its rows.
        wait_for(lambda: len(backends_waiting(database_url, "relation")) == 1
                 and len(backends_waiting(database_url, "advisory")) == 2, what="one load running, two waiting")
        blocker.rollback()
    for load in loads:
        load.join(60)
    assert not any(load.is_alive() for load in loads)
    assert [load.error for load in loads] == [None, None, None]
    assert sum(load.result["inserted"] for load in loads) == 30
    assert sorted(load.result["inserted"] for load in loads[:2]) == [0, 15]
    assert count(database_url, "SELECT count(*) FROM core.articles") == 30
    assert count(database_url, "SELECT count(*) FROM core.people") == 8
    assert count(database_url, "SELECT count(*) FROM (SELECT article_id, position FROM core.events "
                               "GROUP BY 1, 2 HAVING count(*) > 1) d") == 0


def test_a_load_stuck_behind_a_lock_fails_within_the_lock_timeout(database_url, monkeypatch):
    migrate(database_url)
    batch = make_batch(database_url, records_sharing_speakers("stuck", 5))
    monkeypatch.setenv("ETL_LOAD_LOCK_TIMEOUT", "1")
    with psycopg.connect(database_url) as blocker:
        blocker.execute("LOCK TABLE core.people IN SHARE MODE")  # held for longer than the timeout
        load = Background(pipeline.load, batch, database_url)
        load.start()
        load.join(20)
        still_waiting = load.is_alive()
        blocker.rollback()
    load.join(20)
    assert not still_waiting, "the load waited past its lock timeout"
    assert isinstance(load.error, pipeline.LoadFailed) and "lock" in str(load.error)
    assert count(database_url, "SELECT count(*) FROM core.articles") == 0
    assert pipeline.load(batch, database_url)["inserted"] == 5


# -- a task killed mid-run ----------------------------------------------------------------------------------

_FETCH_IN_CHILD = """
import sys
from etl.pipeline import fetch
from etl.sources import Source
base, batch_id, dsn = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fetch(batch_id, Source(name="faulty", start_urls=(base + "/news/",), article_url_pattern=r"/articles/\\d+\\.html$",
                       allow_private_hosts=True, requests_per_second=1000.0), dsn)
"""


def test_fetch_killed_mid_run_resumes_without_fetching_stored_pages_again(scripted_site, database_url):
    site = scripted_site(delay=0.25)
    pages = [f"/articles/{n}.html" for n in range(1, 13)]
    site.html("/news/", listing_html(*pages))
    for n, path in enumerate(pages, 1):
        site.html(path, article_html(n))
    source = site_source(site)
    migrate(database_url)
    batch = pipeline.discover(source, database_url)["batch_id"]

    child = subprocess.Popen([sys.executable, "-c", _FETCH_IN_CHILD, site.base, str(batch), database_url],
                             cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: count(database_url, "SELECT count(*) FROM raw.batch_urls WHERE batch_id = %s "
                                             "AND outcome IS NOT NULL", batch) >= 4, what="4 pages fetched")
    finally:
        child.send_signal(signal.SIGKILL)  # the worker dies: no cleanup, no goodbye
        child.wait(10)
    with psycopg.connect(database_url) as conn:
        stored = {r[0] for r in conn.execute("SELECT url FROM raw.pages")}
    assert 4 <= len(stored) < len(pages)

    summary = pipeline.fetch(batch, source, database_url)
    assert summary["fetched"] == len(pages) - len(stored)
    assert count(database_url, "SELECT count(*) FROM raw.batch_urls WHERE batch_id = %s AND outcome = 'fetched'",
                 batch) == len(pages)
    for path in pages:
        if site.base + path in stored:
            assert site.hits[path] == 1, f"{path} was stored before the kill and fetched again"
        else:
            assert site.hits[path] <= 2  # at most the one in flight when the worker died, then the rerun
    assert count(database_url, "SELECT count(*) FROM raw.pages") == len(pages)


# -- the warehouse down --------------------------------------------------------------------------------------

def test_warehouse_down_fails_the_airflow_task_naming_the_host_not_the_password(monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    from etl.store.db import DatabaseUnavailable

    monkeypatch.setenv("ETL_SOURCES_FILE", str(SAMPLE_SOURCES))
    monkeypatch.setenv("AIRFLOW_CONN_ETL_WAREHOUSE", "postgresql://etl:hunter2@127.0.0.1:1/warehouse")
    dag = DagBag(dag_folder=str(PROJECT_DIR / "dags" / "think_tank_news.py")).dags["think_tank_news__sample"]
    for task_id in ("discover", "fetch", "extract_and_load"):
        task = dag.get_task(task_id)
        assert task.retries >= 1, task_id  # the scheduler retries a task that raised
        chunk = {"batch_id": 1, "index": 0, "first_position": 0, "last_position": 9, "pages": 10}
        args = {"discover": (), "fetch": (chunk,), "extract_and_load": ({"chunk": chunk},)}[task_id]
        with pytest.raises(DatabaseUnavailable) as failure:
            task.python_callable(*args)
        assert "127.0.0.1:1" in str(failure.value) and "hunter2" not in str(failure.value)
