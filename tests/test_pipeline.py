"""The whole pipeline against the sample site served over HTTP and a fresh PostgreSQL database."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest

from conftest import PROJECT_DIR, SAMPLE_SOURCES
from gold import assert_gold_article_fields, gold_record


def etl_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_DIR, capture_output=True,
                          text=True, check=check)


def table_snapshot(dsn: str) -> dict[str, list]:
    """Every row of the tables a rerun must not change."""
    tables = ["core.articles", "core.article_translations", "raw.pages", "raw.extractions"]
    with psycopg.connect(dsn) as conn:
        event_tables = [r[0] for r in conn.execute(
            "SELECT 'core.' || table_name FROM information_schema.tables WHERE table_schema = 'core' "
            "AND table_name NOT IN ('articles', 'article_translations') ORDER BY 1")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables + event_tables}


def test_migrate_applies_each_migration_once(database_url):
    first = etl_cli("migrate").stdout
    second = etl_cli("migrate").stdout
    assert "001_raw" in first and "002_core_articles" in first
    assert second.strip() == "applied 0 migration(s)"
    with psycopg.connect(database_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM etl_schema_migrations ORDER BY 1")]
    assert versions == sorted(set(versions)) and len(versions) >= 2


def test_migrate_refuses_a_warehouse_whose_applied_migrations_were_edited(database_url):
    etl_cli("migrate")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE etl_schema_migrations SET checksum = 'edited' WHERE version = '002'")
    result = etl_cli("migrate", check=False)
    assert result.returncode == 1
    assert "changed after being applied: 002_core_articles" in result.stderr and "Traceback" not in result.stderr


def test_db_command_masks_the_password(monkeypatch):
    monkeypatch.setenv("ETL_DATABASE_URL", "postgresql://analyst:s3cret@db.example.org:5432/warehouse")
    out = etl_cli("db").stdout.strip()
    assert out == "postgresql://analyst:***@db.example.org:5432/warehouse"


def test_run_loads_the_sample_site_and_a_rerun_changes_nothing(sample_site, database_url):
    first = [json.loads(line) for line in etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES)).stdout.splitlines()]
    assert [s["source"] for s in first] == ["sample"]
    assert first[0]["fetched"] == 4 and first[0]["failed"] == 1  # the removed article is a 404
    assert first[0]["inserted"] == 4

    exported = {r["url"]: r for r in map(json.loads, etl_cli("export", "--source", "sample").stdout.splitlines())}
    assert len(exported) == 4
    for language in ("en", "ru"):
        gold = gold_record(language)
        # The sample site is its own source, `sample` (the reference pages name the real bisr).
        assert exported[gold["url"]]["source"] == "sample"
        assert_gold_article_fields({**exported[gold["url"]], "source": gold["source"]}, gold)
        # export gives back exactly what extract gives for the same page
        page = PROJECT_DIR / "tests" / "fixtures" / "reference" / f"page.{language}.html"
        extracted = json.loads(etl_cli("extract", str(page)).stdout)
        assert exported[gold["url"]] == {**extracted, "source": "sample"}

    with psycopg.connect(database_url) as conn:
        failure = conn.execute(
            "SELECT outcome, http_status, error FROM raw.batch_urls WHERE url LIKE '%removed-article.html'"
        ).fetchone()
        translations = conn.execute("SELECT count(*) FROM core.article_translations").fetchone()[0]
    assert failure[0] == "failed" and failure[1] == 404 and failure[2]
    assert translations == 2

    before = table_snapshot(database_url)
    second = json.loads(etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES)).stdout)
    assert second["discovered"] == 0  # the removed article's 404 settled it too (`--refresh` asks again)
    assert second.get("fetched", 0) == 0
    assert table_snapshot(database_url) == before


@pytest.mark.parametrize("dsn", ["postgresql://etl:hunter2@127.0.0.1:1/warehouse"])
def test_run_with_the_warehouse_down_names_the_host_not_the_password(monkeypatch, dsn):
    monkeypatch.setenv("ETL_DATABASE_URL", dsn)
    result = etl_cli("run", "--config", str(SAMPLE_SOURCES), check=False)
    assert result.returncode == 1
    assert "127.0.0.1:1" in result.stderr and "hunter2" not in result.stderr + result.stdout


def test_pages_a_stopped_run_left_are_completed_by_the_next_run(sample_site, database_url):
    from etl import pipeline
    from etl.store.migrate import migrate
    from etl.sources import load_sources

    migrate(database_url)
    source = load_sources(SAMPLE_SOURCES)[0]
    # A run that stops after fetching (killed, or its load out of retries): pages stored, nothing loaded.
    stopped = pipeline.discover(source, database_url)
    pipeline.fetch(stopped["batch_id"], source, database_url)

    summary = json.loads(etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES)).stdout)
    assert summary["carried_over"] == 4 and summary.get("fetched", 0) == 0  # nothing fetched twice
    assert summary["inserted"] == 4
    # Once a finished run has processed them, they are not carried over again.
    assert json.loads(etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES)).stdout)["carried_over"] == 0


def test_run_goes_on_with_the_other_sources_when_one_site_is_down(sample_site, database_url, tmp_path):
    sources = tmp_path / "sources.yaml"
    sources.write_text(SAMPLE_SOURCES.read_text(encoding="utf-8").replace("  - name: sample", """  - name: down
    start_urls: ["http://127.0.0.1:9/news/"]
    article_url_pattern: '/news/\\\\d+$'
    allow_private_hosts: true
  - name: sample""", 1), encoding="utf-8")
    result = etl_cli("run", "--json", "--config", str(sources), check=False)
    down, bisr = (json.loads(line) for line in result.stdout.splitlines())
    assert result.returncode == 1 and "down" in result.stderr
    assert down["source"] == "down" and "could be read" in down["error"]
    assert bisr["source"] == "sample" and bisr["inserted"] == 4
    with psycopg.connect(database_url) as conn:  # the down source's batch says why it never finished
        assert conn.execute("SELECT finished_at IS NULL, stats->>'error' FROM raw.batches WHERE source = 'down'"
                            ).fetchone() == (True, down["error"])


def test_run_prints_a_short_summary_table_and_json_only_when_asked(sample_site, database_url):
    out = etl_cli("run", "--config", str(SAMPLE_SOURCES)).stdout
    header, rule, bisr = out.splitlines()
    assert header.split() == ["source", "discovered", "fetched", "unchanged", "skipped", "failed", "loaded", "events"]
    # 5 discovered, 4 fetched, the removed article failed (404), 4 new articles with 2 event reports.
    assert bisr.split() == ["sample", "5", "4", "0", "0", "1", "4", "(4", "new)", "3"]
    again = etl_cli("run", "--config", str(SAMPLE_SOURCES)).stdout.splitlines()[2].split()
    assert again == ["sample", "0", "0", "0", "0", "0", "0", "0"]
