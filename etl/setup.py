"""`python -m etl setup`: everything the DAGs need before their first run, in one idempotent command.

1. The warehouse migrations (`python -m etl migrate`), on ETL_DATABASE_URL (or --dsn).
2. The Airflow connection `etl_warehouse`, made from the same settings (created or updated), in the
   metadata database of the Airflow installation this process is configured for (AIRFLOW_HOME /
   AIRFLOW__DATABASE__SQL_ALCHEMY_CONN). Skipped with `--no-airflow`.

No pools: a source's crawling politeness does not depend on one (see README "Orchestration").
Run it after `airflow db migrate`, and again after an upgrade (new migrations). A DAG run checks,
as its first step, that it was done (`check_ready`) and fails saying to run it.
"""

from __future__ import annotations

import json
import os

from etl.store import db

WAREHOUSE_CONN_ID = "etl_warehouse"
SETUP_COMMAND = "python -m etl setup"
# Lets a DAG run without the `etl_warehouse` connection, on ETL_DATABASE_URL or the embedded
# PostgreSQL, migrating it itself: for local tests and `make demo` only.
ALLOW_DEFAULT_WAREHOUSE_ENV = "ETL_ALLOW_DEFAULT_WAREHOUSE"
# libpq parameters an Airflow Postgres connection may carry in its extra (TLS, keepalives, ...).
LIBPQ_EXTRA_KEYS = frozenset({
    "sslmode", "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslsni",
    "sslcompression", "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode", "channel_binding",
    "connect_timeout", "application_name", "options", "target_session_attrs", "keepalives", "keepalives_idle",
    "keepalives_interval", "keepalives_count", "tcp_user_timeout",
})


class SetupMissing(RuntimeError):
    """What the DAGs need is not there (connection, migrations); the message says what to run."""


def default_warehouse_allowed() -> bool:
    return (os.environ.get(ALLOW_DEFAULT_WAREHOUSE_ENV) or "").strip().lower() in {"1", "true", "yes"}


def missing_connection_error() -> SetupMissing:
    return SetupMissing(
        f"there is no Airflow connection `{WAREHOUSE_CONN_ID}`: run `{SETUP_COMMAND}` with ETL_DATABASE_URL "
        f"set to the warehouse, where Airflow's metadata database is configured (docker compose's airflow-init "
        f"does it). For local tests and `make demo` only, {ALLOW_DEFAULT_WAREHOUSE_ENV}=1 lets the DAG use "
        f"ETL_DATABASE_URL or the embedded PostgreSQL instead.")


def check_ready(dsn: str | None) -> None:
    """Raise SetupMissing unless every migration is applied to the warehouse (a read, not a migration)."""
    from etl.store.migrate import pending_migrations

    pending = pending_migrations(dsn)
    if pending:
        raise SetupMissing(
            f"the warehouse at {db.dsn_host(db.resolve_dsn(dsn))} lacks {len(pending)} migration(s) "
            f"({', '.join(pending[:3])}{', ...' if len(pending) > 3 else ''}): run `{SETUP_COMMAND}`")


def connection_fields(dsn: str) -> dict:
    """The Airflow Postgres connection for a libpq DSN (URL or key=value; a unix-socket host kept)."""
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(dsn)
    extra = {key: str(value) for key, value in info.items() if key in LIBPQ_EXTRA_KEYS}
    return {"conn_type": "postgres", "host": info.get("host"), "port": int(info["port"]) if info.get("port") else None,
            "schema": info.get("dbname"), "login": info.get("user"), "password": info.get("password"),
            "extra": json.dumps(extra) if extra else None}


def ensure_airflow_connection(dsn: str, conn_id: str = WAREHOUSE_CONN_ID) -> str:
    """Create or update the connection in the configured Airflow metadata database; 'created',
    'updated' or 'unchanged'."""
    from airflow.models import Connection
    from airflow.utils.session import create_session

    fields = connection_fields(dsn)
    with create_session() as session:
        existing = session.query(Connection).filter(Connection.conn_id == conn_id).one_or_none()
        if existing is None:
            session.add(Connection(conn_id=conn_id, description="the ETL warehouse (python -m etl setup)", **fields))
            return "created"
        current = {"conn_type": existing.conn_type, "host": existing.host, "port": existing.port,
                   "schema": existing.schema, "login": existing.login, "password": existing.password,
                   "extra": existing.extra or None}
        if current == fields:
            return "unchanged"
        for name, value in fields.items():
            setattr(existing, name, value)
        return "updated"


def setup(dsn: str | None = None, *, airflow: bool = True) -> list[str]:
    """Migrate the warehouse and (with `airflow`) create its Airflow connection; returns what was done."""
    from etl.store.migrate import migrate

    dsn = db.resolve_dsn(dsn)
    applied = migrate(dsn)
    done = [f"warehouse {db.dsn_host(dsn)}: applied {len(applied)} migration(s)"
            + (f" ({', '.join(applied)})" if applied else "")]
    if airflow:
        outcome = ensure_airflow_connection(dsn)
        done.append(f"Airflow connection {WAREHOUSE_CONN_ID}: {outcome}")
    return done
