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
from typing import NamedTuple

from psycopg.types.json import Jsonb

from etl.record import EVENT, RECORD, RECORD_FIELDS, SCALAR_KINDS, validate

log = logging.getLogger(__name__)

Row = tuple[int | None, datetime, datetime, dict]  # (page_id, first_seen, last_seen, record)

ANALYZE_AFTER_INSERTS = 1000
_LOADED_TABLES = ("core.articles", "core.article_translations", "core.events", "core.event_organizers",
                  "core.event_sessions", "core.event_speakers", "core.organizations", "core.people")

# Column lists from the record's declaration (etl/record.py), then the loader's own bookkeeping columns.
_EVENT_COLUMNS = EVENT.columns(SCALAR_KINDS)
_KEY_COLUMNS = ("url", "content_hash", "extractor_version", "first_seen", "last_seen")
_COLUMN_TYPES = {"text": "text", "date": "date", "object": "jsonb", "texts": "text[]"}
_RECORD_COLUMNS = RECORD.columns(tuple(_COLUMN_TYPES))
_BOOKKEEPING = (("extractor_version", "text"), ("content_hash", "text"), ("page_id", "int8"),
                ("first_seen", "timestamptz"), ("last_seen", "timestamptz"))
_ARTICLE_COLUMNS = _RECORD_COLUMNS + tuple(name for name, _ in _BOOKKEEPING)
_ARTICLE_TYPES = tuple(_COLUMN_TYPES[RECORD.field(name).kind] for name in _RECORD_COLUMNS) + \
    tuple(type_ for _, type_ in _BOOKKEEPING)

# A row is written when it is new or says something the stored one does not.
# Something to write, unless it is other content from an older fetch than the stored one (a late
# load of a batch that an unfinished run left) - that must not roll the article back.
_DIFFERS = """(a.content_hash IS DISTINCT FROM {new}.content_hash
            OR a.extractor_version IS DISTINCT FROM {new}.extractor_version
            OR a.last_seen < {new}.last_seen
            OR a.first_seen > {new}.first_seen)
           AND NOT ({new}.last_seen < a.last_seen AND a.content_hash IS DISTINCT FROM {new}.content_hash)"""

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
    RETURNING a.article_id, a.url, a.content_hash, a.page_id, a.valid_from, a.extractor_version,
              (a.xmax = 0) AS inserted
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
SELECT up.article_id, up.url, up.inserted, old.content_hash IS DISTINCT FROM up.content_hash, kept.version_id,
       old.extractor_version IS DISTINCT FROM up.extractor_version
FROM up LEFT JOIN core.articles old USING (article_id) LEFT JOIN kept USING (article_id)
"""

# A page whose hreflang changed or went away no longer links its old translation.
_LINK_TRANSLATIONS = """
DELETE FROM core.article_translations t USING load_articles l
WHERE t.article_url = l.url AND t.translation_url IS DISTINCT FROM l.translation_of_url;
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

    Counts (named apart from the fetch stage's `unchanged`/`skipped`, as the pipeline merges them):
    inserted; updated (content or extractor version changed); articles_unchanged (same content, fetch
    times may have moved); records_skipped; versions_kept (previous versions kept: the page changed).
    Idempotent: loading the same rows again writes nothing. A record the warehouse cannot hold (no URL
    or source, a date that is not ISO, an event ending before it starts, ...) is skipped with a warning
    naming it; its raw extraction keeps it and `python -m etl check` reports it.
    """
    counts = {"inserted": 0, "updated": 0, "articles_unchanged": 0, "records_skipped": 0, "versions_kept": 0}
    latest, events, counts["records_skipped"] = _loadable_rows(rows)
    if not latest:
        return counts
    hashes = {url: content_hash(record) for url, (_, _, _, record) in latest.items()}
    with conn.transaction(), conn.cursor() as cur:
        changed = _changed_urls(cur, latest, hashes, extractor_version)
        counts["articles_unchanged"] = len(latest) - len(changed)
        if changed:
            written = _upsert_articles(cur, [latest[url] for url in changed], hashes, extractor_version)
            counts["inserted"] = sum(1 for w in written if w.inserted)
            counts["updated"] = sum(1 for w in written if not w.inserted and (w.content_changed or w.extractor_changed))
            # Only fetch times moved (the page was fetched again, same content): nothing to report.
            counts["articles_unchanged"] += len(changed) - counts["inserted"] - counts["updated"]
            counts["versions_kept"] = _keep_version_events(conn, written)
            _replace_events(conn, written, events)
            cur.execute(_LINK_TRANSLATIONS)
            if counts["inserted"] >= ANALYZE_AFTER_INSERTS:
                # Fresh statistics right away, not at autovacuum's next round: with the planner
                # believing the tables are still small, the reporting views took ~40 s instead of ~0.1 s.
                cur.execute(f"ANALYZE {', '.join(_LOADED_TABLES)}")
    return counts


def _loadable_rows(rows: Iterable[Row]) -> tuple[dict[str, Row], dict[str, list[dict]], int]:
    """The rows that can be loaded, the latest fetch per URL; their validated events by URL; and how
    many rows were skipped."""
    latest: dict[str, Row] = {}
    events: dict[str, list[dict]] = {}
    skipped = 0
    for row in rows:
        record = row[3]
        try:
            record_events = check_record(record)
        except ValueError as exc:
            skipped += 1
            log.warning("not loading %s: %s", record.get("url") or "a record without URL", exc)
            continue
        # Two pages with one canonical URL in a batch: the later fetch wins, as it would one at a time.
        url = record["url"]
        if url in latest:
            skipped += 1
            if latest[url][2] > row[2]:
                continue
        latest[url] = row
        events[url] = record_events
    return latest, events, skipped


def check_record(record: dict) -> list[dict]:
    """The loader's rules: ValueError says what in the record the warehouse cannot hold (the loader
    skips such records). Returns the record's events as the warehouse stores them."""
    from etl.store.load_events import validated_event

    if not record.get("url") or not record.get("source"):
        raise ValueError("no URL or source")
    # The record's fields by their declaration (etl/record.py); other keys (an extraction's error) are not stored.
    validate(RECORD, {key: record.get(key) for key in RECORD_FIELDS}, "record")
    events = [validated_event(event, index) for index, event in enumerate(record.get("events") or [])]
    for index, event in enumerate(events):
        if event["start_date"] and event["end_date"] and event["end_date"] < event["start_date"]:
            raise ValueError(f"event {index}: end_date {event['end_date']} is before start_date {event['start_date']}")
    return events


def _changed_urls(cur, latest: dict[str, Row], hashes: dict[str, str], extractor_version: str) -> list[str]:
    # DROP first: inside a caller's open transaction the previous load's tables still exist.
    cur.execute("DROP TABLE IF EXISTS pg_temp.load_keys, pg_temp.load_articles")
    cur.execute("CREATE TEMP TABLE load_keys (url text, content_hash text, extractor_version text, "
                "first_seen timestamptz, last_seen timestamptz) ON COMMIT DROP")
    with cur.copy(f"COPY load_keys ({', '.join(_KEY_COLUMNS)}) FROM STDIN") as copy:
        copy.set_types(["text", "text", "text", "timestamptz", "timestamptz"])
        for url, (_, first_seen, last_seen, _) in latest.items():
            copy.write_row((url, hashes[url], extractor_version, first_seen, last_seen))
    return [row[0] for row in cur.execute(_CHANGED_KEYS)]


class _Written(NamedTuple):
    """An article row the upsert wrote (the columns of the _UPSERT result, in order)."""

    article_id: int
    url: str
    inserted: bool
    content_changed: bool
    version_id: int | None  # the kept previous version, when the page content changed
    extractor_changed: bool


def _upsert_articles(cur, rows: list[Row], hashes: dict[str, str], extractor_version: str) -> list[_Written]:
    columns = ", ".join(f"{name} {type_}" for name, type_ in zip(_ARTICLE_COLUMNS, _ARTICLE_TYPES))
    cur.execute(f"CREATE TEMP TABLE load_articles ({columns}) ON COMMIT DROP")
    with cur.copy(f"COPY load_articles ({', '.join(_ARTICLE_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(list(_ARTICLE_TYPES))
        for page_id, first_seen, last_seen, record in rows:
            copy.write_row(_article_values(record, hashes[record["url"]], extractor_version, page_id,
                                           first_seen, last_seen))
    return [_Written(*row) for row in cur.execute(_UPSERT)]


def _article_values(record: dict, record_hash: str, extractor_version: str, page_id: int | None,
                    first_seen: datetime, last_seen: datetime) -> tuple:
    return tuple(_column_value(RECORD.field(name).kind, record.get(name)) for name in _RECORD_COLUMNS) + (
        extractor_version, record_hash, page_id, first_seen, last_seen)


def _column_value(kind: str, value):
    if kind == "object":
        return Jsonb(value or {})
    if kind == "texts":
        return value or []
    if kind == "date":
        return _date(value)
    return value


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _keep_version_events(conn, written: list[_Written]) -> int:
    """Copy the events of each replaced version into its core.article_versions row (before they go)."""
    versions = {w.article_id: w.version_id for w in written if w.version_id is not None}
    if not versions:
        return 0
    from etl.store.load_events import events_for_articles

    events = events_for_articles(conn, list(versions))
    with conn.cursor() as cur:
        cur.executemany("UPDATE core.article_versions SET events = %s WHERE version_id = %s",
                        [(Jsonb(events.get(article_id, [])), version_id) for article_id, version_id in versions.items()])
    return len(versions)


def _replace_events(conn, written: list[_Written], events: dict[str, list[dict]]) -> None:
    """New or changed content brings its own events; a fetch-time-only update keeps the stored ones.

    New articles have no stored events, so theirs are inserted in bulk; changed ones go through
    `replace_events`, which rewrites only what differs.
    """
    from etl.store.load_events import replace_events

    new = {w.article_id: events[w.url] for w in written if w.inserted and events[w.url]}
    if new:
        _insert_new_events(conn, new)
    for w in written:
        if w.content_changed and not w.inserted:
            replace_events(conn, w.article_id, events[w.url])


def _insert_new_events(conn, events_by_article: dict[int, list[dict]]) -> None:
    """The events of articles that have none stored yet, by COPY: what `replace_events` would write.

    Organizations and people are resolved once per distinct spelling (the same resolution as
    `replace_events`), event ids drawn from the sequence in one query, each table filled by one COPY,
    and the people and organizations of translated events linked in one pass.
    """
    from etl.store.load_events import CHILD_COLUMNS, child_rows, link_translations, organization_id_for, person_ids_for

    with conn.cursor() as cur:
        organizations: dict[tuple[str, str | None], int] = {}
        # Every speaker's person in two statements, not a round trip or two per spelling.
        people = person_ids_for(cur, [speaker["name"] for events in events_by_article.values()
                                      for event in events for speaker in event["speakers"]])

        def organization(name: str, acronym: str | None) -> int:
            if (name, acronym) not in organizations:
                organizations[(name, acronym)] = organization_id_for(cur, name, acronym)
            return organizations[(name, acronym)]

        def person(name: str) -> int:
            return people[name]

        total = sum(len(events) for events in events_by_article.values())
        event_ids = iter([row[0] for row in cur.execute(
            "SELECT nextval(pg_get_serial_sequence('core.events', 'event_id')) FROM generate_series(1, %s)", (total,))])
        event_rows = []
        children: dict[str, list[tuple]] = {table: [] for table in CHILD_COLUMNS}
        for article_id, events in events_by_article.items():
            for position, event in enumerate(events):
                event_id = next(event_ids)
                event_rows.append((event_id, article_id, position, *(event[c] for c in _EVENT_COLUMNS)))
                for table, rows in child_rows(event_id, event, organization, person).items():
                    children[table] += rows
        _copy(cur, "core.events", ("event_id", "article_id", "position", *_EVENT_COLUMNS), event_rows)
        for table, rows in children.items():
            _copy(cur, table, CHILD_COLUMNS[table], rows)
        link_translations(cur, list(events_by_article))


def _copy(cur, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if rows:
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
