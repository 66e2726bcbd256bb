"""Which warehouse to use, and connections to it.

Order: an explicit DSN, then `ETL_DATABASE_URL`, then an embedded PostgreSQL (pgserver) whose
data lives under `.etl/pgdata` in the working directory and survives between runs.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

EMBEDDED_DIR_ENV = "ETL_EMBEDDED_PGDATA"


class DatabaseUnavailable(RuntimeError):
    """The warehouse cannot be reached; the message names the host, never the password."""


def embedded_data_dir() -> Path:
    return Path(os.environ.get(EMBEDDED_DIR_ENV) or Path.cwd() / ".etl" / "pgdata").resolve()


def start_embedded(data_dir: str | os.PathLike | None = None) -> str:
    """Start (or reuse) the embedded server and return its DSN. The server outlives this process."""
    import warnings

    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import; harmless here
        warnings.simplefilter("ignore")
        import pgserver

    data_dir = Path(data_dir) if data_dir else embedded_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    return server.get_uri()


def resolve_dsn(dsn: str | None = None) -> str:
    return dsn or os.environ.get("ETL_DATABASE_URL") or start_embedded()


def mask_dsn(dsn: str) -> str:
    """The DSN with any password replaced by ***, in URL or key=value form."""
    dsn = re.sub(r"(://[^:/@?]*:)([^@/?]*)@", lambda m: m.group(1) + ("***" if m.group(2) else "") + "@", dsn)
    return re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", dsn, flags=re.I)


def dsn_host(dsn: str) -> str:
    try:
        info = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "?"
    return f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


def connect(dsn: str | None = None, **kwargs) -> psycopg.Connection:
    dsn = resolve_dsn(dsn)
    try:
        return psycopg.connect(dsn, connect_timeout=10, **kwargs)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else exc.__class__.__name__
        raise DatabaseUnavailable(f"cannot connect to the warehouse at {dsn_host(dsn)}: {mask_dsn(reason)}") from exc


@contextmanager
def scratch_database(server_dsn: str, prefix: str = "etl_scratch") -> Iterator[str]:
    """A new, empty database on the server, yielded as a DSN and dropped afterwards (even with
    sessions still open). For tests and benchmarks, which must never touch a real warehouse."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield psycopg.conninfo.make_conninfo(server_dsn, dbname=name)
    finally:
        with psycopg.connect(server_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
