"""The warehouse schema: ordered SQL migrations from `sql/NNN_name.sql`, each applied once and
recorded, and the views of `sql/views/NNN_schema.name.sql`, recreated whenever one of them changed.

Tables and indexes hold data, so they only ever change by a new migration. Views hold none: each
lives in one file (with its comments) that is edited in place, and `migrate` drops every view of the
`core` and `reporting` schemas and creates them again from the files, in file order (a view's file
comes after those of the views it reads), in the same transaction as the migrations.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from etl.store import db

SQL_DIR = Path(os.environ.get("ETL_SQL_DIR") or Path(__file__).resolve().parents[2] / "sql")
_MIGRATION_FILE = re.compile(r"^(\d{3})_[\w-]+\.sql$")
_VIEW_FILE = re.compile(r"^(\d{3})_([a-z_]+\.[a-z_0-9]+)\.sql$")
# The schemas whose views are all ours, defined by sql/views/ (analysts cannot create any there).
VIEW_SCHEMAS = ("core", "reporting")
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


@dataclass(frozen=True)
class ViewFile:
    number: str
    name: str  # schema.view
    sql: str


def available_views(sql_dir: Path = SQL_DIR) -> list[ViewFile]:
    views_dir = sql_dir / "views"
    views = []
    for path in sorted(views_dir.glob("*.sql")) if views_dir.is_dir() else []:
        match = _VIEW_FILE.match(path.name)
        if not match:
            raise RuntimeError(f"{path.name} in {views_dir} is not named NNN_schema.view.sql")
        views.append(ViewFile(match.group(1), match.group(2), path.read_text(encoding="utf-8")))
    names = [v.name for v in views]
    if len(names) != len(set(names)):
        raise RuntimeError(f"a view is defined by two files in {views_dir}: {names}")
    return views


def views_checksum(views: list[ViewFile]) -> str:
    digest = hashlib.sha256()
    for view in views:
        digest.update(f"{view.number}_{view.name}\0{view.sql}\0".encode())
    return digest.hexdigest()


def migrate(dsn: str | None = None, sql_dir: Path = SQL_DIR) -> list[str]:
    """Apply the migrations not yet applied and recreate the views when they changed (or a migration
    ran), all in one transaction; returns the names of the migrations applied. Safe to run concurrently."""
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
            conn.execute(
                """CREATE TABLE IF NOT EXISTS public.etl_schema_views (
                       id boolean PRIMARY KEY DEFAULT true CHECK (id),
                       checksum text NOT NULL,
                       created_at timestamptz NOT NULL DEFAULT now())"""
            )
            applied = dict(conn.execute("SELECT version, checksum FROM public.etl_schema_migrations").fetchall())
            available = available_migrations(sql_dir)
            _check_history(applied, available)
            views = available_views(sql_dir)
            pending = [m for m in available if m.version not in applied]
            stored_views = conn.execute("SELECT checksum FROM public.etl_schema_views").fetchone()
            if not pending and stored_views and stored_views[0] == views_checksum(views):
                return applied_now  # nothing to do: no view is dropped, so no reader waits
            with conn.transaction():
                # Views first out of the way, so a migration may change the columns they read.
                _drop_views(conn)
                for migration in pending:
                    conn.execute(migration.sql)
                    conn.execute(
                        "INSERT INTO public.etl_schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                        (migration.version, migration.name, migration.checksum),
                    )
                    applied_now.append(migration.name)
                _drop_views(conn)  # and those the migrations made (the early ones created views)
                _create_views(conn, views)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_ADVISORY_LOCK_KEY,))
    return applied_now


def _drop_views(conn) -> None:
    """Every view of the view schemas, whoever created it (old migrations created some)."""
    for (view,) in conn.execute(
            """SELECT format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind = 'v' AND n.nspname = ANY(%s) ORDER BY c.oid DESC""",
            (list(VIEW_SCHEMAS),)).fetchall():
        conn.execute(f"DROP VIEW IF EXISTS {view} CASCADE")


def _create_views(conn, views: list[ViewFile]) -> None:
    for view in views:
        try:
            conn.execute(view.sql)
        except Exception as exc:
            raise MigrationError(f"view file {view.number}_{view.name}.sql failed: {exc}") from exc
    # The analysts' role reads every view (default privileges cover views created by the migrating
    # user only).
    if conn.execute("SELECT FROM pg_roles WHERE rolname = 'etl_analyst'").fetchone():
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA core, reporting TO etl_analyst")
    conn.execute(
        """INSERT INTO public.etl_schema_views (checksum) VALUES (%s)
           ON CONFLICT (id) DO UPDATE SET checksum = EXCLUDED.checksum, created_at = now()""",
        (views_checksum(views),))


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
