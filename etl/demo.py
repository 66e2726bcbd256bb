"""`make demo`: serve the bundled sample site, run the real DAG once with `airflow dags test`, summarise.

The demo stays apart from real runs: its source is `sample`, and its warehouse is an embedded
PostgreSQL of its own under `.etl/demo/` (whatever ETL_DATABASE_URL says), so it never mixes its pages
with a real warehouse, and its summary is what this demo loaded.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from etl.store import db

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLE_SITE = PROJECT_DIR / "tests" / "fixtures" / "sample_site"
SAMPLE_SOURCES = PROJECT_DIR / "dags" / "sources.sample.yaml"
DEMO_DAG_ID = "think_tank_news__sample"
DEMO_DATA_DIR = Path(".etl") / "demo" / "pgdata"  # under the working directory
SAMPLE_SITE_PORT = 8765  # the default of dags/sources.sample.yaml


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@contextmanager
def static_server(directory: Path, port: int = 0):
    """A static HTTP server for `directory` on 127.0.0.1 (`port`, or a free one when it is taken or 0),
    for the duration of the block; yields its base URL. The demo serves the sample site with it, and
    so do the tests."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:  # the port is taken
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        print(f"port {port} is not free ({exc.strerror}): serving on port {server.server_address[1]}; "
              "the pages get new URLs, so they are fetched again", file=sys.stderr)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def airflow_env(airflow_home: Path, extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        AIRFLOW_HOME=str(airflow_home),
        AIRFLOW__CORE__DAGS_FOLDER=str(PROJECT_DIR / "dags"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(PROJECT_DIR / "dags" / "plugins"),  # the DAGs' timetable
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__UNIT_TEST_MODE="False",
        **extra,
    )
    return env


def demo_dsn() -> str:
    """The demo's own warehouse: an embedded server under .etl/demo/ (started if needed)."""
    return db.start_embedded(Path.cwd() / DEMO_DATA_DIR)


def run_demo(keep_running: bool = False) -> int:
    # The demo's embedded server, when this demo started it, is stopped at the end (its data stays
    # under .etl/demo/ for the next demo) unless asked to keep it for `report` and `check`.
    started_here = not db.embedded_running(Path.cwd() / DEMO_DATA_DIR)
    try:
        return _run_demo(keep_running or not started_here)
    finally:
        if started_here and not keep_running:
            db.stop_embedded(Path.cwd() / DEMO_DATA_DIR)


def _run_demo(server_stays: bool) -> int:
    dsn = demo_dsn()
    with db.connect(dsn) as conn:
        started = conn.execute("SELECT now()").fetchone()[0]
    airflow_home = Path.cwd() / ".etl" / "airflow"
    airflow_home.mkdir(parents=True, exist_ok=True)
    airflow = str(Path(sys.executable).with_name("airflow"))
    # The same port every time when free: the sample site keeps its URLs, so a second demo finds
    # its articles already loaded and fetches none.
    with static_server(SAMPLE_SITE, SAMPLE_SITE_PORT) as site_url:
        env = airflow_env(airflow_home, {
            "ETL_DATABASE_URL": dsn,
            "ETL_SOURCES_FILE": str(SAMPLE_SOURCES),
            "ETL_SAMPLE_SITE_URL": site_url,
            "ETL_TASK_RETRIES": "0",  # a demo shows a failure at once instead of waiting to retry
            "ETL_ALLOW_DEFAULT_WAREHOUSE": "1",  # no etl_warehouse connection here: the DSN above, migrated by the run
        })
        print(f"sample site: {site_url}\nwarehouse:   {db.mask_dsn(dsn)} (the demo's own)\nairflow:     {airflow_home}",
              flush=True)
        subprocess.run([airflow, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        completed = subprocess.run([airflow, "dags", "test", DEMO_DAG_ID], env=env)
        if completed.returncode != 0:
            print(f"airflow dags test {DEMO_DAG_ID} failed ({completed.returncode})", file=sys.stderr)
            return completed.returncode
    print_summary(dsn, started)
    if server_stays:
        print(f"\nthe demo's warehouse, for the other commands (stop it with `python -m etl db stop --demo`):\n"
              f"  ETL_DATABASE_URL='{dsn}' python -m etl report\n"
              f"  ETL_DATABASE_URL='{dsn}' python -m etl check --config {SAMPLE_SOURCES.relative_to(PROJECT_DIR)}")
    else:
        print("\nthe demo's warehouse is kept under .etl/demo/ and its server stopped; "
              "`python -m etl demo --keep-running` leaves it running for `report` and `check`")
    return 0


def print_summary(dsn: str, since) -> None:
    """What the demo runs since `since` loaded: their articles, events (an event reported in two
    languages counts once) and the checks on the sample source."""
    from etl.store.checks import run_checks
    from etl.sources import load_sources_file

    with db.connect(dsn) as conn:
        batches = [row[0] for row in conn.execute(
            "SELECT batch_id FROM raw.batches WHERE source = 'sample' AND started_at >= %s", (since,))]
        # Articles written by these runs: new, or changed (their current row comes from a page they fetched).
        articles = conn.execute(
            """SELECT a.article_id, coalesce(a.language, '?'), coalesce(a.published_at::text, '-'), a.title,
                      a.first_seen >= %s AS new
               FROM core.articles a
               WHERE a.page_id IN (SELECT page_id FROM raw.batch_urls WHERE batch_id = ANY(%s) AND outcome = 'fetched')
               ORDER BY a.language, a.url""", (since, batches)).fetchall()
        ids = [row[0] for row in articles]
        reports, events = conn.execute(
            "SELECT count(*), count(DISTINCT event_key) FROM reporting.events WHERE article_id = ANY(%s)", (ids,)
        ).fetchone()
        total = conn.execute("SELECT count(*) FROM core.articles WHERE source = 'sample'").fetchone()[0]
        sample = load_sources_file(SAMPLE_SOURCES)
        checks = run_checks(conn, sample.sources, only_configured=True, thresholds=sample.check_thresholds)
    by_language: dict[str, int] = {}
    for _, language, _, _, _ in articles:
        by_language[language] = by_language.get(language, 0) + 1
    languages = ", ".join(f"{lang}: {n}" for lang, n in sorted(by_language.items()))
    print(f"\nthis demo loaded {len(articles)} articles" + (f" ({languages})" if languages else "")
          + f", {events} events ({reports} event reports); the demo warehouse holds {total} articles")
    for _, language, published, title, new in articles:
        print(f"  [{language}] {published:10}  {title}" + ("" if new else "  (updated)"))
    problems = [r for r in checks if not r.passed]
    print("checks: " + ("all passed" if not problems else "; ".join(f"{r.check.name}: {r.status}" for r in problems)))
