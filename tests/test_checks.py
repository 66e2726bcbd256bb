"""Data quality checks: pass on the loaded sample, fire on crafted bad rows, fail the command."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import psycopg
import pytest
from psycopg.types.json import Jsonb

from conftest import PROJECT_DIR, SAMPLE_SOURCES
from etl.store.checks import run_checks, silent_after
from etl.sources import load_sources

ROUND_TABLE = "https://bisr.gov.by/en/provedyonnye-meropriyatiya/round-table-regional-security-2022"


def etl_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_DIR, capture_output=True, text=True)


@pytest.fixture
def loaded_sample(sample_site, database_url) -> str:
    assert etl_cli("run", "--config", str(SAMPLE_SOURCES)).returncode == 0
    return database_url


def sources_file(tmp_path, *extra: tuple[str, str]) -> str:
    """The sample sources plus sources named `extra` (name, schedule) that never deliver anything."""
    text = SAMPLE_SOURCES.read_text(encoding="utf-8")
    for name, schedule in extra:
        text += (f"  - name: {name}\n    start_urls: ['http://127.0.0.1:9/{name}/']\n"
                 f"    article_url_pattern: '/news/'\n    schedule: '{schedule}'\n")
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_checks_pass_on_the_loaded_sample(loaded_sample):
    result = etl_cli("check", "--config", str(SAMPLE_SOURCES))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 9 and all(line.startswith("ok    ") for line in lines)


def test_each_check_fires_on_a_crafted_bad_row(loaded_sample, tmp_path):
    with psycopg.connect(loaded_sample) as conn:
        article_id, page_id = conn.execute("SELECT article_id, page_id FROM core.articles WHERE url = %s",
                                           (ROUND_TABLE,)).fetchone()
        # The same page under a spelling of its URL that differs only in scheme, www. and trailing slash.
        conn.execute("""INSERT INTO core.articles (url, source, language, title, body_paragraphs, extractor_version,
                                                   content_hash, first_seen, last_seen, valid_from)
                        SELECT 'http://www.bisr.gov.by/en/provedyonnye-meropriyatiya/round-table-regional-security-2022/',
                               source, language, title, body_paragraphs, extractor_version, content_hash,
                               first_seen, last_seen, valid_from FROM core.articles WHERE article_id = %s""",
                     (article_id,))
        conn.execute("""INSERT INTO core.articles (url, source, language, title, body_paragraphs, extractor_version,
                                                   content_hash, first_seen, last_seen, valid_from)
                        VALUES ('https://bisr.gov.by/en/empty', 'sample', 'en', '  ', '{}', 'v', 'h', now(), now(), now())""")
        conn.execute("""INSERT INTO core.events (article_id, position, name, start_date, end_date)
                        VALUES (%s, 7, 'Congress of 1985', '1985-05-01', '1985-05-02')""", (article_id,))
        # The warehouse's constraints refuse an end before the start or a negative count, so the
        # loader skips such records: they are found in the extraction the loader refused.
        record = conn.execute("SELECT record FROM raw.extractions WHERE page_id = %s", (page_id,)).fetchone()[0]
        record["events"][0].update(start_date="2022-03-15", end_date="2022-03-14", participants_count=-40)
        conn.execute("UPDATE raw.extractions SET record = %s WHERE page_id = %s", (Jsonb(record), page_id))
        conn.execute("UPDATE raw.batches SET stats = stats || '{\"fetched\": -1}'")
        # A stored identity key that is not its group's smallest id.
        conn.execute("UPDATE core.person_keys SET person_key = person_key + 1000")
        # A stored event twin gone stale (written around the triggers).
        conn.execute("UPDATE core.event_twins SET name_en = 'Stale' WHERE event_id = "
                     "(SELECT min(event_id) FROM core.event_twins WHERE name_en IS NOT NULL)")
        # A daily source whose last successful run is five days old, and a weekly one that never ran.
        conn.execute("""INSERT INTO raw.batches (source, started_at, finished_at)
                        VALUES ('quiet', now() - interval '5 days', now() - interval '5 days' + interval '1 minute')""")
        # A page failing on three runs in a row.
        conn.execute("""INSERT INTO raw.url_retries (source, url, failures, last_outcome, last_error,
                                                     last_attempt_at, next_attempt_at)
                        VALUES ('bisr', 'https://bisr.gov.by/en/flaky', 3, 'failed', 'HTTP 503', now(),
                                now() + interval '2 days')""")
        conn.commit()

        sources = load_sources(sources_file(tmp_path, ("quiet", "@daily"), ("never_ran", "@weekly")))
        results = {r.check.name: r for r in run_checks(conn, sources)}

    assert {name for name, r in results.items() if r.passed} == set()
    assert results["duplicate_canonical_urls"].offending == 1
    assert results["duplicate_canonical_urls"].sample[0]["urls"] == [
        "http://www.bisr.gov.by/en/provedyonnye-meropriyatiya/round-table-regional-security-2022/", ROUND_TABLE]
    assert [r["url"] for r in results["articles_without_title_or_body"].sample] == ["https://bisr.gov.by/en/empty"]
    assert [r["name"] for r in results["event_dates_out_of_range"].sample] == ["Congress of 1985"]
    assert [(r["found_in"], r["url"], r["end_date"]) for r in results["events_ending_before_start"].sample] == [
        ("raw.extractions", ROUND_TABLE, "2022-03-14")]
    assert sorted((r["found_in"], r["field"], int(r["value"])) for r in results["negative_counts"].sample) == [
        ("raw.batches", "stats.fetched", -1), ("raw.extractions", "events[0].participants_count", -40)]
    assert [(r["source"], r["last_successful_run_at"] is None) for r in results["silent_sources"].sample] == [
        ("never_ran", True), ("quiet", False)]
    assert [(r["url"], r["failures"]) for r in results["pages_still_failing"].sample] == [
        ("https://bisr.gov.by/en/flaky", 3)]

    # Scoped to one source, the checks see only its rows.
    with psycopg.connect(loaded_sample) as conn:
        scoped = {r.check.name: r.passed for r in run_checks(conn, sources, source="quiet")}
    assert results["broken_identity_keys"].offending == 2  # both spellings of Oleg Makarov
    assert sorted(r["found"] for r in results["stale_event_twins"].sample) == [
        "computed, not stored", "stored, not computed"]
    # (the keys and twins are warehouse-wide: no source of their own)
    assert scoped == {name: name not in ("silent_sources", "broken_identity_keys", "stale_event_twins")
                      for name in scoped}

    # The command fails on the errors and names each check with a few offending rows; the warnings
    # (one offending row each, within their thresholds) are shown as such.
    result = etl_cli("check", "--config", sources_file(tmp_path, ("quiet", "@daily"), ("bisr", "@daily")))
    assert result.returncode == 1
    for name in results:
        label = "FAIL" if name in ("duplicate_canonical_urls", "broken_identity_keys", "stale_event_twins") else "WARN"
        assert f"{label}  {name}:" in result.stdout
    assert "Congress of 1985" in result.stdout and "source=quiet" in result.stdout


def test_how_long_a_source_may_be_silent_follows_its_schedule():
    assert silent_after("@daily") == timedelta(days=3)
    assert silent_after("@hourly") == timedelta(hours=3)
    assert silent_after("30 6 * * 1-5") == timedelta(days=9)  # weekdays: Friday to Monday is the longest gap
    assert silent_after("@once") is None


def test_a_failing_check_fails_the_dag_run_after_the_load_and_a_warning_is_recorded(
        airflow_metadata_db, sample_site, database_url, monkeypatch, capfd):
    from airflow.dag_processing.dagbag import DagBag

    from etl.store.migrate import migrate

    migrate(database_url)
    with psycopg.connect(database_url) as conn:
        # An untitled article: a warning (within its threshold). Two spellings of one URL: an error.
        for url, title in (("https://bisr.gov.by/en/untitled", None), ("https://bisr.gov.by/en/twice", "Twice"),
                           ("http://www.bisr.gov.by/en/twice/", "Twice")):
            conn.execute("""INSERT INTO core.articles (url, source, title, body_paragraphs, extractor_version,
                                                       content_hash, first_seen, last_seen, valid_from)
                            VALUES (%s, 'sample', %s, '{Body}', 'v', 'h', now(), now(), now())""", (url, title))
    monkeypatch.setenv("ETL_SOURCES_FILE", str(SAMPLE_SOURCES))
    monkeypatch.setenv("ETL_ALLOW_DEFAULT_WAREHOUSE", "1")  # no etl_warehouse connection in this test
    dag = DagBag(dag_folder=str(PROJECT_DIR / "dags" / "think_tank_news.py")).dags["think_tank_news__sample"]
    dag_run = dag.test()
    states = {ti.task_id: ti.state for ti in dag_run.get_task_instances()}
    assert dag_run.state == "failed"
    assert states == {"discover": "success", "fetch": "success", "plan_chunks": "success",
                      "extract_and_load": "success", "finish": "success", "check": "failed"}
    output = "".join(capfd.readouterr())
    assert "FAIL  duplicate_canonical_urls" in output and "https://bisr.gov.by/en/twice" in output
    assert "articles_without_title_or_body" not in output.split("data quality check(s) failed")[1].splitlines()[0]
    with psycopg.connect(database_url) as conn:
        health = conn.execute("SELECT check_warnings, check_failures FROM reporting.source_health "
                              "WHERE source = 'sample'").fetchone()
        latest = dict(conn.execute("SELECT check_name, status FROM reporting.check_results WHERE source = 'sample'"))
    assert health == (["articles_without_title_or_body"], ["duplicate_canonical_urls"])
    assert latest["articles_without_title_or_body"] == "warning" and latest["event_dates_out_of_range"] == "ok"


def test_a_warning_is_recorded_and_fails_only_past_its_threshold(loaded_sample):
    """Three historic dates among many articles are a warning; a flood of them fails."""
    from etl.store.checks import ChecksFailed, check_warehouse

    sources = load_sources(str(SAMPLE_SOURCES))
    with psycopg.connect(loaded_sample) as conn:
        article_id = conn.execute("SELECT article_id FROM core.articles WHERE url = %s", (ROUND_TABLE,)).fetchone()[0]

        def historic_events(count: int) -> None:
            conn.execute("DELETE FROM core.events WHERE article_id = %s AND position >= 10", (article_id,))
            for n in range(count):
                conn.execute("INSERT INTO core.events (article_id, position, name, start_date) "
                             "VALUES (%s, %s, %s, '1975-08-01')", (article_id, 10 + n, f"Helsinki {n}"))
            conn.commit()

        historic_events(3)
        results = {r.check.name: r for r in check_warehouse(conn, sources, "sample")}
        assert (results["event_dates_out_of_range"].status, results["event_dates_out_of_range"].offending) == ("warning", 3)
        recorded = conn.execute("SELECT status, offending, severity, threshold, sample -> 0 ->> 'name' "
                                "FROM reporting.check_results WHERE check_name = 'event_dates_out_of_range'").fetchone()
        assert recorded == ("warning", 3, "warning", 10, "Helsinki 0")
        report = etl_cli("report").stdout
        assert "event_dates_out_of_range" in report and "warning" in report

        historic_events(11)
        with pytest.raises(ChecksFailed, match="event_dates_out_of_range"):
            check_warehouse(conn, sources, "sample")
        assert conn.execute("SELECT status, offending FROM reporting.check_results "
                            "WHERE check_name = 'event_dates_out_of_range'").fetchone() == ("failed", 11)


def test_check_checks_the_sources_of_the_file_it_is_given(loaded_sample, tmp_path):
    """Rows of a source the file does not name are not its business (the demo's warehouse, a site's file)."""
    with psycopg.connect(loaded_sample) as conn:
        conn.execute("""INSERT INTO core.articles (url, source, title, body_paragraphs, extractor_version,
                                                   content_hash, first_seen, last_seen, valid_from)
                        VALUES ('https://other.example/a', 'other', 'A', '{Body}', 'v', 'h', now(), now(), now()),
                               ('https://www.other.example/a/', 'other', 'A', '{Body}', 'v', 'h', now(), now(), now())""")
    assert etl_cli("check", "--config", str(SAMPLE_SOURCES)).returncode == 0
    other = tmp_path / "other.yaml"
    other.write_text("sources:\n  - name: other\n    start_urls: ['http://127.0.0.1:9/']\n"
                     "    article_url_pattern: '/a'\n", encoding="utf-8")
    result = etl_cli("check", "--config", str(other))
    assert result.returncode == 1 and "FAIL  duplicate_canonical_urls" in result.stdout


def test_the_loader_skips_records_it_cannot_hold_and_loads_the_rest(database_url, caplog):
    from datetime import datetime, timezone

    from etl.store.load import load_records
    from etl.store.migrate import migrate
    from etl.record import empty_record

    migrate(database_url)
    seen = datetime(2024, 5, 1, tzinfo=timezone.utc)

    def record(n: int, **fields) -> dict:
        return {**empty_record(f"https://example.org/news/{n}", "example"), "title": f"News {n}",
                "body_paragraphs": [f"Body {n}."], **fields}

    event = {"name": "Forum", "start_date": "2024-04-02", "end_date": "2024-04-01"}
    rows = [(None, seen, seen, record(1)),
            (None, seen, seen, record(2, events=[event])),
            (None, seen, seen, record(3, published_at="01.05.2024")),
            (None, seen, seen, record(4, url=None))]
    with psycopg.connect(database_url) as conn:
        assert load_records(conn, rows, "v1") == {"inserted": 1, "updated": 0, "articles_unchanged": 0, "records_skipped": 3,
                                                  "versions_kept": 0}
        assert load_records(conn, rows, "v1")["articles_unchanged"] == 1
        assert conn.execute("SELECT url FROM core.articles").fetchall() == [("https://example.org/news/1",)]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("news/2" in w and "end_date 2024-04-01 is before start_date 2024-04-02" in w for w in warnings)
    assert any("news/3" in w and "not an ISO date" in w for w in warnings)


def test_configured_checks_take_the_files_thresholds_and_refuse_unknown_names_and_errors():
    from etl.store.checks import configured_checks
    from etl.sources import SourcesError

    checks = {c.name: c for c in configured_checks({"event_dates_out_of_range": 0, "silent_sources": 7})}
    assert checks["event_dates_out_of_range"].threshold == 0 and checks["silent_sources"].threshold == 7
    assert checks["articles_without_title_or_body"].threshold == 5  # untouched: the default
    with pytest.raises(SourcesError, match=r"f\.yaml: `checks`: no check named 'event_dates_out_of_rang'"):
        configured_checks({"event_dates_out_of_rang": 3}, "f.yaml")
    with pytest.raises(SourcesError, match=r"`checks.duplicate_canonical_urls`: an error .* takes no threshold"):
        configured_checks({"duplicate_canonical_urls": 3})


def test_the_sources_files_thresholds_decide_when_a_warning_fails(loaded_sample, tmp_path):
    """Three historic dates: a warning at the default threshold (10), a failure at threshold 2 set in
    the file; a misspelt check name stops `check` before it runs anything."""
    with psycopg.connect(loaded_sample) as conn:
        article_id = conn.execute("SELECT article_id FROM core.articles WHERE url = %s", (ROUND_TABLE,)).fetchone()[0]
        for n in range(3):
            conn.execute("INSERT INTO core.events (article_id, position, name, start_date) "
                         "VALUES (%s, %s, %s, '1975-08-01')", (article_id, 10 + n, f"Helsinki {n}"))
    strict = tmp_path / "strict.yaml"
    strict.write_text(SAMPLE_SOURCES.read_text(encoding="utf-8")
                      + "checks:\n  event_dates_out_of_range: {threshold: 2}\n", encoding="utf-8")
    assert etl_cli("check", "--config", str(SAMPLE_SOURCES)).returncode == 0
    result = etl_cli("check", "--config", str(strict))
    assert result.returncode == 1
    assert ("FAIL  event_dates_out_of_range: 3 offending row(s) (warning, threshold 2)" in result.stdout)
    with psycopg.connect(loaded_sample) as conn:
        assert conn.execute("SELECT status, threshold FROM reporting.check_results "
                            "WHERE check_name = 'event_dates_out_of_range'").fetchone() == ("failed", 2)
    typo = tmp_path / "typo.yaml"
    typo.write_text(SAMPLE_SOURCES.read_text(encoding="utf-8")
                    + "checks:\n  event_dates_out_of_rang: {threshold: 2}\n", encoding="utf-8")
    result = etl_cli("check", "--config", str(typo))
    assert result.returncode != 0 and "no check named 'event_dates_out_of_rang'" in result.stderr
    assert str(typo) in result.stderr and "Traceback" not in result.stderr
