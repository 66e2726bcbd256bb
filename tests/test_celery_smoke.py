"""The DAG on the CeleryExecutor for real: Redis, api-server, scheduler, dag-processor, two Celery workers.

A site of 24 real pages (the sample site's articles under distinct URLs) is crawled at 10 requests/s;
the run is triggered with chunk_size 4, so fetch and extract-and-load map into 6 tasks each. The run
must succeed with tasks on both workers, fetch the chunks one at a time while fetched ones are
extracted and loaded, load every article exactly once, and the server's request log must show the
per-host rate held. Metadata in PostgreSQL (a scratch database on the test server),
the broker a Redis server of the test's own (on a free port, stopped afterwards); a queue name of its
own too, so no other Celery deployment on this machine can take its tasks. Every wait is bounded;
the harness stops every process it started, process groups included.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from airflow_harness import AirflowHarness, free_port, sqlalchemy_url
from conftest import PROJECT_DIR, SAMPLE_SITE
from etl.store.db import scratch_database
from synthetic_site import MirrorSite, sources_yaml

SOURCE = "mirror"
DAG_ID = f"think_tank_news__{SOURCE}"
ARTICLES = 24
CHUNK_SIZE = 4
REQUESTS_PER_SECOND = 10
WORKERS = ("worker-1", "worker-2")


@contextmanager
def redis_server(tmp_path: Path):
    """A redis-server of this test's own on a free loopback port, no persistence; stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: `apt-get install -y redis-server` (.ci/run does it)")
    port = free_port()
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not come up on port {port} (exit {process.poll()})")
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def all_runs(airflow: AirflowHarness) -> list[dict]:
    """Every run of the DAG: the triggered one, and the one the scheduler starts on unpausing (it
    exists by the time the triggered run is over: it was created within a scheduler loop)."""
    response = airflow.api("GET", f"/api/v2/dags/{DAG_ID}/dagRuns")
    response.raise_for_status()
    return response.json()["dag_runs"]


@pytest.mark.scheduler
def test_celery_executor_runs_mapped_chunks_on_two_workers(pg_server_url, database_url, tmp_path, monkeypatch):
    templates = [path.read_bytes() for path in sorted(SAMPLE_SITE.glob("*/*.html"))]
    queue = f"etl_smoke_{secrets.token_hex(4)}"
    with (
        MirrorSite(templates, ARTICLES, per_listing=10).serve() as site,
        redis_server(tmp_path) as broker_url,
        scratch_database(pg_server_url, "airflow_meta") as metadata_dsn,
    ):
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml(SOURCE, site, REQUESTS_PER_SECOND), encoding="utf-8")
        monkeypatch.setenv("ETL_SOURCES_FILE", str(sources))
        monkeypatch.delenv("ETL_DATABASE_URL")  # only the connection may name the warehouse
        celery = {
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CELERY__BROKER_URL": broker_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + sqlalchemy_url(metadata_dsn),
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
            "AIRFLOW__CORE__PARALLELISM": "8",
            "ETL_TASK_RETRIES": "0",
            # Unpausing also starts the latest interval's scheduled run (catchup=False), before or after
            # the manual one: whichever of the two finds the pages maps them into chunks of this size.
            "ETL_CHUNK_SIZE": str(CHUNK_SIZE),
        }
        with AirflowHarness(tmp_path / "airflow", metadata_dsn, PROJECT_DIR / "dags", extra_env=celery) as airflow:
            airflow.cli("db", "migrate", timeout=300)
            done = airflow.etl("setup", env={"ETL_DATABASE_URL": database_url})
            assert "Airflow connection etl_warehouse: created" in done
            airflow.start("api-server", "scheduler", "dag-processor")
            for worker in WORKERS:
                # One task at a time each: with several chunks queued, both must take some.
                airflow.start_celery_worker(worker, queue, concurrency=1)
            airflow.wait_until_api_ready(timeout=180)
            for worker in WORKERS:
                airflow.wait_for(f"{worker} to be ready", lambda w=worker: " ready." in airflow.log_text(w), 180)
            airflow.wait_for_dag(DAG_ID, timeout=180)

            run_id = airflow.trigger(DAG_ID, conf={"chunk_size": CHUNK_SIZE})
            airflow.wait_for_run(DAG_ID, run_id, timeout=900)
            runs = [airflow.wait_for_run(DAG_ID, run["dag_run_id"], timeout=600) for run in all_runs(airflow)]
            task_instances = {run["dag_run_id"]: airflow.task_instances(DAG_ID, run["dag_run_id"]) for run in runs}
            states = {run_id: {(ti["task_id"], ti["map_index"]): ti["state"] for ti in tis}
                      for run_id, tis in task_instances.items()}
            assert all(run["state"] == "success" for run in runs), \
                f"{states}\n{airflow.task_log_tails(DAG_ID)}\n{airflow.all_log_tails()}"

    # The run that found the pages mapped extract-and-load over every chunk; a later one found none.
    chunks = ARTICLES // CHUNK_SIZE
    mapped = {run_id: sorted(i for (t, i), s in by_task.items() if t == "extract_and_load" and s == "success")
              for run_id, by_task in states.items()}
    assert list(range(chunks)) in mapped.values(), mapped
    # In that run each chunk was fetched by a task of its own, one at a time (politeness does not
    # need two), and chunks already fetched were extracted and loaded while later ones were fetched.
    [full_run] = [run_id for run_id, indexes in mapped.items() if indexes == list(range(chunks))]
    spans = {task: sorted((datetime.fromisoformat(ti["start_date"]), datetime.fromisoformat(ti["end_date"]))
                          for ti in task_instances[full_run] if ti["task_id"] == task)
             for task in ("fetch", "extract_and_load")}
    assert len(spans["fetch"]) == chunks
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans["fetch"], spans["fetch"][1:])), spans
    assert spans["extract_and_load"][0][0] < spans["fetch"][-1][1], spans
    hosts = {ti["hostname"] for tis in task_instances.values() for ti in tis}
    assert hosts == set(WORKERS), f"tasks ran on {hosts}"
    with psycopg.connect(database_url) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM core.articles WHERE source = %s", (SOURCE,))]
        fetched = conn.execute("SELECT count(*) FROM raw.pages WHERE source = %s", (SOURCE,)).fetchone()[0]
    assert len(urls) == len(set(urls)) == ARTICLES
    assert fetched == ARTICLES
    article_requests = [path for _, path in site.requests if path.startswith("/news/")]
    assert len(article_requests) == len(set(article_requests)) == ARTICLES, "an article was fetched twice"
    # Spaced evenly at the source's rate: never more than that within a second (+1 for the edges).
    assert site.max_requests_per_window(1.0) <= REQUESTS_PER_SECOND + 1
