"""`python -m etl setup` and what the DAG does without it; the batch mapped over several chunks.

The setup command runs for real in a subprocess against the test session's Airflow metadata database
and a fresh warehouse; the DAG then runs with `dag.test()` through the connection it created, with a
chunk size that cuts the sample site's 4 pages into 2 mapped extract-and-load tasks.
"""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest

from conftest import PROJECT_DIR, SAMPLE_SOURCES
from etl.setup import check_ready, connection_fields
from test_dag import dag_module, load_dagbag

DAG_ID = "think_tank_news__sample"


def run_setup(dsn: str, *args: str) -> str:
    env = {**os.environ, "ETL_DATABASE_URL": dsn, "PYTHONPATH": str(PROJECT_DIR)}
    done = subprocess.run([sys.executable, "-m", "etl", "setup", *args], env=env, cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def delete_connection(conn_id: str = "etl_warehouse") -> None:
    from airflow.models import Connection
    from airflow.utils.session import create_session

    with create_session() as session:
        session.query(Connection).filter(Connection.conn_id == conn_id).delete()


def task_map_indexes(run_id: str, task_id: str) -> dict[int, str]:
    from airflow.models import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        rows = session.query(TaskInstance.map_index, TaskInstance.state).filter(
            TaskInstance.dag_id == DAG_ID, TaskInstance.run_id == run_id, TaskInstance.task_id == task_id).all()
    return {index: str(getattr(state, "value", state)) for index, state in rows}


def test_connection_fields_keep_socket_hosts_and_libpq_settings():
    fields = connection_fields("host=/tmp/pg port=5544 dbname=wh user=etl password=pw sslmode=require")
    assert fields == {"conn_type": "postgres", "host": "/tmp/pg", "port": 5544, "schema": "wh", "login": "etl",
                      "password": "pw", "extra": '{"sslmode": "require"}'}


def test_setup_creates_what_the_dag_needs_and_the_dag_maps_over_chunks(
        airflow_metadata_db, sample_site, database_url, monkeypatch):
    monkeypatch.setenv("ETL_SOURCES_FILE", str(SAMPLE_SOURCES))
    monkeypatch.setenv("ETL_TASK_RETRIES", "0")
    monkeypatch.delenv("ETL_ALLOW_DEFAULT_WAREHOUSE", raising=False)
    first = run_setup(database_url)
    try:
        assert "applied" in first and "Airflow connection etl_warehouse: created" in first
        second = run_setup(database_url)  # idempotent: run on every `docker compose up`
        assert "applied 0 migration(s)" in second and "etl_warehouse: unchanged" in second
        check_ready(database_url)  # nothing pending

        # Only the connection names the warehouse now: no ETL_DATABASE_URL, no embedded fallback.
        monkeypatch.delenv("ETL_DATABASE_URL")
        dag = load_dagbag().dags[DAG_ID]
        dag_run = dag.test(run_conf={"chunk_size": 2})
        assert dag_run.state == "success"
        # The sample site's 5 article URLs (one of them a 404) in chunks of 2: each chunk fetched, then
        # extracted and loaded, by its own mapped tasks.
        for task_id in ("fetch", "extract_and_load"):
            assert task_map_indexes(dag_run.run_id, task_id) == {0: "success", 1: "success", 2: "success"}
    finally:
        delete_connection()
    with psycopg.connect(database_url) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM core.articles")]
        stats = conn.execute("SELECT stats FROM raw.batches").fetchone()[0]
    assert len(urls) == len(set(urls)) == 4
    # The batch's counts add up over the chunks.
    assert (stats["discovered"], stats["chunks"], stats["fetched"], stats["failed"], stats["extracted"],
            stats["inserted"]) == (5, 3, 4, 1, 4, 4)


def test_a_dag_whose_setup_is_missing_fails_its_first_task_saying_what_to_run(
        airflow_metadata_db, sample_site, database_url, monkeypatch):
    from airflow.sdk.exceptions import AirflowFailException

    monkeypatch.setenv("ETL_SOURCES_FILE", str(SAMPLE_SOURCES))
    monkeypatch.delenv("ETL_TASK_RETRIES", raising=False)  # retries on: missing setup must not be retried
    monkeypatch.delenv("ETL_ALLOW_DEFAULT_WAREHOUSE", raising=False)
    dag = load_dagbag().dags[DAG_ID]
    dag_run = dag.test()  # no connection at all
    assert dag_run.state == "failed"
    assert task_map_indexes(dag_run.run_id, "discover") == {-1: "failed"}  # at once, not up_for_retry
    assert task_map_indexes(dag_run.run_id, "fetch") == {-1: "upstream_failed"}
    with psycopg.connect(database_url) as conn:  # nothing fell back to ETL_DATABASE_URL
        assert conn.execute("SELECT to_regclass('raw.batches')").fetchone()[0] is None

    # A connection to a warehouse nobody migrated: the first task names the command, and migrates nothing.
    info = psycopg.conninfo.conninfo_to_dict(database_url)
    monkeypatch.setenv("AIRFLOW_CONN_ETL_WAREHOUSE", __import__("json").dumps(
        {"conn_type": "postgres", "host": info.get("host"), "port": int(info.get("port") or 5432),
         "schema": info["dbname"], "login": info.get("user"), "password": info.get("password")}))
    with pytest.raises(AirflowFailException, match=r"lacks \d+ migration\(s\) .*: run `python -m etl setup`"):
        dag_module().ready_warehouse_dsn()
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT to_regclass('public.etl_schema_migrations')").fetchone()[0] is None
