"""Migrations (tables, append-only) and view files (recreated by `migrate`)."""

from __future__ import annotations

import re
import shutil

import psycopg
import pytest

from etl.store.migrate import SQL_DIR, MigrationError, available_migrations, available_views, migrate


def _view_oids(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        return dict(conn.execute("""SELECT n.nspname || '.' || c.relname, c.oid::int FROM pg_class c
                                    JOIN pg_namespace n ON n.oid = c.relnamespace
                                    WHERE c.relkind = 'v' AND n.nspname IN ('core', 'reporting')""").fetchall())


def test_no_migration_creates_a_view_after_the_views_moved_to_their_files():
    for migration in available_migrations():
        if int(migration.version) >= 50:
            assert not re.search(r"CREATE\s+(OR\s+REPLACE\s+)?VIEW", migration.sql, re.I), migration.name


def test_every_view_file_creates_the_view_it_is_named_after():
    for view in available_views():
        assert re.search(rf"CREATE VIEW {re.escape(view.name)} AS", view.sql), view.name
        assert f"COMMENT ON VIEW {view.name} IS" in view.sql, view.name


def test_views_come_from_their_files_and_a_rerun_leaves_them_alone(database_url):
    migrate(database_url)
    views = _view_oids(database_url)
    assert set(views) == {view.name for view in available_views()}
    assert migrate(database_url) == []
    assert _view_oids(database_url) == views  # not dropped again: readers are never blocked for nothing


def test_a_changed_view_file_is_recreated_without_editing_any_migration(database_url, tmp_path):
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    migrate(database_url, sql_dir)
    [articles] = sql_dir.glob("views/*_reporting.articles.sql")
    articles.write_text(articles.read_text().replace("one row per canonical URL.", "one row per URL (edited)."))
    assert migrate(database_url, sql_dir) == []  # no migration applied, none edited
    with psycopg.connect(database_url) as conn:
        comment = conn.execute("SELECT obj_description('reporting.articles'::regclass, 'pg_class')").fetchone()[0]
        assert comment.endswith("one row per URL (edited).")
        # A view that reads another one was recreated too (the drop cascades, the files recreate).
        assert conn.execute("SELECT count(*) FROM reporting.events_by_month").fetchone() == (0,)


def test_a_warehouse_migrated_before_the_views_moved_migrates_cleanly(database_url):
    """The old layout: migrations up to 024 created the views themselves, and there were no view
    files. Applied here as the migrate of that time did: each file once, recorded."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("""CREATE TABLE public.etl_schema_migrations (version text PRIMARY KEY, name text NOT NULL,
                        checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())""")
        for migration in available_migrations():
            if int(migration.version) <= 24:
                with conn.transaction():
                    conn.execute(migration.sql)
                    conn.execute("INSERT INTO public.etl_schema_migrations (version, name, checksum) "
                                 "VALUES (%s, %s, %s)", (migration.version, migration.name, migration.checksum))
        conn.execute("SELECT count(*) FROM reporting.organizer_activity").fetchone()
    applied = migrate(database_url)
    assert all(int(name[:3]) > 24 for name in applied)
    assert set(_view_oids(database_url)) == {view.name for view in available_views()}


def test_a_broken_view_file_leaves_the_warehouse_as_it_was(database_url, tmp_path):
    sql_dir = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql_dir)
    migrate(database_url, sql_dir)
    before = _view_oids(database_url)
    [events] = sql_dir.glob("views/*_reporting.events.sql")
    events.write_text(events.read_text().replace("FROM core.events e", "FROM core.no_such_table e", 1))
    with pytest.raises(MigrationError, match="reporting.events"):
        migrate(database_url, sql_dir)
    assert _view_oids(database_url) == before  # one transaction: the old views are still there


def test_the_warehouse_database_gets_its_query_settings(database_url):
    """jit off (050) and 64 MB of work_mem (054): new sessions on the warehouse start with them."""
    migrate(database_url)
    with psycopg.connect(database_url) as conn:  # a new session
        assert conn.execute("SHOW jit").fetchone()[0] == "off"
        assert conn.execute("SHOW work_mem").fetchone()[0] == "64MB"
