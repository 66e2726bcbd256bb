"""Load extracted records into the core layer: idempotent, set-based upserts keyed by canonical URL.

A load is a few statements whatever its size (COPY into temporary tables, then one upsert), not a
round trip per record:

1. COPY the key of every record (URL, content hash, extractor version, fetch times) and ask which
   ones would change anything. Loading the same records again stops here: nothing is written.
2. COPY the full rows of those records only, and upsert them in one statement that also keeps the
   previous version of every article whose page content changed (core.article_versions).
3. Replace the events of the articles whose content is new or changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import date, datetime

from psycopg.types.json import Jsonb

from etl.record import RECORD_FIELDS

log = logging.getLogger(__name__)

Row = tuple[int | None, datetime, datetime, dict]  # (page_id, first_seen, last_seen, record)

_KEY_COLUMNS = ("url", "content_hash", "extractor_version", "first_seen", "last_seen")
_ARTICLE_COLUMNS = ("url", "source", "language", "title", "alt_titles", "published_at", "translation_of_url",
                    "body_paragraphs", "countries_mentioned", "extractor_version", "content_hash", "page_id",
                    "first_seen", "last_seen")
_ARTICLE_TYPES = ("text", "text", "text", "text", "jsonb", "date", "text", "text[]", "text[]", "text", "text",
                  "int8", "timestamptz", "timestamptz")

# A row is written when it is new or says something the stored one does not.
_DIFFERS = """a.content_hash IS DISTINCT FROM {new}.content_hash
           OR a.extractor_version IS DISTINCT FROM {new}.extractor_version
           OR a.last_seen < {new}.last_seen
           OR a.first_seen > {new}.first_seen"""

_CHANGED_KEYS = f"""
SELECT k.url FROM load_keys k LEFT JOIN core.articles a USING (url)
WHERE a.url IS NULL OR {_DIFFERS.format(new="k")}
"""

# One statement, so every part reads the table as it was before it (see "Data-Modifying Statements
# in WITH"): `old` is the previous row of each written article, which `kept` saves as a version when
# the content changed because the page did. A re-extraction of the same page (reprocess) corrects the
# current version in place: history follows the pages, not the extractor.
_NEW_PAGE_VERSION = "{old}.content_hash <> {new}.content_hash AND ({old}.page_id IS DISTINCT FROM {new}.page_id OR {new}.page_id IS NULL)"

_UPSERT = f"""
WITH incoming AS (
    SELECT s.*, coalesce(p.first_fetched_at, s.last_seen) AS content_since
    FROM load_articles s LEFT JOIN raw.pages p ON p.page_id = s.page_id
), up AS (
    INSERT INTO core.articles AS a ({', '.join(_ARTICLE_COLUMNS)}, valid_from)
    SELECT {', '.join(_ARTICLE_COLUMNS)}, content_since FROM incoming
    ON CONFLICT (url) DO UPDATE SET
        source = EXCLUDED.source, language = EXCLUDED.language, title = EXCLUDED.title,
        alt_titles = EXCLUDED.alt_titles, published_at = EXCLUDED.published_at,
        translation_of_url = EXCLUDED.translation_of_url, body_paragraphs = EXCLUDED.body_paragraphs,
        countries_mentioned = EXCLUDED.countries_mentioned, extractor_version = EXCLUDED.extractor_version,
        content_hash = EXCLUDED.content_hash, page_id = EXCLUDED.page_id,
        valid_from = CASE WHEN {_NEW_PAGE_VERSION.format(old="a", new="EXCLUDED")}
                          THEN GREATEST(EXCLUDED.valid_from, a.valid_from) ELSE a.valid_from END,
        first_seen = LEAST(a.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(a.last_seen, EXCLUDED.last_seen)
    WHERE {_DIFFERS.format(new="EXCLUDED")}
    RETURNING a.article_id, a.url, a.content_hash, a.page_id, a.valid_from, (a.xmax = 0) AS inserted
), kept AS (
    INSERT INTO core.article_versions (article_id, url, source, language, title, alt_titles, published_at,
                                       translation_of_url, body_paragraphs, countries_mentioned,
                                       extractor_version, content_hash, page_id, valid_from, valid_to)
    SELECT old.article_id, old.url, old.source, old.language, old.title, old.alt_titles, old.published_at,
           old.translation_of_url, old.body_paragraphs, old.countries_mentioned,
           old.extractor_version, old.content_hash, old.page_id, old.valid_from, up.valid_from
    FROM up JOIN core.articles old USING (article_id)
    WHERE NOT up.inserted AND {_NEW_PAGE_VERSION.format(old="old", new="up")}
    RETURNING article_id, version_id
)
SELECT up.article_id, up.url, up.inserted, old.content_hash IS DISTINCT FROM up.content_hash, kept.version_id
FROM up LEFT JOIN core.articles old USING (article_id) LEFT JOIN kept USING (article_id)
"""

_LINK_TRANSLATIONS = """
INSERT INTO core.article_translations (article_url, translation_url)
SELECT url, translation_of_url FROM load_articles WHERE translation_of_url IS NOT NULL AND translation_of_url <> url
ON CONFLICT DO NOTHING
"""


def content_hash(record: dict) -> str:
    """Stable hash of what the record says (its fields only), so unchanged content is detectable."""
    canonical = {key: record.get(key) for key in RECORD_FIELDS}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_records(conn, rows: Iterable[Row], extractor_version: str) -> dict:
    """Upsert (page_id, first_seen, last_seen, record) rows in one transaction. Returns counts.

    Idempotent: loading the same rows again writes nothing. Records without URL or source, or with a
    publication date that is not an ISO date, are skipped with a warning (their raw extraction keeps them).
    """
    counts = {"inserted": 0, "updated": 0, "unchanged": 0, "skipped": 0, "versions_kept": 0}
    latest, counts["skipped"] = _loadable_rows(rows)
    if not latest:
        return counts
    hashes = {url: content_hash(record) for url, (_, _, _, record) in latest.items()}
    with conn.transaction(), conn.cursor() as cur:
        changed = _changed_urls(cur, latest, hashes, extractor_version)
        counts["unchanged"] = len(latest) - len(changed)
        if changed:
            written = _upsert_articles(cur, [latest[url] for url in changed], hashes, extractor_version)
            counts["inserted"] = sum(1 for w in written if w.inserted)
            counts["updated"] = len(written) - counts["inserted"]
            # A concurrent load may have written some of them first.
            counts["unchanged"] += len(changed) - len(written)
            counts["versions_kept"] = _keep_version_events(conn, written)
            _replace_events(conn, written, latest, extractor_version)
            cur.execute(_LINK_TRANSLATIONS)
    return counts


def _loadable_rows(rows: Iterable[Row]) -> tuple[dict[str, Row], int]:
    """The rows that can be keyed, the latest fetch per URL; and how many were skipped."""
    latest: dict[str, Row] = {}
    skipped = 0
    for row in rows:
        record = row[3]
        problem = _unloadable(record)
        if problem:
            skipped += 1
            log.warning("not loading %s: %s", record.get("url") or "a record without URL", problem)
            continue
        # Two pages with one canonical URL in a batch: the later fetch wins, as it would one at a time.
        url = record["url"]
        if url in latest:
            skipped += 1
            if latest[url][2] > row[2]:
                continue
        latest[url] = row
    return latest, skipped


def _unloadable(record: dict) -> str | None:
    if not record.get("url") or not record.get("source"):
        return "no URL or source"
    published = record.get("published_at")
    if published is not None:
        try:
            date.fromisoformat(published)
        except (TypeError, ValueError):
            return f"published_at is not an ISO date: {published!r}"
    return None


def _changed_urls(cur, latest: dict[str, Row], hashes: dict[str, str], extractor_version: str) -> list[str]:
    cur.execute("CREATE TEMP TABLE load_keys (url text, content_hash text, extractor_version text, "
                "first_seen timestamptz, last_seen timestamptz) ON COMMIT DROP")
    with cur.copy(f"COPY load_keys ({', '.join(_KEY_COLUMNS)}) FROM STDIN") as copy:
        copy.set_types(["text", "text", "text", "timestamptz", "timestamptz"])
        for url, (_, first_seen, last_seen, _) in latest.items():
            copy.write_row((url, hashes[url], extractor_version, first_seen, last_seen))
    return [row[0] for row in cur.execute(_CHANGED_KEYS)]


class _Written(tuple):
    __slots__ = ()
    article_id = property(lambda self: self[0])
    url = property(lambda self: self[1])
    inserted = property(lambda self: self[2])
    content_changed = property(lambda self: self[3])
    version_id = property(lambda self: self[4])


def _upsert_articles(cur, rows: list[Row], hashes: dict[str, str], extractor_version: str) -> list[_Written]:
    columns = ", ".join(f"{name} {type_}" for name, type_ in zip(_ARTICLE_COLUMNS, _ARTICLE_TYPES))
    cur.execute(f"CREATE TEMP TABLE load_articles ({columns}) ON COMMIT DROP")
    with cur.copy(f"COPY load_articles ({', '.join(_ARTICLE_COLUMNS)}) FROM STDIN") as copy:
        copy.set_types(list(_ARTICLE_TYPES))
        for page_id, first_seen, last_seen, record in rows:
            copy.write_row(_article_values(record, hashes[record["url"]], extractor_version, page_id,
                                           first_seen, last_seen))
    return [_Written(row) for row in cur.execute(_UPSERT)]


def _article_values(record: dict, record_hash: str, extractor_version: str, page_id: int | None,
                    first_seen: datetime, last_seen: datetime) -> tuple:
    return (
        record["url"], record["source"], record.get("language"), record.get("title"),
        Jsonb(record.get("alt_titles") or {}), record.get("published_at"), record.get("translation_of_url"),
        record.get("body_paragraphs") or [], record.get("countries_mentioned") or [],
        extractor_version, record_hash, page_id, first_seen, last_seen,
    )


def _keep_version_events(conn, written: list[_Written]) -> int:
    """Copy the events of each replaced version into its core.article_versions row (before they go)."""
    versions = {w.article_id: w.version_id for w in written if w.version_id is not None}
    if not versions:
        return 0
    from etl.load_events import events_for_articles

    events = events_for_articles(conn, list(versions))
    with conn.cursor() as cur:
        cur.executemany("UPDATE core.article_versions SET events = %s WHERE version_id = %s",
                        [(Jsonb(events.get(article_id, [])), version_id) for article_id, version_id in versions.items()])
    return len(versions)


def _replace_events(conn, written: list[_Written], latest: dict[str, Row], extractor_version: str) -> None:
    """New or changed content brings its own events; a fetch-time-only update keeps the stored ones."""
    from etl.load_events import replace_events

    for w in written:
        if w.inserted or w.content_changed:
            replace_events(conn, w.article_id, latest[w.url][3].get("events") or [])
