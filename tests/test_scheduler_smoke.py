"""The sample source's DAG under a real scheduler: api-server, scheduler and dag-processor as processes.

What `dag.test()` cannot show: the DAG parses in the dag-processor, the scheduler queues it on the
LocalExecutor, task processes reach the api-server's execution API, and the `etl_warehouse` connection
(created by `python -m etl setup`, as the compose init service does) is what the tasks load into; no
pool is needed. Metadata in PostgreSQL on the test server, a trigger through the REST API.
"""

from __future__ import annotations

from datetime import datetime, timezone

import psycopg
import pytest

from airflow_harness import AirflowHarness
from conftest import PROJECT_DIR, SAMPLE_SOURCES
from etl.store.db import scratch_database

DAG_ID = "think_tank_news__sample"


@pytest.mark.scheduler
def test_scheduler_runs_the_sample_source_dag(pg_server_url, database_url, sample_site, tmp_path, monkeypatch):
    # Only the connection may name the warehouse: with it missing, the tasks would fall back to an
    # embedded database and the rows below would not appear.
    monkeypatch.delenv("ETL_DATABASE_URL")
    monkeypatch.setenv("ETL_SOURCES_FILE", str(SAMPLE_SOURCES))

    with (
        scratch_database(pg_server_url, "airflow_meta") as metadata_dsn,
        AirflowHarness(tmp_path / "airflow", metadata_dsn, PROJECT_DIR / "dags") as airflow,
    ):
        airflow.cli("db", "migrate")
        # As airflow-init does it (docker-compose.yml); the host may be a unix-socket directory.
        done = airflow.etl("setup", env={"ETL_DATABASE_URL": database_url})
        assert "Airflow connection etl_warehouse: created" in done
        airflow.start("api-server", "scheduler", "dag-processor")
        airflow.wait_until_api_ready(timeout=90)
        airflow.wait_for_dag(DAG_ID, timeout=60)

        run_id = airflow.trigger(DAG_ID)
        run = airflow.wait_for_run(DAG_ID, run_id, timeout=150)

        task_instances = airflow.task_instances(DAG_ID, run_id)
        states = {ti["task_id"]: ti["state"] for ti in task_instances}
        assert run["state"] == "success", f"{states}\n{airflow.task_log_tails(DAG_ID)}\n{airflow.all_log_tails()}"
        assert {"discover", "fetch", "plan_chunks", "extract_and_load", "finish"} <= {t for t, s in states.items() if s == "success"}

        # Unpausing (trigger() unpauses, then runs) started no scheduled crawl of its own beside or
        # behind the manual run: the first scheduled run is the interval in progress, due at its end.
        runs = airflow.api("GET", f"/api/v2/dags/{DAG_ID}/dagRuns").json()["dag_runs"]
        assert [(r["dag_run_id"], r["run_type"]) for r in runs] == [(run_id, "manual")]
        next_run_after = airflow.api("GET", f"/api/v2/dags/{DAG_ID}").json()["next_dagrun_run_after"]
        assert datetime.fromisoformat(next_run_after) > datetime.now(timezone.utc)

    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT url, language, title FROM core.articles ORDER BY url").fetchall()
    assert rows, "the run succeeded but loaded no articles"
    assert {language for _, language, _ in rows} == {"en", "ru"}
    assert all(title for _, _, title in rows)
    assert {ti["pool"] for ti in task_instances} == {"default_pool"}
