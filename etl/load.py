"""Load extracted records into the core layer: idempotent upserts keyed by canonical URL."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from psycopg.types.json import Jsonb

from etl.record import RECORD_FIELDS

_UPSERT_ARTICLE = """
INSERT INTO core.articles AS a (url, source, language, title, alt_titles, published_at, translation_of_url,
                                body_paragraphs, countries_mentioned, extractor_version, content_hash, page_id,
                                first_seen, last_seen)
VALUES (%(url)s, %(source)s, %(language)s, %(title)s, %(alt_titles)s, %(published_at)s, %(translation_of_url)s,
        %(body_paragraphs)s, %(countries_mentioned)s, %(extractor_version)s, %(content_hash)s, %(page_id)s,
        %(first_seen)s, %(last_seen)s)
ON CONFLICT (url) DO UPDATE SET
    source = EXCLUDED.source, language = EXCLUDED.language, title = EXCLUDED.title,
    alt_titles = EXCLUDED.alt_titles, published_at = EXCLUDED.published_at,
    translation_of_url = EXCLUDED.translation_of_url, body_paragraphs = EXCLUDED.body_paragraphs,
    countries_mentioned = EXCLUDED.countries_mentioned, extractor_version = EXCLUDED.extractor_version,
    content_hash = EXCLUDED.content_hash, page_id = EXCLUDED.page_id,
    first_seen = LEAST(a.first_seen, EXCLUDED.first_seen),
    last_seen = GREATEST(a.last_seen, EXCLUDED.last_seen)
-- Same input again: nothing to write, so the row (and its events) stay untouched.
WHERE a.content_hash IS DISTINCT FROM EXCLUDED.content_hash
   OR a.extractor_version IS DISTINCT FROM EXCLUDED.extractor_version
   OR a.last_seen < EXCLUDED.last_seen
   OR a.first_seen > EXCLUDED.first_seen
RETURNING article_id, content_hash, (xmax = 0) AS inserted
"""


def content_hash(record: dict) -> str:
    """Stable hash of what the record says (its fields only), so unchanged content is detectable."""
    canonical = {key: record.get(key) for key in RECORD_FIELDS}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def article_row(record: dict, *, extractor_version: str, page_id: int | None,
                first_seen: datetime, last_seen: datetime) -> dict:
    return {
        "url": record["url"],
        "source": record["source"],
        "language": record.get("language"),
        "title": record.get("title"),
        "alt_titles": Jsonb(record.get("alt_titles") or {}),
        "published_at": record.get("published_at"),
        "translation_of_url": record.get("translation_of_url"),
        "body_paragraphs": record.get("body_paragraphs") or [],
        "countries_mentioned": record.get("countries_mentioned") or [],
        "extractor_version": extractor_version,
        "content_hash": content_hash(record),
        "page_id": page_id,
        "first_seen": first_seen,
        "last_seen": last_seen,
    }


def load_records(conn, rows: Iterable[tuple[int | None, datetime, datetime, dict]], extractor_version: str) -> dict:
    """Upsert (page_id, first_seen, last_seen, record) rows in one transaction. Returns counts."""
    from etl.load_events import replace_events

    counts = {"inserted": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    with conn.transaction(), conn.cursor() as cur:
        for page_id, first_seen, last_seen, record in rows:
            if not record.get("url") or not record.get("source"):
                counts["skipped"] += 1  # cannot be keyed; its extraction row says why
                continue
            row = article_row(record, extractor_version=extractor_version, page_id=page_id,
                              first_seen=first_seen, last_seen=last_seen)
            cur.execute(_UPSERT_ARTICLE, row)
            written = cur.fetchone()
            if written is None:
                counts["unchanged"] += 1
                continue
            article_id, _, inserted = written
            counts["inserted" if inserted else "updated"] += 1
            replace_events(conn, article_id, record.get("events") or [])
            _link_translation(cur, record)
    return counts


def _link_translation(cur, record: dict) -> None:
    if record.get("translation_of_url") and record["translation_of_url"] != record["url"]:
        cur.execute(
            "INSERT INTO core.article_translations (article_url, translation_url) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (record["url"], record["translation_of_url"]),
        )
