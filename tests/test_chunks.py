"""Chunks of a batch and the fetch bookkeeping: what the mapped tasks stand on.

Real database, real HTTP (a mirror site of the sample pages on 127.0.0.1), no mocks.
"""

from __future__ import annotations

from datetime import datetime, timezone

import psycopg

from conftest import SAMPLE_SITE
from etl import pipeline
from etl.store import rawstore
from etl.crawl.fetch import FetchResult
from etl.store.migrate import migrate
from etl.sources import load_sources
from synthetic_site import MirrorSite, sources_yaml


def result(url: str, outcome: str = "fetched", body: bytes | None = None) -> FetchResult:
    return FetchResult(url=url, final_url=url, outcome=outcome, status=200 if outcome == "fetched" else 503,
                       content_type="text/html", charset="utf-8", etag=None, last_modified=None,
                       body=body if outcome == "fetched" else None,
                       error=None if outcome == "fetched" else "HTTP 503", attempts=1,
                       fetched_at=datetime.now(timezone.utc))


def test_record_fetches_updates_the_batch_rows_by_key_and_appends_urls_it_did_not_list(database_url):
    migrate(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        batch = rawstore.create_batch(conn, "s")
        rawstore.add_discovered(conn, batch, [f"http://a.test/{i}" for i in range(4)])
        results = [result("http://a.test/0", body=b"zero"), result("http://a.test/2", "failed"),
                   result("http://a.test/extra", body=b"extra"), result("http://a.test/3", body=b"three")]
        with conn.transaction():
            page_ids = rawstore.record_fetches(conn, batch, "s", results)
        rows = conn.execute("SELECT url, position, outcome, page_id FROM raw.batch_urls WHERE batch_id = %s "
                            "ORDER BY position", (batch,)).fetchall()
    assert page_ids[1] is None and None not in (page_ids[0], page_ids[2], page_ids[3])
    assert rows == [("http://a.test/0", 0, "fetched", page_ids[0]), ("http://a.test/1", 1, None, None),
                    ("http://a.test/2", 2, "failed", None), ("http://a.test/3", 3, "fetched", page_ids[3]),
                    ("http://a.test/extra", 4, "fetched", page_ids[2])]


def test_chunks_cover_the_stored_pages_once_in_order(database_url):
    migrate(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        batch = rawstore.create_batch(conn, "s")
        urls = [f"http://a.test/{i}" for i in range(11)]
        rawstore.add_discovered(conn, batch, urls)
        # Every third page failed: it has nothing to extract and belongs to no chunk.
        rawstore.record_fetches(conn, batch, "s", [result(u, "failed" if i % 3 == 2 else "fetched", u.encode())
                                                   for i, u in enumerate(urls)])
        chunks = rawstore.batch_chunks(conn, batch, 3)
        pages_per_chunk = [rawstore.batch_pages_to_extract(conn, batch, "v", chunk) for chunk in chunks]
        every_page = rawstore.batch_pages_to_extract(conn, batch, "v")
    assert [c.pages for c in chunks] == [3, 3, 2]  # 8 stored pages
    assert [c.index for c in chunks] == [0, 1, 2]
    assert all(a.last_position < b.first_position for a, b in zip(chunks, chunks[1:]))
    assert [page for part in pages_per_chunk for page in part] == every_page and len(every_page) == 8
    assert rawstore.Chunk.of(chunks[1].as_dict()) == chunks[1]  # through XCom and back


def test_the_last_chunk_cut_before_the_fetch_takes_a_url_the_fetch_adds(database_url):
    migrate(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        batch = rawstore.create_batch(conn, "s")
        rawstore.add_discovered(conn, batch, [f"http://a.test/{i}" for i in range(4)])
        chunks = rawstore.batch_chunks(conn, batch, 2, before_fetch=True)
        page_ids = rawstore.record_fetches(conn, batch, "s", [
            result(f"http://a.test/{i}", body=b"page") for i in range(4)] + [result("http://a.test/extra", body=b"extra")])
        per_chunk = [rawstore.batch_pages_to_extract(conn, batch, "v", chunk) for chunk in chunks]
    assert [(c.first_position, c.pages) for c in chunks] == [(0, 2), (2, 2)]
    assert per_chunk == [page_ids[:2], page_ids[2:]]  # the extra URL (position 4) in the last chunk


def test_a_chunked_run_loads_every_article_once(database_url, tmp_path):
    templates = [path.read_bytes() for path in sorted(SAMPLE_SITE.glob("*/*.html"))]
    with MirrorSite(templates, 23, per_listing=10).serve() as site:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml("mirror", site, 200), encoding="utf-8")
        migrate(database_url)
        stats = pipeline.run_source(load_sources(sources)[0], database_url, size=5)
    with psycopg.connect(database_url) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM core.articles")]
        chunks = rawstore.batch_chunks(conn, stats["batch_id"], 5)
    assert len(urls) == len(set(urls)) == 23
    assert len(chunks) == 5
    assert (stats["fetched"], stats["extracted"], stats["inserted"]) == (23, 23, 23)
    assert sorted(path for _, path in site.requests if path.startswith("/news/")) == sorted(site.article_paths)


def test_chunks_cut_before_the_fetch_are_fetched_extracted_and_loaded_one_by_one(database_url, tmp_path):
    # As the DAG runs them: the batch's URLs cut into chunks right after discovery, then each chunk
    # fetched, extracted and loaded on its own; a chunk's fetch asks for its own URLs only.
    templates = [path.read_bytes() for path in sorted(SAMPLE_SITE.glob("*/*.html"))]
    with MirrorSite(templates, 23, per_listing=10).serve() as site:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sources_yaml("mirror", site, 200), encoding="utf-8")
        source = load_sources(sources)[0]
        migrate(database_url)
        batch_id = pipeline.discover(source, database_url)["batch_id"]
        planned = pipeline.chunks(batch_id, database_url, 5, before_fetch=True)
        assert pipeline.chunks(batch_id, database_url, 5) == []  # nothing stored yet
        assert [c["pages"] for c in planned] == [5, 5, 5, 5, 3]
        loaded_after_each_chunk, requested_after_each_chunk = [], []
        for chunk in planned:
            fetched = pipeline.fetch(batch_id, source, database_url, chunk=chunk)
            assert fetched["fetched"] == chunk["pages"]
            pipeline.extract(batch_id, source, database_url, chunk=chunk)
            pipeline.load(batch_id, database_url, chunk=chunk)
            with psycopg.connect(database_url) as conn:
                loaded_after_each_chunk.append(conn.execute("SELECT count(*) FROM core.articles").fetchone()[0])
            requested_after_each_chunk.append(sum(path.startswith("/news/") for _, path in site.requests))
        again = pipeline.fetch(batch_id, source, database_url, chunk=planned[0])  # a retried task: nothing left
    assert loaded_after_each_chunk == requested_after_each_chunk == [5, 10, 15, 20, 23]
    assert again["fetched"] == 0
    assert sorted(path for _, path in site.requests if path.startswith("/news/")) == sorted(site.article_paths)
