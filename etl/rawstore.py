"""The raw store: batches, discovered URLs, fetched bodies (gzip + SHA-256) and extractions.

It is the hand-off between pipeline stages: each stage reads what the previous one wrote here, so
stages can run in different processes or workers and any one can be rerun.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from psycopg.types.json import Jsonb

# Outcomes whose page is (or was already) stored and can be extracted/loaded.
# `carried_over`: stored by an earlier batch that never finished, handed to a later one (see below).
STORED_OUTCOMES = ("fetched", "not_modified", "carried_over")


@dataclass(frozen=True)
class StoredPage:
    page_id: int
    url: str
    charset: str | None
    body: bytes
    fetched_at: datetime


def create_batch(conn, source: str, refresh: bool = False) -> int:
    return conn.execute(
        "INSERT INTO raw.batches (source, refresh) VALUES (%s, %s) RETURNING batch_id", (source, refresh)
    ).fetchone()[0]


class BatchRobots:
    """robots.txt per site for one batch: read once per run, shared by the discover and fetch stages."""

    def __init__(self, conn, batch_id: int):
        self._conn = conn
        self._batch_id = batch_id

    def get(self, site: str) -> tuple[int | None, str] | None:
        row = self._conn.execute("SELECT status, body FROM raw.batch_robots WHERE batch_id = %s AND site = %s",
                                 (self._batch_id, site)).fetchone()
        return (row[0], row[1]) if row else None

    def put(self, site: str, status: int | None, body: str) -> None:
        self._conn.execute(
            "INSERT INTO raw.batch_robots (batch_id, site, status, body) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (self._batch_id, site, status, body.replace("\x00", "")),
        )


def note_batch(conn, batch_id: int, stats: dict) -> None:
    conn.execute("UPDATE raw.batches SET stats = stats || %s WHERE batch_id = %s", (Jsonb(stats), batch_id))


def finish_batch(conn, batch_id: int, stats: dict) -> None:
    conn.execute(
        "UPDATE raw.batches SET finished_at = now(), stats = stats || %s WHERE batch_id = %s",
        (Jsonb(stats), batch_id),
    )


def batch_source(conn, batch_id: int) -> tuple[str, bool]:
    row = conn.execute("SELECT source, refresh FROM raw.batches WHERE batch_id = %s", (batch_id,)).fetchone()
    if row is None:
        raise LookupError(f"no batch {batch_id}")
    return row[0], row[1]


def add_discovered(conn, batch_id: int, urls: Iterable[str]) -> int:
    rows = [(batch_id, url, position) for position, url in enumerate(urls)]
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO raw.batch_urls (batch_id, url, position) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", rows
        )
    return len(rows)


def carry_over_unfinished(conn, batch_id: int, source: str) -> int:
    """Hand to this batch the stored pages of `source` that no finished batch has processed.

    A run that stopped after fetching (killed, or out of retries) leaves its pages stored but not
    extracted or loaded; discovery will not offer them again, since they are stored. The next batch
    takes them over, so extract and load (both idempotent) complete them.
    """
    return conn.execute(
        """INSERT INTO raw.batch_urls (batch_id, url, position, outcome, http_status, fetched_at, page_id)
           SELECT %(batch)s, p.url,
                  COALESCE((SELECT max(position) FROM raw.batch_urls WHERE batch_id = %(batch)s), -1)
                      + row_number() OVER (ORDER BY p.url),
                  'carried_over', p.http_status, p.last_fetched_at, p.page_id
           FROM (SELECT DISTINCT ON (url) page_id, url, http_status, last_fetched_at FROM raw.pages
                 WHERE source = %(source)s ORDER BY url, last_fetched_at DESC) p
           WHERE NOT EXISTS (SELECT 1 FROM raw.batch_urls u JOIN raw.batches b USING (batch_id)
                             WHERE u.page_id = p.page_id AND b.finished_at IS NOT NULL)
           ON CONFLICT (batch_id, url) DO NOTHING""",
        {"batch": batch_id, "source": source},
    ).rowcount


def urls_to_fetch(conn, batch_id: int) -> list[str]:
    """URLs of the batch not fetched yet: a rerun of the fetch stage resumes where it stopped."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT url FROM raw.batch_urls WHERE batch_id = %s AND outcome IS NULL ORDER BY position", (batch_id,)
        )
    ]


# A URL that gave one of these is not worth asking again on the next run (a PDF stays a PDF), nor is
# one the site says is not there (404) or gone for good (410); `--refresh` asks them all again.
SETTLED_SKIP_OUTCOMES = ("skipped_type", "skipped_size", "skipped_redirect")
SETTLED_HTTP_STATUSES = (404, 410)


def known_urls(conn, source: str) -> set[str]:
    """URLs of the source already stored, or settled as not worth fetching (not fetched again unless refreshing)."""
    return {
        row[0]
        for row in conn.execute(
            """SELECT url FROM raw.pages WHERE source = %(source)s
               UNION
               SELECT u.url FROM raw.batch_urls u JOIN raw.batches b USING (batch_id)
               WHERE b.source = %(source)s
                 AND (u.outcome = ANY(%(settled)s) OR (u.outcome = 'failed' AND u.http_status = ANY(%(gone)s)))""",
            {"source": source, "settled": list(SETTLED_SKIP_OUTCOMES), "gone": list(SETTLED_HTTP_STATUSES)},
        )
    }


def validators(conn, url: str) -> tuple[str | None, str | None]:
    """ETag and Last-Modified of the latest stored version of `url`, for a conditional GET."""
    row = conn.execute(
        "SELECT etag, last_modified FROM raw.pages WHERE url = %s ORDER BY last_fetched_at DESC LIMIT 1", (url,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def store_page(conn, source: str, result) -> int:
    """Store a fetched body (once per distinct content) and return its page_id."""
    body = result.body or b""
    return conn.execute(
        """INSERT INTO raw.pages (source, url, final_url, http_status, content_type, charset, etag,
                                  last_modified, sha256, body_gzip, body_size, first_fetched_at, last_fetched_at)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (url, sha256) DO UPDATE SET
               last_fetched_at = GREATEST(raw.pages.last_fetched_at, EXCLUDED.last_fetched_at),
               etag = COALESCE(EXCLUDED.etag, raw.pages.etag),
               last_modified = COALESCE(EXCLUDED.last_modified, raw.pages.last_modified)
           RETURNING page_id""",
        (
            source, result.url, result.final_url, result.status, result.content_type, result.charset,
            result.etag, result.last_modified, hashlib.sha256(body).hexdigest(),
            gzip.compress(body, compresslevel=6), len(body), result.fetched_at, result.fetched_at,
        ),
    ).fetchone()[0]


def touch_latest_page(conn, url: str, fetched_at: datetime) -> int | None:
    """A 304: the latest stored version is still current."""
    row = conn.execute(
        """UPDATE raw.pages SET last_fetched_at = GREATEST(last_fetched_at, %s)
           WHERE page_id = (SELECT page_id FROM raw.pages WHERE url = %s ORDER BY last_fetched_at DESC LIMIT 1)
           RETURNING page_id""",
        (fetched_at, url),
    ).fetchone()
    return row[0] if row else None


def record_fetch(conn, batch_id: int, source: str, result) -> int | None:
    """Store what fetching one URL gave; returns the page_id when a body is (still) stored."""
    page_id = None
    if result.outcome == "fetched":
        page_id = store_page(conn, source, result)
    elif result.outcome == "not_modified":
        page_id = touch_latest_page(conn, result.url, result.fetched_at)
    conn.execute(
        """INSERT INTO raw.batch_urls (batch_id, url, position, outcome, http_status, error, attempts, fetched_at, page_id)
           VALUES (%s, %s, COALESCE((SELECT max(position) + 1 FROM raw.batch_urls WHERE batch_id = %s), 0),
                   %s, %s, %s, %s, %s, %s)
           ON CONFLICT (batch_id, url) DO UPDATE SET outcome = EXCLUDED.outcome, http_status = EXCLUDED.http_status,
               error = EXCLUDED.error, attempts = EXCLUDED.attempts, fetched_at = EXCLUDED.fetched_at,
               page_id = EXCLUDED.page_id""",
        (batch_id, result.url, batch_id, result.outcome, result.status, result.error, result.attempts,
         result.fetched_at, page_id),
    )
    return page_id


def batch_pages_to_extract(conn, batch_id: int, extractor_version: str) -> list[int]:
    """page_ids of the batch's stored pages that this extractor version has not extracted yet."""
    return [
        row[0]
        for row in conn.execute(
            """SELECT b.page_id FROM raw.batch_urls b
               WHERE b.batch_id = %s AND b.outcome = ANY(%s) AND b.page_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM raw.extractions e
                                 WHERE e.page_id = b.page_id AND e.extractor_version = %s)
               ORDER BY b.position""",
            (batch_id, list(STORED_OUTCOMES), extractor_version),
        )
    ]


def latest_page_ids(conn, source: str | None = None) -> list[int]:
    """The latest stored version of every URL (of one source), for reprocessing without network."""
    return [
        row[0]
        for row in conn.execute(
            """SELECT DISTINCT ON (url) page_id FROM raw.pages
               WHERE %(source)s::text IS NULL OR source = %(source)s
               ORDER BY url, last_fetched_at DESC""",
            {"source": source},
        )
    ]


def read_page(conn, page_id: int) -> StoredPage:
    row = conn.execute(
        "SELECT page_id, url, charset, body_gzip, last_fetched_at FROM raw.pages WHERE page_id = %s", (page_id,)
    ).fetchone()
    if row is None:
        raise LookupError(f"no stored page {page_id}")
    page_id, url, charset, body_gzip, fetched_at = row
    return StoredPage(page_id, url, charset, gzip.decompress(body_gzip), fetched_at)


def save_extraction(conn, page_id: int, extractor_version: str, record: dict) -> None:
    conn.execute(
        """INSERT INTO raw.extractions (page_id, extractor_version, record, error) VALUES (%s, %s, %s, %s)
           ON CONFLICT (page_id, extractor_version) DO UPDATE SET record = EXCLUDED.record, error = EXCLUDED.error,
               extracted_at = now()""",
        (page_id, extractor_version, Jsonb(record), record.get("error")),
    )


def batch_extractions(conn, batch_id: int, extractor_version: str) -> list[tuple[int, datetime, datetime, dict]]:
    """(page_id, first_fetched_at, last_fetched_at, record) of the batch's successfully extracted pages."""
    return conn.execute(
        """SELECT p.page_id, first_seen.first_fetched_at, p.last_fetched_at, e.record
           FROM raw.batch_urls b
           JOIN raw.pages p USING (page_id)
           JOIN raw.extractions e ON e.page_id = p.page_id AND e.extractor_version = %s
           CROSS JOIN LATERAL (SELECT min(first_fetched_at) AS first_fetched_at FROM raw.pages q
                               WHERE q.url = p.url) first_seen
           WHERE b.batch_id = %s AND b.outcome = ANY(%s) AND e.error IS NULL
           ORDER BY b.position""",
        (extractor_version, batch_id, list(STORED_OUTCOMES)),
    ).fetchall()


def page_urls(conn, page_ids: list[int]) -> dict[int, str]:
    """The URL each stored page was fetched from."""
    return dict(conn.execute("SELECT page_id, url FROM raw.pages WHERE page_id = ANY(%s)", (list(page_ids),)).fetchall())
