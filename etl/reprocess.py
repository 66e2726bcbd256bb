"""Re-extract every stored page with the current extractor, without network, and update the records.

Works from the raw store: the latest stored version of every URL is extracted again and loaded like a
batch would be. Same page, so the articles are corrected in place (no history version); an extraction
identical to the stored one is not rewritten, so a second reprocess changes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter

from etl.store import db, errors, rawstore
from etl.extract import EXTRACTOR_VERSION, extract_record
from etl.pipeline import load_rows
from etl.sources import Source

log = logging.getLogger(__name__)

CHUNK_PAGES = 200  # records held in memory between loads

_PAGE_FACTS = """
SELECT p.page_id, p.source, first_seen.at, p.last_fetched_at, e.record
FROM raw.pages p
CROSS JOIN LATERAL (SELECT min(first_fetched_at) AS at FROM raw.pages q WHERE q.url = p.url) first_seen
LEFT JOIN raw.extractions e ON e.page_id = p.page_id AND e.extractor_version = %s
WHERE p.page_id = ANY(%s)
"""


def reprocess(dsn: str | None = None, source: str | None = None, sources: list[Source] = (),
              extractor_version: str = EXTRACTOR_VERSION) -> dict:
    """Re-extract and reload the latest page of every URL (of `source`). Returns counts.

    `sources` gives each source's CSS selector overrides, as the pipeline uses them.
    """
    configured = {s.name: s for s in sources}
    counts: Counter[str] = Counter()
    dsn = db.resolve_dsn(dsn)
    with db.connect(dsn, autocommit=True) as conn:
        page_ids = rawstore.latest_page_ids(conn, source)
        for start in range(0, len(page_ids), CHUNK_PAGES):
            rows = _extract_pages(conn, page_ids[start:start + CHUNK_PAGES], configured, extractor_version, counts)
            counts.update(load_rows(conn, rows, dsn, extractor_version=extractor_version))
    return {"source": source, "pages": len(page_ids), **counts}


def _extract_pages(conn, page_ids: list[int], configured: dict[str, Source], extractor_version: str,
                   counts: Counter) -> list:
    rows = []
    for page_id, source_name, first_seen, last_seen, stored in conn.execute(_PAGE_FACTS, (extractor_version, page_ids)):
        page = rawstore.read_page(conn, page_id)
        source = configured.get(source_name)
        record = extract_record(page.body, page.url, source_name, charset=page.charset,
                                selectors=source.selectors if source else None)
        if record != stored:
            rawstore.save_extraction(conn, page_id, extractor_version, record)
            counts["extractions_changed"] += 1
        if record.get("error"):
            counts["extract_errors"] += 1
            log.warning("cannot extract %s: %s", page.url, record["error"])
            errors.record_failure(conn, "extract", source_name, page.url,
                                  record.get("error_class") or "ExtractionError", record["error"])
            continue  # the article keeps its last good version
        errors.clear(conn, "extract", [page.url])
        rows.append((page_id, first_seen, last_seen, record))
    return rows
