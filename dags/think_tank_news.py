"""One DAG per source of the sources file: discover -> fetch -> extract -> load -> check.

Thin orchestration over `etl.pipeline`: tasks exchange batch ids and counts (XCom), never page bodies;
the raw store in the warehouse is the hand-off. Importing this file reads the sources file and nothing
else: no database, no network, no heavy imports.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import CronDataIntervalTimetable, dag, get_current_context, task

from etl.sources import Source, load_sources

WAREHOUSE_CONN_ID = "etl_warehouse"
# libpq parameters an Airflow Postgres connection may carry in its extra (TLS, keepalives, ...).
LIBPQ_EXTRA_KEYS = frozenset({
    "sslmode", "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslsni",
    "sslcompression", "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode", "channel_binding",
    "connect_timeout", "application_name", "options", "target_session_attrs", "keepalives", "keepalives_idle",
    "keepalives_interval", "keepalives_count", "tcp_user_timeout",
})

DEFAULT_ARGS = {
    "owner": "etl",
    "retries": int(os.environ.get("ETL_TASK_RETRIES", "3")),
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}


def warehouse_dsn() -> str | None:
    """The `etl_warehouse` Airflow connection when it exists; else None (ETL_DATABASE_URL / embedded)."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook
    from airflow.sdk.exceptions import AirflowNotFoundException
    from psycopg.conninfo import make_conninfo

    try:
        conn = PostgresHook(postgres_conn_id=WAREHOUSE_CONN_ID).connection
    except AirflowNotFoundException:
        return None
    params = {"host": conn.host, "port": conn.port, "dbname": conn.schema, "user": conn.login,
              "password": conn.password}
    # TLS and session settings kept in the connection's extra (sslmode, sslrootcert, ...).
    params.update({key: value for key, value in conn.extra_dejson.items() if key in LIBPQ_EXTRA_KEYS})
    return make_conninfo(**{key: value for key, value in params.items() if value is not None and value != ""})


def timetable(source: Source):
    """Data intervals, not bare trigger times: every run, a backfill's above all, covers [start, end)."""
    if source.schedule == "@once":
        return "@once"
    return CronDataIntervalTimetable(source.schedule, timezone="UTC")


def backfill_window(context):
    """The publication dates a backfill run is after (its data interval); None for other runs, which
    look for whatever is new."""
    from etl.crawl import DateWindow

    run_type = context["dag_run"].run_type
    if getattr(run_type, "value", run_type) != "backfill":
        return None
    return DateWindow(context["data_interval_start"].date(), context["data_interval_end"].date())


def crawl_pool(source: Source) -> str:
    """One pool (1 slot) per source: two workers never crawl one site at once, so its rate holds."""
    return f"crawl__{source.name}"


def build_dag(source: Source):
    @dag(
        dag_id=f"think_tank_news__{source.name}",
        description=f"Fetch, extract and load the news of {source.name}",
        schedule=timetable(source),
        start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["think-tank-news", source.name],
    )
    def think_tank_news():
        @task(pool=crawl_pool(source))
        def discover() -> dict:
            from etl import pipeline
            from etl.migrate import migrate

            dsn = warehouse_dsn()
            migrate(dsn)
            return pipeline.discover(source, dsn, window=backfill_window(get_current_context()))

        @task(pool=crawl_pool(source))
        def fetch(discovered: dict) -> dict:
            from etl import pipeline

            # Each stage passes on the counts so far: the batch's stats end up complete, as in `etl run`.
            return {**discovered, **pipeline.fetch(discovered["batch_id"], source, warehouse_dsn())}

        @task
        def extract(fetched: dict) -> dict:
            from etl import pipeline

            return {**fetched, **pipeline.extract(fetched["batch_id"], source, warehouse_dsn())}

        @task
        def load(extracted: dict) -> dict:
            from etl import pipeline

            stats = {**extracted, **pipeline.load(extracted["batch_id"], warehouse_dsn())}
            pipeline.finish(extracted["batch_id"], stats, warehouse_dsn())
            return stats

        # A failed check is a data problem, not a transient one: no retries.
        @task(retries=0)
        def check(loaded: dict) -> dict:
            """Data quality checks on this source's rows; fails naming the checks and offending rows."""
            from etl import db
            from etl.checks import check_warehouse

            with db.connect(warehouse_dsn()) as conn:
                results = check_warehouse(conn, [source], source.name)
            return {"checks_passed": len(results)}

        check(load(extract(fetch(discover()))))

    return think_tank_news()


for _source in load_sources():
    globals()[f"think_tank_news__{_source.name}"] = build_dag(_source)
