"""Ordered SQL migrations from `sql/NNN_name.sql`, each applied once and recorded."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from etl import db

SQL_DIR = Path(os.environ.get("ETL_SQL_DIR") or Path(__file__).resolve().parent.parent / "sql")
_MIGRATION_FILE = re.compile(r"^(\d{3})_[\w-]+\.sql$")
# Any constant works; it only has to be the same for every process that migrates this warehouse.
_ADVISORY_LOCK_KEY = 7_310_412_021


class MigrationError(RuntimeError):
    """The warehouse's migration history does not match sql/: fix that before anything runs on it."""


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available_migrations(sql_dir: Path = SQL_DIR) -> list[Migration]:
    if not sql_dir.is_dir():
        # An installed (non-editable) package has no sql/ beside it: say so rather than apply nothing.
        raise RuntimeError(f"no migrations directory at {sql_dir}: set ETL_SQL_DIR to the project's sql/")
    migrations = []
    for path in sorted(sql_dir.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if match:
            migrations.append(Migration(match.group(1), path.stem, path.read_text(encoding="utf-8")))
    if not migrations:
        raise RuntimeError(f"no NNN_name.sql migrations in {sql_dir}")
    versions = [m.version for m in migrations]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"two migrations share a number in {sql_dir}: {versions}")
    return migrations


def migrate(dsn: str | None = None, sql_dir: Path = SQL_DIR) -> list[str]:
    """Apply the migrations not yet applied; returns their names. Safe to run concurrently."""
    applied_now = []
    with db.connect(dsn, autocommit=True) as conn:
        # Serialises concurrent migrators (two DAG runs starting together).
        conn.execute("SELECT pg_advisory_lock(%s)", (_ADVISORY_LOCK_KEY,))
        try:
            conn.execute(
                """CREATE TABLE IF NOT EXISTS public.etl_schema_migrations (
                       version text PRIMARY KEY,
                       name text NOT NULL,
                       checksum text NOT NULL,
                       applied_at timestamptz NOT NULL DEFAULT now())"""
            )
            applied = dict(conn.execute("SELECT version, checksum FROM public.etl_schema_migrations").fetchall())
            available = available_migrations(sql_dir)
            _check_history(applied, available)
            done = set(applied)
            for migration in available:
                if migration.version in done:
                    continue
                with conn.transaction():
                    conn.execute(migration.sql)
                    conn.execute(
                        "INSERT INTO public.etl_schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                        (migration.version, migration.name, migration.checksum),
                    )
                applied_now.append(migration.name)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_ADVISORY_LOCK_KEY,))
    return applied_now


def _check_history(applied: dict[str, str], available: list[Migration]) -> None:
    """Applied migrations must be the files in sql/, unchanged: an edited or removed one would leave
    the warehouse different from what a fresh one gets, silently."""
    by_version = {m.version: m for m in available}
    changed = [by_version[v].name for v, checksum in applied.items() if v in by_version
               and by_version[v].checksum != checksum]
    missing = sorted(set(applied) - set(by_version))
    if changed or missing:
        problems = ([f"changed after being applied: {', '.join(changed)}"] if changed else []) + \
                   ([f"applied but no longer in sql/: {', '.join(missing)}"] if missing else [])
        raise MigrationError("the warehouse's migrations do not match sql/ (" + "; ".join(problems) +
                             "): add a new migration instead of editing one that was applied")


def pending_migrations(dsn: str | None = None, sql_dir: Path = SQL_DIR) -> list[str]:
    """Names of the migrations of sql/ not applied to the warehouse yet (all of them on an empty one).
    Reads only: what a DAG run checks instead of migrating on every run."""
    available = available_migrations(sql_dir)
    with db.connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('public.etl_schema_migrations')").fetchone()[0] is None:
            return [m.name for m in available]
        applied = dict(conn.execute("SELECT version, checksum FROM public.etl_schema_migrations").fetchall())
    _check_history(applied, available)
    return [m.name for m in available if m.version not in applied]
