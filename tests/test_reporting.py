"""The reporting layer over the loaded sample site: numbers, documentation, the analyst role, `report`."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import threading
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors

from conftest import PROJECT_DIR, SAMPLE_SOURCES
from etl.store.db import scratch_database
from etl.store.migrate import migrate

EN_REPORT = "https://bisr.gov.by/en/uchastie-v-meropriyatiyakh/liderstvo-stabilnost-progress-na-polyakh-evrazii-gorizonty-razvitiya"
RU_REPORT = "https://bisr.gov.by/uchastie-v-meropriyatiyakh/liderstvo-stabilnost-progress-na-polyakh-evrazii-gorizonty-razvitiya"


def etl_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                          check=check)


@pytest.fixture
def loaded_sample(sample_site, database_url) -> str:
    """The sample site run through the whole pipeline into a fresh warehouse."""
    etl_cli("run", "--config", str(SAMPLE_SOURCES))
    return database_url


def rows(conn, sql: str, *params) -> list[dict]:
    cur = conn.execute(sql, params)
    return [dict(zip([c.name for c in cur.description], row)) for row in cur.fetchall()]


def test_views_give_the_numbers_of_the_loaded_sample(loaded_sample):
    with psycopg.connect(loaded_sample) as conn:
        articles = rows(conn, "SELECT language, count(*) AS n, max(previous_versions) AS versions "
                              "FROM reporting.articles GROUP BY 1 ORDER BY 1")
        assert articles == [{"language": "en", "n": 2, "versions": 0}, {"language": "ru", "n": 2, "versions": 0}]

        health = rows(conn, "SELECT * FROM reporting.source_health")
        assert len(health) == 1
        bisr = health[0]
        assert bisr["source"] == "sample" and bisr["articles"] == 4 and bisr["runs_last_30_days"] == 1
        assert bisr["last_successful_run_at"] is not None and bisr["unfinished_runs_last_30_days"] == 0
        assert bisr["fetch_attempts"] == 5 and bisr["fetch_errors"] == 1  # the removed article is a 404
        assert bisr["fetch_error_rate"] == Decimal("0.200")
        assert bisr["articles_per_day"] == Decimal("0.13")  # 4 new articles in the 30-day window
        assert bisr["last_error_url"].endswith("/removed-article.html") and "404" in bisr["last_error"]
        assert bisr["pages_failing_now"] == 1

        # The conference is reported in English and in Russian: two reports, one event.
        assert rows(conn, "SELECT month::text, events, reports, participants, countries "
                          "FROM reporting.events_by_month ORDER BY month") == [
            {"month": "2021-12-01", "events": 1, "reports": 2, "participants": 500, "countries": ["KZ"]},
            {"month": "2022-03-01", "events": 1, "reports": 1, "participants": 40, "countries": ["BY"]},
        ]
        assert rows(conn, "SELECT type, events FROM reporting.events_by_type ORDER BY type") == [
            {"type": "conference", "events": 1}, {"type": "round table", "events": 1}]
        assert rows(conn, "SELECT country, city, events FROM reporting.events_by_place ORDER BY country") == [
            {"country": "BY", "city": "Minsk", "events": 1}, {"country": "KZ", "city": "Astana", "events": 1}]

        # KazISS is spelled in English in one report and in Russian in the other: one organizer, one event.
        kazakh = rows(conn, "SELECT events_organized, articles, first_event::text, countries, cities "
                            "FROM reporting.organizer_activity WHERE 'KazISS' = ANY(acronyms)")
        assert kazakh == [{"events_organized": 1, "articles": 2, "first_event": "2021-12-10",
                           "countries": ["KZ"], "cities": ["Astana"]}]
        by_organizer = rows(conn, "SELECT month::text, events FROM reporting.events_by_organizer "
                                  "WHERE organization = 'Belarusian Institute of Strategic Research'")
        assert by_organizer == [{"month": "2022-03-01", "events": 1}]
        # Organizers without a curated entry are linked across the two reports: one row each.
        organizers = rows(conn, "SELECT organization, events_organized, articles, spellings "
                                "FROM reporting.organizer_activity ORDER BY organization")
        assert [(o["organization"], o["events_organized"], o["articles"]) for o in organizers] == [
            ("Belarusian Institute of Strategic Research", 1, 1),
            ("Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan", 1, 2),
            ("Library of the First President of the Republic of Kazakhstan — Elbasy", 1, 2),
            ("Nursultan Nazarbayev Foundation", 1, 2)]
        assert organizers[3]["spellings"] == ["Nursultan Nazarbayev Foundation", "Фонд Нурсултана Назарбаева"]
        assert rows(conn, "SELECT count(*) AS n FROM reporting.events_by_organizer")[0]["n"] == 4

        # Oleg Makarov = Олег Макаров (speaker at the same place of the same event in both languages).
        speakers = rows(conn, "SELECT name, spellings, events, appearances, organizations, languages "
                              "FROM reporting.speaker_appearances")
        assert speakers == [{"name": "Oleg Makarov", "spellings": ["Oleg Makarov", "Олег Макаров"], "events": 1,
                             "appearances": 2, "organizations": ["Belarusian Institute of Strategic Research"],
                             "languages": ["en", "ru"]}]

        # Every event and article row carries the extractor version.
        versions = conn.execute("SELECT DISTINCT extractor_version FROM reporting.events UNION "
                                "SELECT DISTINCT extractor_version FROM reporting.articles").fetchall()
        from etl.extract import EXTRACTOR_VERSION
        assert versions == [(EXTRACTOR_VERSION,)]


def test_article_search_stems_each_language_and_uses_the_gin_index(loaded_sample):
    search = """SELECT url FROM reporting.article_search, websearch_to_tsquery(%s::regconfig, %s) q
                WHERE document @@ q ORDER BY ts_rank(document, q) DESC, url"""
    with psycopg.connect(loaded_sample) as conn:
        # Inflected forms the text does not contain verbatim: "conferences", "конференциях".
        assert [r[0] for r in conn.execute(search, ("english", "conferences Kazakhstan"))] == [EN_REPORT]
        assert [r[0] for r in conn.execute(search, ("russian", "конференциях Казахстана"))] == [RU_REPORT]
        assert conn.execute(search, ("english", "conferences -Kazakhstan")).fetchall() == []
        conn.execute("SET enable_seqscan = off")  # four rows: only forcing it shows the index is usable
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + search, ("english", "security")))
        assert "articles_document_idx" in plan


def test_every_reporting_view_and_column_is_documented(database_url):
    migrate(database_url)
    with psycopg.connect(database_url) as conn:
        views = conn.execute("""SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c
                                WHERE c.relnamespace = 'reporting'::regnamespace AND c.relkind = 'v'""").fetchall()
        columns = conn.execute("""SELECT c.relname, a.attname FROM pg_class c
                                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                  WHERE c.relnamespace = 'reporting'::regnamespace AND c.relkind = 'v'
                                    AND col_description(c.oid, a.attnum) IS NULL""").fetchall()
    assert {name for name, _ in views} >= {
        "articles", "article_history", "article_search", "source_health", "events", "events_by_month",
        "events_by_place", "events_by_type", "events_by_organizer", "organizer_activity", "speaker_appearances",
        "event_speakers", "event_sessions", "event_organizers"}
    assert [name for name, comment in views if not comment] == []
    assert columns == []


def test_every_core_table_and_column_is_documented(database_url):
    migrate(database_url)
    with psycopg.connect(database_url) as conn:
        tables = conn.execute("""SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'core'::regnamespace
                                 AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NULL""").fetchall()
        columns = conn.execute("""SELECT c.relname, a.attname FROM pg_class c
                                  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                  WHERE c.relnamespace = 'core'::regnamespace AND c.relkind = 'r'
                                    AND col_description(c.oid, a.attnum) IS NULL""").fetchall()
    assert tables == [] and columns == []


def test_analyst_role_reads_reporting_and_core_only(loaded_sample):
    with psycopg.connect(loaded_sample, autocommit=True) as conn:
        role = conn.execute("SELECT rolcanlogin, rolpassword, rolsuper FROM pg_authid "
                            "WHERE rolname = 'etl_analyst'").fetchone()
        assert role == (False, None, False)
        relations = conn.execute("""SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
                                    JOIN pg_namespace n ON n.oid = c.relnamespace
                                    WHERE n.nspname IN ('core', 'reporting') AND c.relkind IN ('r', 'v')
                                    ORDER BY 1""").fetchall()
        conn.execute("SET ROLE etl_analyst")
        for (relation,) in relations:
            conn.execute(f"SELECT count(*) FROM {relation}").fetchone()
        assert conn.execute("SELECT count(*) FROM reporting.source_health").fetchone() == (1,)

        denied = [
            "SELECT count(*) FROM raw.pages",
            "SELECT count(*) FROM raw.batches",
            "SELECT count(*) FROM public.etl_schema_migrations",
            "INSERT INTO core.articles (url, source, extractor_version, content_hash, first_seen, last_seen, valid_from)"
            " VALUES ('https://x.example/a', 'x', 'v', 'h', now(), now(), now())",
            "UPDATE core.articles SET title = 'changed'",
            "DELETE FROM core.events",
            "TRUNCATE core.article_translations",
            "UPDATE reporting.articles SET title = 'changed'",
            "INSERT INTO reporting.article_history (article_id) VALUES (1)",
            "CREATE TABLE core.mine (x int)",
            "CREATE TABLE reporting.mine (x int)",
            "CREATE TABLE public.mine (x int)",
            "CREATE VIEW reporting.mine AS SELECT 1",
            "CREATE SCHEMA mine",
            "SELECT nextval('core.articles_article_id_seq')",
        ]
        for statement in denied:
            with pytest.raises((errors.InsufficientPrivilege, errors.ObjectNotInPrerequisiteState)):
                conn.execute(statement)
        conn.execute("RESET ROLE")
        assert conn.execute("SELECT count(*) FROM core.articles WHERE title = 'changed'").fetchone() == (0,)


def test_the_role_migration_runs_where_the_role_exists_even_concurrently(pg_server_url, database_url):
    migrate(database_url)  # the role exists on this server now
    with scratch_database(pg_server_url, "etl_test") as first, scratch_database(pg_server_url, "etl_test") as second:
        urls, failures = [first, second], []

        def run(url):
            try:
                migrate(url)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(exc)

        threads = [threading.Thread(target=run, args=(url,)) for url in urls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        for url in urls:
            with psycopg.connect(url) as conn:
                conn.execute("SET ROLE etl_analyst")
                assert conn.execute("SELECT count(*) FROM reporting.articles").fetchone() == (0,)



def test_report_prints_tables_and_csv(loaded_sample):
    table = etl_cli("report").stdout
    assert "Source health (reporting.source_health)" in table
    assert "Speaker appearances (reporting.speaker_appearances)" in table
    assert "Oleg Makarov" in table and "round table" in table
    # The latest events by name, newest first, each once (its English and Russian reports merged).
    latest = table.split("Latest events (reporting.events)")[1].split("\n\n")[0]
    assert latest.index("Regional Security in Eastern Europe") < latest.index("Leadership. Stability. Progress")
    assert latest.count("Leadership. Stability. Progress") == 1 and "Лидерство" not in latest

    blocks = {}
    for block in etl_cli("report", "--format", "csv").stdout.split("# ")[1:]:
        view, _, body = block.partition("\n")
        blocks[view] = list(csv.DictReader(io.StringIO(body)))
    assert list(blocks) == ["reporting.source_health", "reporting.check_results", "reporting.events",
                            "reporting.events_by_month", "reporting.events_by_type",
                            "reporting.events_by_place", "reporting.organizer_activity",
                            "reporting.speaker_appearances"]
    assert blocks["reporting.source_health"][0]["source"] == "sample"
    assert blocks["reporting.source_health"][0]["articles"] == "4"
    assert [r["month"] for r in blocks["reporting.events_by_month"]] == ["2022-03-01", "2021-12-01"]
