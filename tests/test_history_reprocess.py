"""History when a page changes, and reprocessing stored pages without network."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from conftest import PROJECT_DIR, SAMPLE_SITE, SAMPLE_SOURCES
from etl.extract import EXTRACTOR_VERSION, extract_record
from etl.store.load import load_records
from etl.store.migrate import migrate

ROUND_TABLE = "https://bisr.gov.by/en/provedyonnye-meropriyatiya/round-table-regional-security-2022"
CONFERENCE = "https://bisr.gov.by/en/uchastie-v-meropriyatiyakh/liderstvo-stabilnost-progress-na-polyakh-evrazii-gorizonty-razvitiya"


def etl_cli(*args: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                         check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def snapshot(dsn: str) -> dict[str, list]:
    """Every row of every raw and core table."""
    with psycopg.connect(dsn) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables "
            "WHERE table_schema IN ('raw', 'core') AND table_type = 'BASE TABLE' ORDER BY 1")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}


@pytest.fixture
def site_copy(tmp_path, serve_directory, monkeypatch):
    """A copy of the sample site that the test may edit, served over HTTP."""
    root = tmp_path / "site"
    shutil.copytree(SAMPLE_SITE, root)
    monkeypatch.setenv("ETL_SAMPLE_SITE_URL", serve_directory(root))
    return root


def test_a_changed_page_keeps_the_previous_version(site_copy, database_url):
    etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES))
    page = site_copy / "en" / "minsk-round-table.html"
    page.write_text(page.read_text(encoding="utf-8")
                    .replace("attended by 40 experts", "attended by 45 experts")
                    .replace("BISR hosts a round table on regional security",
                             "BISR hosted a round table on regional security"), encoding="utf-8")

    summary, = etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES), "--refresh")
    assert summary["updated"] == 1 and summary["articles_unchanged"] == 3 and summary["versions_kept"] == 1

    with psycopg.connect(database_url) as conn:
        history = conn.execute(
            """SELECT title, is_current, valid_from, valid_to, extractor_version FROM reporting.article_history
               WHERE url = %s ORDER BY valid_from""", (ROUND_TABLE,)).fetchall()
        assert [(title, current) for title, current, *_ in history] == [
            ("BISR hosts a round table on regional security", False),
            ("BISR hosted a round table on regional security", True)]
        (_, _, old_from, old_to, old_version), (_, _, new_from, new_to, _) = history
        assert old_from < old_to == new_from and new_to is None and old_version == EXTRACTOR_VERSION

        # The kept version has the events it reported; the current rows have the new ones.
        kept_events = conn.execute("SELECT events FROM core.article_versions").fetchone()[0]
        assert [e["participants_count"] for e in kept_events] == [40]
        assert conn.execute("SELECT participants_count FROM reporting.events WHERE article_url = %s",
                            (ROUND_TABLE,)).fetchall() == [(45,)]
        # The current views show the latest version only.
        assert conn.execute("SELECT title, previous_versions FROM reporting.articles WHERE url = %s",
                            (ROUND_TABLE,)).fetchone() == ("BISR hosted a round table on regional security", 1)
        assert conn.execute("SELECT count(*) FROM reporting.articles").fetchone() == (4,)
        # Both page bodies are in the raw store; the other articles kept no version.
        assert conn.execute("SELECT count(*) FROM raw.pages WHERE url LIKE '%%minsk-round-table.html'").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM core.article_versions").fetchone() == (1,)


def test_reprocess_corrects_records_in_place_without_network_and_twice_changes_nothing(site_copy, database_url):
    etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES))
    shutil.rmtree(site_copy)  # nothing to fetch any more: reprocess must work from the raw store

    before = snapshot(database_url)
    exported = etl_cli("export")
    first, = etl_cli("reprocess", "--config", str(SAMPLE_SOURCES))
    assert first["pages"] == 4 and first["articles_unchanged"] == 4 and first.get("extractions_changed", 0) == 0
    assert snapshot(database_url) == before

    # What an older extractor left behind: another version, a worse title, no events.
    with psycopg.connect(database_url) as conn:
        conn.execute("""UPDATE core.articles SET title = 'Stale title', extractor_version = '0.0.1',
                               content_hash = repeat('0', 64) WHERE url = %s""", (CONFERENCE,))
        assert conn.execute("SELECT DISTINCT e.extractor_version FROM core.events e JOIN core.articles a "
                            "USING (article_id) WHERE a.url = %s", (CONFERENCE,)).fetchall() == [("0.0.1",)]
        conn.execute("DELETE FROM core.events WHERE article_id = (SELECT article_id FROM core.articles "
                     "WHERE url = %s)", (CONFERENCE,))

    second, = etl_cli("reprocess", "--config", str(SAMPLE_SOURCES))
    assert second["updated"] == 1 and second["articles_unchanged"] == 3 and second["versions_kept"] == 0
    # Corrected in place: the same article rows (ids included) and records as the pipeline made, no history.
    corrected = snapshot(database_url)
    assert corrected["core.articles"] == before["core.articles"]
    assert corrected["core.article_versions"] == []
    assert etl_cli("export") == exported

    third, = etl_cli("reprocess", "--config", str(SAMPLE_SOURCES))
    assert third["articles_unchanged"] == 4 and third["updated"] == 0
    assert snapshot(database_url) == corrected

    only_other, = etl_cli("reprocess", "--source", "no_such_source", "--config", str(SAMPLE_SOURCES))
    assert only_other["pages"] == 0


def test_a_page_that_drops_its_translation_link_no_longer_links_it(site_copy, database_url):
    etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES))
    page = site_copy / "en" / "leadership-stability-progress.html"
    text = page.read_text(encoding="utf-8")
    page.write_text("\n".join(line for line in text.splitlines() if 'hreflang="ru"' not in line), encoding="utf-8")

    etl_cli("run", "--json", "--config", str(SAMPLE_SOURCES), "--refresh")
    with psycopg.connect(database_url) as conn:
        links = conn.execute("SELECT article_url, translation_url FROM core.article_translations").fetchall()
    # Only the Russian page still links its English version.
    assert links == [("https://bisr.gov.by/uchastie-v-meropriyatiyakh/liderstvo-stabilnost-progress-na-polyakh-evrazii-gorizonty-razvitiya",
                      "https://bisr.gov.by/en/uchastie-v-meropriyatiyakh/liderstvo-stabilnost-progress-na-polyakh-evrazii-gorizonty-razvitiya")]


def test_a_late_load_of_an_older_fetch_does_not_roll_the_article_back(database_url):
    migrate(database_url)
    page = (SAMPLE_SITE / "en" / "minsk-round-table.html").read_text(encoding="utf-8")
    old = extract_record(page, "https://bisr.gov.by/x")
    new = extract_record(page.replace("attended by 40 experts", "attended by 45 experts"), "https://bisr.gov.by/x")
    monday = datetime(2022, 3, 21, tzinfo=timezone.utc)
    with psycopg.connect(database_url) as conn:
        load_records(conn, [(None, monday, monday + timedelta(days=1), new)], EXTRACTOR_VERSION)
        counts = load_records(conn, [(None, monday, monday, old)], EXTRACTOR_VERSION)  # fetched earlier
        stored = conn.execute("SELECT body_paragraphs[3] FROM core.articles").fetchone()[0]
    assert counts["updated"] == 0 and "45 experts" in stored
