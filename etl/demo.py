"""`make demo`: serve the bundled sample site, run the real DAG once with `airflow dags test`, summarise."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from etl import db

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLE_SITE = PROJECT_DIR / "tests" / "fixtures" / "sample_site"
SAMPLE_SOURCES = PROJECT_DIR / "dags" / "sources.sample.yaml"
DEMO_DAG_ID = "think_tank_news__bisr"
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
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__UNIT_TEST_MODE="False",
        **extra,
    )
    return env


def run_demo() -> int:
    # An embedded server the demo starts is stopped when it ends; one that was running stays so.
    started_here = not os.environ.get("ETL_DATABASE_URL") and not db.embedded_running()
    try:
        return _run_demo()
    finally:
        if started_here:
            db.stop_embedded()


def _run_demo() -> int:
    dsn = db.resolve_dsn()
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
        })
        print(f"sample site: {site_url}\nwarehouse:   {db.mask_dsn(dsn)}\nairflow:     {airflow_home}", flush=True)
        subprocess.run([airflow, "db", "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        completed = subprocess.run([airflow, "dags", "test", DEMO_DAG_ID], env=env)
        if completed.returncode != 0:
            print(f"airflow dags test {DEMO_DAG_ID} failed ({completed.returncode})", file=sys.stderr)
            return completed.returncode
    print_summary(dsn)
    return 0


def print_summary(dsn: str) -> None:
    with db.connect(dsn) as conn:
        total = conn.execute("SELECT count(*) FROM core.articles").fetchone()[0]
        by_language = conn.execute(
            "SELECT coalesce(language, '?'), count(*) FROM core.articles GROUP BY 1 ORDER BY 1"
        ).fetchall()
        titles = conn.execute(
            "SELECT language, coalesce(published_at::text, '-'), title FROM core.articles ORDER BY language, url"
        ).fetchall()
        events = conn.execute("SELECT count(*) FROM core.events").fetchone()[0]
    print(f"\nloaded {total} articles ({', '.join(f'{lang}: {n}' for lang, n in by_language)}), {events} events")
    for language, published, title in titles:
        print(f"  [{language}] {published:10}  {title}")
