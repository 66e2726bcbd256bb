"""The real DAG: it imports cleanly and cheaply, and dag.test() loads the sample site."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from conftest import PROJECT_DIR, SAMPLE_SOURCES
from etl.setup import SetupMissing

DAG_FILE = PROJECT_DIR / "dags" / "think_tank_news.py"


def load_dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAG_FILE))


def test_shipped_sources_give_one_dag_per_source_without_import_errors(monkeypatch):
    from etl.sources import SHIPPED_SOURCES_FILE, load_sources

    monkeypatch.setenv("ETL_SOURCES_FILE", str(SHIPPED_SOURCES_FILE))
    dagbag = load_dagbag()
    assert dagbag.import_errors == {}
    expected = {f"think_tank_news__{s.name}" for s in load_sources(SHIPPED_SOURCES_FILE)}
    assert set(dagbag.dag_ids) == expected and len(expected) >= 8
    dag = dagbag.dags["think_tank_news__bisr"]
    assert [t.task_id for t in dag.topological_sort()] == [
        "discover", "plan_chunks", "fetch", "extract_and_load", "finish", "check"]
    assert dag.max_active_runs == 1 and dag.catchup is False
    # Fetch, and extract-and-load, are mapped over the batch's chunks (a chunk is extracted and
    # loaded while the next is fetched); one fetch at a time per run, and a fetch goes before ready
    # extracts (the downstream weight rule); every task has a time limit; the load announces new
    # data to the analysts' DAGs; a run takes its options as params.
    assert {t.task_id for t in dag.tasks if t.is_mapped} == set()  # mapped as a task group
    assert {t.task_id for t in dag.task_group_dict["chunk"]} == {"fetch", "extract_and_load"}
    assert dag.get_task("extract_and_load").upstream_task_ids == {"fetch"}
    assert dag.get_task("fetch").max_active_tis_per_dagrun == 1
    assert {getattr(t.weight_rule, "value", t.weight_rule) for t in dag.tasks} == {"downstream"}
    assert all(t.execution_timeout for t in dag.tasks)
    assert [outlet.uri for outlet in dag.get_task("extract_and_load").outlets] == ["etl://warehouse/core.articles"]
    assert {"refresh", "published_from", "published_to", "chunk_size"} <= set(dag.params)
    assert "python -m etl setup" in dag.doc_md
    # No pools: a missing one would leave the tasks queued forever; politeness does not need them.
    assert {t.pool for t in dag.tasks} == {"default_pool"}


def test_a_bad_checks_section_fails_the_dag_import_naming_the_check(monkeypatch, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SAMPLE_SOURCES.read_text(encoding="utf-8")
                       + "checks:\n  silent_source: {threshold: 4}\n", encoding="utf-8")
    monkeypatch.setenv("ETL_SOURCES_FILE", str(sources))
    dagbag = load_dagbag()
    assert dagbag.dag_ids == [] and len(dagbag.import_errors) == 1
    assert "no check named 'silent_source'" in next(iter(dagbag.import_errors.values()))


def test_importing_the_dag_file_does_no_database_or_pipeline_work():
    # An unreachable warehouse must not matter at import time, and the heavy modules stay unloaded.
    code = (
        "import runpy, sys; runpy.run_path(sys.argv[1]);"
        "heavy = [m for m in ('etl.pipeline', 'etl.crawl', 'etl.extract', 'etl.store.db', 'psycopg') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    env = {"ETL_DATABASE_URL": "postgresql://nobody:x@192.0.2.1:5432/none", "PATH": "/usr/bin:/bin",
           "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_DIR / "dags" / "plugins")}
    out = subprocess.run([sys.executable, "-c", code, str(DAG_FILE)], capture_output=True, text=True,
                         env=env, check=True, timeout=120).stdout.strip()
    assert out == ""


def test_dag_test_loads_the_sample_site(airflow_metadata_db, sample_site, database_url, monkeypatch):
    monkeypatch.setenv("ETL_SOURCES_FILE", str(SAMPLE_SOURCES))
    monkeypatch.setenv("ETL_TASK_RETRIES", "0")  # a failing task fails the test at once
    monkeypatch.setenv("ETL_ALLOW_DEFAULT_WAREHOUSE", "1")  # no connection: ETL_DATABASE_URL, migrated by the run
    dag = load_dagbag().dags["think_tank_news__sample"]
    dag_run = dag.test()
    assert dag_run.state == "success"
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT language, title FROM core.articles ORDER BY url").fetchall()
        failed = conn.execute("SELECT count(*) FROM raw.batch_urls WHERE outcome = 'failed'").fetchone()[0]
        stats, finished = conn.execute("SELECT stats, finished_at FROM raw.batches").fetchone()
    assert len(rows) == 4 and {lang for lang, _ in rows} == {"en", "ru"}
    assert failed == 1
    # The batch records every stage's counts, as a CLI run does.
    assert finished is not None
    assert (stats["discovered"], stats["fetched"], stats["extracted"], stats["inserted"]) == (5, 4, 4, 4)


def dag_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("think_tank_news_module", DAG_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_warehouse_connection_gives_the_dsn_with_its_tls_and_session_settings(monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_ETL_WAREHOUSE", "postgres://etl:s3cret@db.example:5433/warehouse"
                                                    "?sslmode=verify-full&keepalives=0&application_name=etl&colour=red")
    assert dag_module().warehouse_dsn() == ("host=db.example port=5433 dbname=warehouse user=etl password=s3cret "
                                            "sslmode=verify-full keepalives=0 application_name=etl")
    monkeypatch.delenv("AIRFLOW_CONN_ETL_WAREHOUSE")
    # Without the connection, inside Airflow: an error saying what to run, unless explicitly allowed.
    monkeypatch.delenv("ETL_ALLOW_DEFAULT_WAREHOUSE", raising=False)
    with pytest.raises(SetupMissing, match=r"no Airflow connection `etl_warehouse`: run `python -m etl setup`"):
        dag_module().warehouse_dsn()
    monkeypatch.setenv("ETL_ALLOW_DEFAULT_WAREHOUSE", "1")
    assert dag_module().warehouse_dsn() is None  # then ETL_DATABASE_URL, then the embedded default


def test_runs_cover_data_intervals_and_a_backfill_is_bounded_by_its_interval():
    import datetime as dt
    from types import SimpleNamespace

    import pendulum
    from airflow.timetables.interval import CronDataIntervalTimetable

    from etl.crawl import DateWindow

    module = dag_module()
    dag = next(iter(load_dagbag().dags.values()))
    assert isinstance(dag.timetable, CronDataIntervalTimetable)

    def context(run_type, params=None):
        return {"dag_run": SimpleNamespace(run_type=run_type), "params": params or {},
                "data_interval_start": pendulum.datetime(2021, 12, 1, tz="UTC"),
                "data_interval_end": pendulum.datetime(2022, 1, 1, tz="UTC")}

    assert module.publication_window(context("backfill")) == DateWindow(dt.date(2021, 12, 1), dt.date(2022, 1, 1))
    assert module.publication_window(context("scheduled")) is None
    assert module.publication_window(context("manual")) is None
    # A window given as params (`airflow dags trigger --conf`) wins, for any kind of run.
    window = {"published_from": "2021-12-05", "published_to": "2021-12-20"}
    assert module.publication_window(context("manual", window)) == DateWindow(dt.date(2021, 12, 5), dt.date(2021, 12, 20))
    assert module.publication_window(context("manual", {"published_from": "2021-12-05"})) == \
        DateWindow(dt.date(2021, 12, 5), dt.date.max)


def test_unpausing_never_starts_a_run_of_an_interval_already_past(monkeypatch):
    """Airflow's cron timetable with catchup=False schedules the latest complete interval, whose tick
    is past: unpausing starts it at once, behind a manual run triggered with the unpause. The DAGs'
    timetable waits for the interval in progress instead, but never skips the one after the last run."""
    import pendulum
    from airflow.serialization.decoders import decode_timetable
    from airflow.serialization.encoders import encode_timetable
    from airflow.timetables.base import DataInterval, TimeRestriction
    from airflow.timetables.interval import CronDataIntervalTimetable

    import etl_timetables

    def at(day, hour, minute=0):
        return pendulum.datetime(2026, 3, day, hour, minute, tz="UTC")

    dag = next(iter(load_dagbag().dags.values()))
    timetable = dag.timetable
    assert isinstance(timetable, etl_timetables.UpcomingCronDataIntervalTimetable)
    # Registered as a plugin: the dag-processor can serialize it and the scheduler read it back.
    assert type(decode_timetable(encode_timetable(timetable))).__name__ == "UpcomingCronDataIntervalTimetable"

    daily = etl_timetables.UpcomingCronDataIntervalTimetable("@daily", "UTC")
    no_catchup = TimeRestriction(earliest=pendulum.datetime(2024, 1, 1, tz="UTC"), latest=None, catchup=False)

    def next_run(last: DataInterval | None, now, timetable=daily, restriction=no_catchup):
        monkeypatch.setattr(etl_timetables, "now", lambda: now)
        monkeypatch.setattr("airflow.timetables.interval.utcnow", lambda: now)
        return timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)

    # Never run: Airflow's own timetable would start yesterday's interval now; ours waits for tonight.
    stock = next_run(None, at(10, 12), timetable=CronDataIntervalTimetable("@daily", "UTC"))
    assert stock.run_after == at(10, 0) < at(10, 12)
    first = next_run(None, at(10, 12))
    assert (first.run_after, first.data_interval) == (at(11, 0), DataInterval(at(10, 0), at(11, 0)))
    # Paused for days: the missed intervals are skipped, nothing starts at the unpause.
    assert next_run(DataInterval(at(4, 0), at(5, 0)), at(10, 12)).run_after == at(11, 0)
    # Running on schedule: the interval after the last run, even when the scheduler is late for it
    # (or the DAG file is parsed just past the tick): never skipped.
    assert next_run(DataInterval(at(8, 0), at(9, 0)), at(9, 0, 1)).data_interval == DataInterval(at(9, 0), at(10, 0))
    late = next_run(DataInterval(at(8, 0), at(9, 0)), at(10, 0, 1))
    assert (late.run_after, late.data_interval) == (at(10, 0), DataInterval(at(9, 0), at(10, 0)))
    # With catchup (what a backfill iterates), Airflow's own intervals from the start date.
    catchup = TimeRestriction(earliest=at(1, 0), latest=None, catchup=True)
    assert next_run(None, at(10, 12), restriction=catchup).data_interval == DataInterval(at(1, 0), at(2, 0))
