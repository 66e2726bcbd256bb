"""A backfill beside a manual run, under the real scheduler: each article is fetched once.

`airflow backfill create` (here its REST form) starts runs of past intervals whatever the DAG's
`max_active_runs`: two runs of one source then crawl the same site at once. Their fetch tasks share
the per-URL locks and the host's request slots in the warehouse, so no article is requested twice,
the host's rate holds across both, and every article is loaded once. api-server, scheduler and
dag-processor as processes on the LocalExecutor; metadata in PostgreSQL on the test server.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from airflow_harness import AirflowHarness
from conftest import PROJECT_DIR, SAMPLE_SITE
from etl.store.db import scratch_database
from synthetic_site import MirrorSite, sources_yaml

SOURCE = "mirror"
DAG_ID = f"think_tank_news__{SOURCE}"
ARTICLES = 30
REQUESTS_PER_SECOND = 5  # slow enough that the two runs' fetches overlap


@pytest.mark.scheduler
def test_a_backfill_beside_a_manual_run_fetches_each_article_once(pg_server_url, database_url, tmp_path, monkeypatch):
    templates = [path.read_bytes() for path in sorted(SAMPLE_SITE.glob("*/*.html"))]
    with (
        MirrorSite(templates, ARTICLES, per_listing=10).serve() as site,
        scratch_database(pg_server_url, "airflow_meta") as metadata_dsn,
    ):
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml(SOURCE, site, REQUESTS_PER_SECOND), encoding="utf-8")
        monkeypatch.setenv("ETL_SOURCES_FILE", str(sources))
        monkeypatch.delenv("ETL_DATABASE_URL")  # only the connection may name the warehouse
        with AirflowHarness(tmp_path / "airflow", metadata_dsn, PROJECT_DIR / "dags",
                            extra_env={"ETL_TASK_RETRIES": "0"}) as airflow:
            airflow.cli("db", "migrate", timeout=300)
            assert "Airflow connection etl_warehouse: created" in airflow.etl("setup", env={"ETL_DATABASE_URL": database_url})
            airflow.start("api-server", "scheduler", "dag-processor")
            airflow.wait_until_api_ready(timeout=180)
            airflow.wait_for_dag(DAG_ID, timeout=180)

            manual = airflow.trigger(DAG_ID)  # unpauses the DAG too
            today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
            response = airflow.api("POST", "/api/v2/backfills", json={
                "dag_id": DAG_ID, "from_date": (today - timedelta(days=2)).isoformat(),
                "to_date": (today - timedelta(days=1)).isoformat(), "max_active_runs": 1})
            assert response.status_code == 200, response.text
            backfill_id = response.json()["id"]
            airflow.wait_for_run(DAG_ID, manual, timeout=600)
            airflow.wait_for("the backfill to complete", lambda: airflow.api(
                "GET", f"/api/v2/backfills/{backfill_id}").json()["completed_at"], timeout=600)
            backfills = [r for r in airflow.api("GET", f"/api/v2/dags/{DAG_ID}/dagRuns").json()["dag_runs"]
                         if r["run_type"] == "backfill"]
            assert backfills, "the backfill started no run"
            runs = [airflow.wait_for_run(DAG_ID, manual, timeout=60), *backfills]
            assert all(run["state"] == "success" for run in runs), \
                f"{runs}\n{airflow.task_log_tails(DAG_ID)}\n{airflow.all_log_tails()}"

    # The two runs overlapped (each crawled while the other did)...
    spans = [(run["start_date"], run["end_date"]) for run in runs]
    assert any(a[0] < b[1] and b[0] < a[1] for a in spans for b in spans if a is not b), spans
    # ...and still: every article requested once, the host's rate held across both, loaded once.
    article_requests = [path for _, path in site.requests if path.startswith("/news/")]
    assert len(article_requests) == len(set(article_requests)) == ARTICLES, "an article was fetched twice"
    assert site.max_requests_per_window(1.0) <= REQUESTS_PER_SECOND + 1
    with psycopg.connect(database_url) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM core.articles WHERE source = %s", (SOURCE,))]
    assert len(urls) == len(set(urls)) == ARTICLES
