"""The pipeline, stage by stage: discover -> fetch -> extract -> load.

Each stage takes a batch id, reads its input from the raw store and writes its output there (or to the
core layer), and returns small counts. The DAG runs the stages as tasks; `python -m etl run` runs them
in a row. Both call these functions.
"""

from __future__ import annotations

import logging
from collections import Counter

from etl import db, rawstore
from etl.extract import EXTRACTOR_VERSION, extract_record
from etl.load import load_records
from etl.sources import Source

log = logging.getLogger(__name__)


class SiteUnreachable(RuntimeError):
    """Discovery read no listing, feed or sitemap at all: fail, so the scheduler retries later."""


def discover(source: Source, dsn: str | None = None, *, refresh: bool = False) -> dict:
    """Find the source's article URLs not loaded yet (all of them with `refresh`) and open a batch."""
    from etl.crawl import Crawler

    with db.connect(dsn, autocommit=True) as conn:
        known = set() if refresh else rawstore.known_urls(conn, source.name)
        with Crawler(source) as crawler:
            urls = crawler.discover(is_known=known.__contains__)
            stats = crawler.stats
        if stats["discovery_read"] == 0 and stats["discovery_errors"] > 0:
            raise SiteUnreachable(f"source {source.name}: no listing, feed or sitemap could be read: "
                                  + "; ".join(stats["discovery_error_samples"][:3]))
        with conn.transaction():
            batch_id = rawstore.create_batch(conn, source.name, refresh)
            discovered = rawstore.add_discovered(conn, batch_id, urls)
    log.info("source %s: batch %s discovered %d new article URLs", source.name, batch_id, discovered)
    discovery_counts = {k: v for k, v in stats.items() if k.startswith("discovery_") and k != "discovery_error_samples"}
    return {"batch_id": batch_id, "discovered": discovered, **discovery_counts}


def fetch(batch_id: int, source: Source, dsn: str | None = None) -> dict:
    """Fetch every URL of the batch not fetched yet; each result is committed as it comes."""
    from etl.crawl import Crawler
    from etl.progress import Progress

    with db.connect(dsn, autocommit=True) as conn:
        urls = rawstore.urls_to_fetch(conn, batch_id)
        progress = Progress(total=len(urls), label=f"fetch {source.name}")
        with Crawler(source) as crawler:
            for url in urls:
                etag, last_modified = rawstore.validators(conn, url)
                result = crawler.fetch(url, etag=etag, last_modified=last_modified)
                with conn.transaction():
                    rawstore.record_fetch(conn, batch_id, source.name, result)
                progress.advance(result.outcome)
        summary = progress.finish()
    summary.pop("discovered", None)  # the discover stage's number
    summary["fetch_seconds"] = summary.pop("seconds")
    return {"batch_id": batch_id, **summary}


def extract(batch_id: int, source: Source | None = None, dsn: str | None = None) -> dict:
    """Extract a record from every stored page of the batch not yet extracted by this version."""
    counts: Counter[str] = Counter()
    with db.connect(dsn, autocommit=True) as conn:
        for page_id in rawstore.batch_pages_to_extract(conn, batch_id, EXTRACTOR_VERSION):
            counts["error" if extract_page(conn, page_id, source) else "extracted"] += 1
    return {"batch_id": batch_id, "extracted": counts["extracted"], "extract_errors": counts["error"]}


def extract_page(conn, page_id: int, source: Source | None) -> str | None:
    """Extract one stored page into raw.extractions; returns the error, if any."""
    page = rawstore.read_page(conn, page_id)
    record = extract_record(
        page.body, page.url, source.name if source else None,
        charset=page.charset, selectors=getattr(source, "selectors", None),
    )
    rawstore.save_extraction(conn, page_id, EXTRACTOR_VERSION, record)
    if record.get("error"):
        log.warning("cannot extract %s: %s", page.url, record["error"])
    return record.get("error")


def load(batch_id: int, dsn: str | None = None) -> dict:
    """Upsert the batch's extracted records into the core layer."""
    with db.connect(dsn) as conn:
        rows = rawstore.batch_extractions(conn, batch_id, EXTRACTOR_VERSION)
        counts = load_records(conn, rows, EXTRACTOR_VERSION)
    return {"batch_id": batch_id, **counts}


def finish(batch_id: int, stats: dict, dsn: str | None = None) -> None:
    with db.connect(dsn, autocommit=True) as conn:
        rawstore.finish_batch(conn, batch_id, stats)


def run_source(source: Source, dsn: str | None = None, *, refresh: bool = False) -> dict:
    """All stages for one source, in this process."""
    stats = discover(source, dsn, refresh=refresh)
    batch_id = stats["batch_id"]
    for stage_stats in (fetch(batch_id, source, dsn), extract(batch_id, source, dsn), load(batch_id, dsn)):
        stats.update(stage_stats)
    finish(batch_id, stats, dsn)
    return {"source": source.name, **stats}
