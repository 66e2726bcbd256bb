"""Security: hostile values go through SQL as data and come back verbatim; a record the warehouse cannot
hold harms no other; no password in output, logs or exported records; only public http(s) hosts."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
from datetime import datetime, timezone

import psycopg
import pytest

from conftest import PROJECT_DIR, SAMPLE_SOURCES
from etl import pipeline
from etl.store import errors, rawstore
from etl.crawl.client import AddressRefused, build_client
from etl.store.db import mask_dsn
from etl.extract import EXTRACTOR_VERSION, strip_nul
from etl.store.migrate import migrate
from test_faults import make_batch, reference_record

HOSTILE = [
    "'; DROP TABLE core.articles; --",
    "Robert'); DELETE FROM raw.pages WHERE ('1' = '1",
    '" OR ""="',
    "\\'; SELECT pg_sleep(10); --",
    "%s %(x)s {0} $1 $$ E'\\x00'",
    "nul\x00inside",
    "тест «кавычки» ‘’ “” \u202e\ufeff",
    "\\N\t\r\n\\.",  # COPY's own markers
    "x" * 200_000,
]


def hostile(n: int) -> str:
    return HOSTILE[n % len(HOSTILE)] + f" #{n}"


def hostile_record(source: str) -> dict:
    """The reference record with a hostile value in every text field the warehouse stores."""
    record = copy.deepcopy(reference_record())
    counter = iter(range(10_000))

    def h() -> str:
        return hostile(next(counter))

    record.update(url="https://example.org/a?q=' OR 1=1; --&x=\x00\"", source=source, language=h(), title=h(),
                  alt_titles={h(): h(), "ru": h()}, translation_of_url="https://example.org/b?'; DROP TABLE x; --",
                  body_paragraphs=[h() for _ in range(len(HOSTILE))], countries_mentioned=[h(), "BY"])
    for event in record["events"]:
        for key in ("name", "type", "city", "city_as_written", "occasion"):
            event[key] = h()
        event["organizers"] = [{"name": h(), "acronym": h()}]
        event["sessions"] = [{"name": h(), "kind": h(), "format": "online"}]  # format: a checked enum
        event["speakers"] = [{"name": h(), "role": h(), "organization": h(), "session": h()}]
    return record


def export(source: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "etl", "export", "--source", source], cwd=PROJECT_DIR,
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_hostile_values_in_every_text_field_come_back_verbatim_through_export(database_url):
    source = "src'; DROP TABLE core.articles; --"
    record = hostile_record(source)
    with psycopg.connect(database_url, autocommit=True) as conn:
        migrate(database_url)
        # The documented behaviour for NUL: removed at extraction (extract_record applies strip_nul to
        # every record), because PostgreSQL text and jsonb cannot hold it.
        batch = rawstore.create_batch(conn, source)
        with pytest.raises(psycopg.DataError):
            rawstore.save_extraction(conn, _store_page(conn, batch, source, "https://example.org/nul"),
                                     EXTRACTOR_VERSION, record)
    stored = strip_nul(record)
    batch = make_batch(database_url, [stored], source=source)

    loaded = pipeline.load(batch, database_url)
    assert loaded["inserted"] == 1 and loaded["load_errors"] == 0
    [exported] = export(source)
    assert exported == stored  # every value verbatim, less the NUL characters
    assert "nulinside #5" in exported["body_paragraphs"] and any(len(p) > 200_000 for p in exported["body_paragraphs"])
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM raw.pages").fetchone()[0] >= 1  # nothing was dropped
    assert export("nobody' OR '1'='1") == []


def _store_page(conn, batch_id: int, source: str, url: str) -> int:
    from datetime import datetime, timezone

    from etl.crawl.fetch import FetchResult

    result = FetchResult(url=url, final_url=url, outcome="fetched", status=200, content_type="text/html",
                         charset=None, etag=None, last_modified=None, body=b"<p>x</p>", error=None, attempts=1,
                         fetched_at=datetime.now(timezone.utc))
    return rawstore.record_fetch(conn, batch_id, source, result)


def test_a_record_the_warehouse_cannot_hold_is_set_aside_and_the_others_load(database_url):
    migrate(database_url)
    records = [hostile_record("faulty") for _ in range(5)]
    for n, record in enumerate(records):
        record.update(url=f"https://example.org/ok/{n}", language="en")
    # A speaker name no btree index entry can hold (incompressible, over 2.7 kB): the whole set fails.
    rng = random.Random(3)
    records[3]["events"][0]["speakers"][0]["name"] = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzабвгдеж")
                                                              for _ in range(6000))
    batch = make_batch(database_url, [strip_nul(r) for r in records])

    loaded = pipeline.load(batch, database_url)
    assert loaded["inserted"] == 4 and loaded["load_errors"] == 1
    with psycopg.connect(database_url) as conn:
        urls = {r[0] for r in conn.execute("SELECT url FROM core.articles")}
        [refused] = errors.list_errors(conn)
    assert urls == {f"https://example.org/ok/{n}" for n in (0, 1, 2, 4)}
    assert refused.stage == "load" and refused.url == "https://example.org/ok/3"
    assert refused.error_class == "ProgramLimitExceeded" and "index" in refused.message


def test_rows_of_several_sources_list_each_refusal_under_its_source_and_clear_it_once_loaded(database_url):
    # What reprocess does: rows of any source, with no batch.
    migrate(database_url)
    records = [hostile_record(source) for source in ("alpha", "beta")]
    for n, record in enumerate(records):
        record.update(url=f"https://example.org/mixed/{n}", language="en")
    # An event that ends before it starts: the loader's rules refuse the record.
    event = records[1]["events"][0]
    good_end = event["end_date"]
    event["end_date"] = "2001-01-01"
    now = datetime.now(timezone.utc)
    rows = [(None, now, now, strip_nul(r)) for r in records]
    with psycopg.connect(database_url, autocommit=True) as conn:
        assert pipeline.load_rows(conn, rows, database_url)["load_errors"] == 1
        [refused] = errors.list_errors(conn)
        assert (refused.source, refused.url, refused.error_class) == ("beta", "https://example.org/mixed/1", "RecordRefused")

        rows[1][3]["events"][0]["end_date"] = good_end
        assert pipeline.load_rows(conn, rows, database_url)["load_errors"] == 0
        assert errors.list_errors(conn) == []


def test_no_password_in_output_logs_or_exported_records(sample_site, database_url):
    info = psycopg.conninfo.conninfo_to_dict(database_url)
    info["password"] = "s3cr3t-hunter2"  # the embedded server trusts local connections: any password works
    dsn = psycopg.conninfo.make_conninfo(**info)
    env_run = dict(os.environ, ETL_DATABASE_URL=dsn)

    def etl(*args):
        return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                              env=env_run)

    runs = [etl("run", "--config", str(SAMPLE_SOURCES), "-v"), etl("db"), etl("export"), etl("errors"),
            etl("errors", "--json")]
    assert all(r.returncode == 0 for r in runs), [r.stderr[-500:] for r in runs]
    assert "INFO" in runs[0].stderr  # the verbose log was written
    for r in runs:
        assert "s3cr3t-hunter2" not in r.stdout + r.stderr
    assert "password=***" in runs[1].stdout or ":***@" in runs[1].stdout
    assert len(runs[2].stdout.splitlines()) == 4

    unreachable = dict(info, host="127.0.0.1", port="1")
    env_run["ETL_DATABASE_URL"] = psycopg.conninfo.make_conninfo(**unreachable)
    failed = etl("run", "--config", str(SAMPLE_SOURCES))
    assert failed.returncode == 1 and "127.0.0.1:1" in failed.stderr and "s3cr3t-hunter2" not in failed.stderr

    for raw, masked in [("postgresql://u:p%40ss@h:5/d", "postgresql://u:***@h:5/d"),
                        ("host=h password='a b\\' c' user=u", "host=h password=*** user=u"),
                        ("host=h PASSWORD = x user=u", "host=h PASSWORD = *** user=u")]:
        assert mask_dsn(raw) == masked


def test_the_connection_guard_refuses_loopback_after_resolving_names(sample_site):
    # Below the crawler's own checks: the client connects only to addresses it resolved and found
    # public, whatever name, redirect or pooled connection led there.
    port = sample_site.rsplit(":", 1)[1]
    with build_client(user_agent="test", timeout=5, allow_private=False) as client:
        for url in (f"http://127.0.0.1:{port}/", f"http://localhost:{port}/", f"http://[::ffff:127.0.0.1]:{port}/"):
            with pytest.raises(Exception) as refused:
                client.get(url)
            assert isinstance(refused.value.__context__ or refused.value.__cause__, AddressRefused) or \
                "resolves to" in str(refused.value), url
    with build_client(user_agent="test", timeout=5, allow_private=True) as client:
        assert client.get(f"http://127.0.0.1:{port}/").status_code == 200
