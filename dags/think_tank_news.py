"""One DAG per source of the sources file: discover -> plan_chunks -> [fetch -> extract_and_load][] -> finish -> check.

Thin orchestration over `etl.pipeline`: tasks exchange batch ids, chunk ranges and counts (XCom), never
page bodies; the raw store in the warehouse is the hand-off. The batch's URLs are cut into chunks and
a task group (fetch the chunk, then extract and load it) is mapped over them (dynamic task mapping):
one chunk is fetched at a time, politely, while the chunks already fetched are extracted and loaded
on the other workers. Importing this file reads the sources file and nothing else: no database, no
network, no heavy imports.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task, task_group

from etl.sources import Source, load_sources_file

try:  # dags/plugins/, which must also be Airflow's plugins_folder (the timetable is registered there)
    from etl_timetables import UpcomingCronDataIntervalTimetable
except ImportError as exc:
    raise ImportError("the DAGs' timetable is the project's plugin dags/plugins/etl_timetables.py: set "
                      "AIRFLOW__CORE__PLUGINS_FOLDER to the project's dags/plugins/ folder") from exc

WAREHOUSE_CONN_ID = "etl_warehouse"  # the same as etl.setup.WAREHOUSE_CONN_ID (not imported: keeps import light)
# Downstream DAGs of analysts can schedule on it: an event per loaded chunk, with the source and counts.
WAREHOUSE_ARTICLES = Asset(name="etl_warehouse_core_articles", uri="etl://warehouse/core.articles")

DEFAULT_ARGS = {
    "owner": "etl",
    "retries": int(os.environ.get("ETL_TASK_RETRIES", "3")),
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}

# Per task, generous: a task past its limit is stuck (a hung site, a lock), and fails to be retried.
TIMEOUTS = {
    "discover": timedelta(minutes=30),
    "fetch": timedelta(hours=6),       # one chunk, politeness-bound: 500 pages at 0.05 request/s take 2.8 h
    "plan_chunks": timedelta(minutes=5),
    "extract_and_load": timedelta(hours=2),  # one chunk, the load's lock wait included
    "finish": timedelta(minutes=5),
    "check": timedelta(minutes=30),
}

PARAMS = {
    "refresh": Param(False, type="boolean",
                     description="Fetch article URLs already loaded again (conditional GETs: unchanged pages cost a 304)."),
    "published_from": Param(None, type=["null", "string"], format="date",
                            description="Backfill window start (YYYY-MM-DD, inclusive); with published_to, only "
                                        "entries the feeds and sitemaps date in [from, to) are fetched."),
    "published_to": Param(None, type=["null", "string"], format="date",
                          description="Backfill window end (YYYY-MM-DD, exclusive)."),
    "chunk_size": Param(None, type=["null", "integer"], minimum=1,
                        description="URLs per chunk, each fetched, then extracted and loaded, by its own mapped "
                                    "tasks (default ETL_CHUNK_SIZE or 500)."),
}

DOC_MD = """\
### Think-tank news: {name}

Crawls **{hosts}**, extracts article fields and events, loads the warehouse (`core.*`).

`discover` (finds new article URLs, opens a batch) -> `plan_chunks` (cuts the batch's URLs into
chunks) -> for each chunk, `fetch` (polite: one chunk at a time per run, the host's rate shared with
every other run and worker) then `extract_and_load` (on any free worker, while the next chunk is
fetched) -> `finish` (the batch's counts) -> `check` (data quality).

Trigger with params (UI or `airflow dags trigger --conf`): `refresh`, a backfill window
`published_from` / `published_to` (dates), `chunk_size`. A backfill run without a window uses its data
interval. Setup (once, and after upgrades): `python -m etl setup`; a run whose setup is missing fails
its first task saying so. Emits the asset `etl://warehouse/core.articles` on every load.
"""


def warehouse_dsn() -> str | None:
    """The `etl_warehouse` Airflow connection as a libpq DSN. Without it: an error saying to run
    `python -m etl setup`, unless ETL_ALLOW_DEFAULT_WAREHOUSE allows ETL_DATABASE_URL or the
    embedded database (local tests, `make demo`), then None."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook
    from airflow.sdk.exceptions import AirflowNotFoundException
    from psycopg.conninfo import make_conninfo

    from etl.setup import LIBPQ_EXTRA_KEYS, default_warehouse_allowed, missing_connection_error

    try:
        conn = PostgresHook(postgres_conn_id=WAREHOUSE_CONN_ID).connection
    except AirflowNotFoundException:
        if default_warehouse_allowed():
            return None
        raise missing_connection_error() from None
    params = {"host": conn.host, "port": conn.port, "dbname": conn.schema, "user": conn.login,
              "password": conn.password}
    # TLS and session settings kept in the connection's extra (sslmode, sslrootcert, ...).
    params.update({key: value for key, value in conn.extra_dejson.items() if key in LIBPQ_EXTRA_KEYS})
    return make_conninfo(**{key: value for key, value in params.items() if value is not None and value != ""})


def ready_warehouse_dsn() -> str | None:
    """The warehouse, checked: its migrations are all applied (a read; `python -m etl setup` migrates).
    With the default warehouse allowed (local use), it is migrated here instead. Missing setup fails
    the task at once, without retries: waiting will not create the connection."""
    from airflow.sdk.exceptions import AirflowFailException

    from etl.setup import SetupMissing, check_ready

    try:
        dsn = warehouse_dsn()
        if dsn is None:  # allowed local fallback: nobody ran setup for it, so do its part
            from etl.store.migrate import migrate

            migrate(None)
        check_ready(dsn)
    except SetupMissing as exc:
        raise AirflowFailException(str(exc)) from exc
    return dsn


def timetable(source: Source):
    """Data intervals, not bare trigger times: every run, a backfill's above all, covers [start, end).
    Unpausing never starts a run by itself: the first scheduled run comes at the next tick (see the plugin)."""
    if source.schedule == "@once":
        return "@once"
    return UpcomingCronDataIntervalTimetable(source.schedule, timezone="UTC")


def publication_window(context):
    """The publication dates a run is after: the `published_from`/`published_to` params when given,
    else a backfill run's data interval; None (whatever is new) otherwise."""
    import datetime as dt

    from etl.crawl import DateWindow

    params = context.get("params") or {}
    start, end = params.get("published_from"), params.get("published_to")
    if start or end:
        return DateWindow(dt.date.fromisoformat(start) if start else dt.date.min,
                          dt.date.fromisoformat(end) if end else dt.date.max)
    run_type = context["dag_run"].run_type
    if getattr(run_type, "value", run_type) != "backfill":
        return None
    return DateWindow(context["data_interval_start"].date(), context["data_interval_end"].date())


backfill_window = publication_window  # the older name


def build_dag(source: Source, check_thresholds: dict[str, int] | None = None):
    @dag(
        dag_id=f"think_tank_news__{source.name}",
        description=f"Fetch, extract and load the news of {source.name}",
        doc_md=DOC_MD.format(name=source.name, hosts=", ".join(sorted(source.hosts))),
        schedule=timetable(source),
        start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
        catchup=False,
        max_active_runs=1,  # scheduled and manual runs never overlap (a backfill has its own limit, see README)
        default_args=DEFAULT_ARGS,
        params=PARAMS,
        tags=["think-tank-news", source.name],
    )
    def think_tank_news():
        @task(execution_timeout=TIMEOUTS["discover"])
        def discover() -> dict:
            from etl import pipeline

            dsn = ready_warehouse_dsn()  # fails here, saying what to run, when setup is missing
            context = get_current_context()
            return pipeline.discover(source, dsn, refresh=bool(context["params"].get("refresh")),
                                     window=publication_window(context))

        @task(execution_timeout=TIMEOUTS["plan_chunks"])
        def plan_chunks(discovered: dict) -> list[dict]:
            from etl import pipeline

            size = get_current_context()["params"].get("chunk_size")
            # At least one (empty) chunk: the load and the asset event happen even when nothing was discovered.
            return pipeline.chunks(discovered["batch_id"], warehouse_dsn(), size, before_fetch=True) or [
                {"batch_id": discovered["batch_id"], "index": 0, "first_position": 0, "last_position": -1, "pages": 0}]

        # One chunk fetched at a time per run: the fetch is bound by the site's rate, not by workers,
        # and a second fetch would only wait for the same host slots while holding a worker. The
        # default weight rule ("downstream") puts the next chunk's fetch before ready extracts when
        # a worker frees up, so the fetch never stalls and extraction fills the other workers.
        @task(execution_timeout=TIMEOUTS["fetch"], max_active_tis_per_dagrun=1)
        def fetch(chunk: dict) -> dict:
            from etl import pipeline

            return {"chunk": chunk, **pipeline.fetch(chunk["batch_id"], source, warehouse_dsn(), chunk=chunk)}

        # Extract then load in one task: executors hand tasks over first in, first out, and with
        # extract and load as separate tasks every ready extract was queued before any load, so the
        # loads (which take the warehouse lock in turn) all ran last, one at a time (seen under the
        # real scheduler). A retry reruns both stages; the extract resumes by page and goes to the load.
        @task(execution_timeout=TIMEOUTS["extract_and_load"], outlets=[WAREHOUSE_ARTICLES])
        def extract_and_load(fetched: dict) -> dict:
            from etl import pipeline

            dsn, chunk = warehouse_dsn(), fetched["chunk"]
            extracted = pipeline.extract(chunk["batch_id"], source, dsn, chunk=chunk)
            counts = pipeline.load(chunk["batch_id"], dsn, chunk=chunk)
            get_current_context()["outlet_events"][WAREHOUSE_ARTICLES].extra = {
                "source": source.name, "batch_id": chunk["batch_id"], "chunk": chunk["index"],
                "inserted": counts.get("inserted", 0), "updated": counts.get("updated", 0)}
            fetch_counts = {k: v for k, v in fetched.items() if k != "chunk"}
            return {**fetch_counts, **extracted, **counts}

        # Mapped over the chunks; a chunk's extract_and_load waits for its own fetch only (same map
        # index). Task ids stay "fetch" and "extract_and_load".
        @task_group(group_id="chunk", prefix_group_id=False)
        def chunk_pipeline(chunk: dict):
            return extract_and_load(fetch(chunk))

        @task(execution_timeout=TIMEOUTS["finish"])
        def finish(discovered: dict, loaded: list[dict]) -> dict:
            """The batch's counts: discover's, plus every chunk's fetch, extract and load counts."""
            from etl import pipeline

            # A mapped task group's results arrive as a list, except from a group of one instance:
            # Airflow then hands over that instance's value alone.
            parts = [loaded] if isinstance(loaded, dict) else loaded
            stats = {**discovered, "chunks": 0}
            for part in parts:
                stats["chunks"] += 1
                stats = pipeline.add_counts(stats, part)
            pipeline.finish(discovered["batch_id"], stats, warehouse_dsn())
            return stats

        # A failed check is a data problem, not a transient one: no retries.
        @task(retries=0, execution_timeout=TIMEOUTS["check"])
        def check(finished: dict) -> dict:
            """Data quality checks on this source's rows; fails naming the checks and offending rows."""
            from etl.store import db
            from etl.store.checks import check_warehouse

            with db.connect(warehouse_dsn()) as conn:
                results = check_warehouse(conn, [source], source.name, thresholds=check_thresholds)
            return {"checks_passed": len(results)}

        discovered = discover()
        loaded = chunk_pipeline.expand(chunk=plan_chunks(discovered))
        check(finish(discovered, loaded))

    return think_tank_news()


def _sources_file():
    """The sources file, its `checks:` section validated too: a typo there fails the DAG import, not a
    run's last task."""
    from etl.store.checks import configured_checks  # light: the check declarations, no database

    settings = load_sources_file()
    configured_checks(settings.check_thresholds, settings.path)
    return settings


_SETTINGS = _sources_file()
for _source in _SETTINGS.sources:
    globals()[f"think_tank_news__{_source.name}"] = build_dag(_source, _SETTINGS.check_thresholds)
