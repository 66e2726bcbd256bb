"""The raw store: batches, discovered URLs, fetched bodies (gzip + SHA-256) and extractions.

It is the hand-off between pipeline stages: each stage reads what the previous one wrote here, so
stages can run in different processes or workers and any one can be rerun.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from psycopg.types.json import Jsonb

from etl.sources import DEFAULT_REVISIT_EVERY_DAYS, DEFAULT_REVISIT_RECENT_DAYS

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


class HostSlots:
    """Request slots per host in the warehouse (raw.host_slots): the rate limit of every process."""

    def __init__(self, conn):
        self._conn = conn

    def reserve(self, host: str, interval: float, count: int = 1) -> float:
        """Take the next `count` slots of `host`, `interval` seconds apart, after the previous one;
        seconds to wait for the first of them."""
        return self._conn.execute(
            """INSERT INTO raw.host_slots AS s (host, next_slot)
               VALUES (%(host)s, clock_timestamp() + make_interval(secs => %(span)s))
               ON CONFLICT (host) DO UPDATE
                   SET next_slot = greatest(s.next_slot, clock_timestamp()) + make_interval(secs => %(span)s)
               RETURNING extract(epoch FROM next_slot - make_interval(secs => %(span)s) - clock_timestamp())::float8""",
            {"host": host, "span": interval * count},
        ).fetchone()[0]


def try_lock_urls(conn, urls: list[str]) -> set[str]:
    """Claim the URLs for fetching, for this session, unless another process is fetching them right
    now (one round trip for the group): the URLs claimed."""
    return {row[0] for row in conn.execute(
        "SELECT u FROM unnest(%s::text[]) u WHERE pg_try_advisory_lock(hashtextextended(u, 12))", (list(urls),))}


def lock_url(conn, url: str) -> None:
    conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 12))", (url,))


def unlock_urls(conn, urls: list[str]) -> None:
    if urls and not conn.closed and not conn.broken:
        conn.execute("SELECT pg_advisory_unlock(hashtextextended(u, 12)) FROM unnest(%s::text[]) u", (list(urls),))


def take_over_fresh_pages(conn, batch_id: int, urls: list[str]) -> set[str]:
    """The URLs another run stored since this batch began: their pages are handed to this batch
    (outcome carried_over) instead of being fetched a second time. One statement for the group (the
    caller holds the URLs' locks, so no other run stores them meanwhile); returns those URLs."""
    if not urls:
        return set()
    return {row[0] for row in conn.execute(
        """WITH fresh AS (
               SELECT DISTINCT ON (p.url) p.url, p.page_id, p.http_status, p.last_fetched_at
               FROM raw.pages p JOIN raw.batches b ON b.batch_id = %(batch)s AND p.source = b.source
               WHERE p.url = ANY(%(urls)s) AND p.last_fetched_at >= b.started_at
               ORDER BY p.url, p.last_fetched_at DESC)
           UPDATE raw.batch_urls u SET outcome = 'carried_over', http_status = f.http_status,
               fetched_at = f.last_fetched_at, page_id = f.page_id
           FROM fresh f WHERE u.batch_id = %(batch)s AND u.url = f.url
           RETURNING u.url""",
        {"batch": batch_id, "urls": list(urls)})}


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


def carry_over_unfinished(conn, batch_id: int, source) -> int:
    """Hand to this batch whatever earlier runs of `source` left without an outcome; returns how many.

    - stored pages no finished batch has processed (a run that stopped after fetching): extract and
      load, both idempotent, complete them;
    - URLs an unfinished batch discovered but never fetched (killed, OOM, a lost connection):
      discovery would not offer them again, as it stops at the first listing page with nothing new;
    - URLs whose last fetch was a temporary failure and whose retry is due (`raw.url_retries`);
    - stored articles first seen recently whose last check is older than the source's revisit
      cadence: asked again with a conditional GET, so edits reach the article history.

    `source` is a Source (its revisit settings are used) or a source name (the default settings).
    """
    name = getattr(source, "name", source)
    carried = conn.execute(
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
        {"batch": batch_id, "source": name},
    ).rowcount
    revisit_recent = getattr(source, "revisit_recent_days", DEFAULT_REVISIT_RECENT_DAYS)
    revisit_every = getattr(source, "revisit_every_days", DEFAULT_REVISIT_EVERY_DAYS)
    to_fetch = conn.execute(
        """WITH pending AS (
               -- discovered by a batch that never finished, never fetched, not stored since
               SELECT DISTINCT u.url FROM raw.batch_urls u JOIN raw.batches b USING (batch_id)
               WHERE b.source = %(source)s AND b.finished_at IS NULL AND b.batch_id <> %(batch)s
                 AND u.outcome IS NULL
                 AND NOT EXISTS (SELECT 1 FROM raw.pages p WHERE p.url = u.url)
                 -- nor given an outcome by another batch since (fetched, settled, or retried below)
                 AND NOT EXISTS (SELECT 1 FROM raw.batch_urls v JOIN raw.batches c USING (batch_id)
                                 WHERE md5(v.url) = md5(u.url) AND c.source = %(source)s
                                   AND v.outcome IS NOT NULL)
                 AND NOT EXISTS (SELECT 1 FROM raw.url_retries r WHERE r.source = %(source)s
                                 AND md5(r.url) = md5(u.url))
               UNION
               -- a temporary failure whose retry is due
               SELECT r.url FROM raw.url_retries r
               WHERE r.source = %(source)s AND r.gave_up_at IS NULL AND r.next_attempt_at <= now()
               UNION
               -- a recent article not checked for edits for a while (conditional GET)
               SELECT p.url FROM raw.pages p
               WHERE p.source = %(source)s AND NOT %(refresh)s
               GROUP BY p.url
               HAVING min(p.first_fetched_at) > now() - make_interval(days => %(recent)s)
                  AND max(p.last_fetched_at) <= now() - make_interval(days => %(every)s)
           )
           INSERT INTO raw.batch_urls (batch_id, url, position)
           SELECT %(batch)s, url,
                  COALESCE((SELECT max(position) FROM raw.batch_urls WHERE batch_id = %(batch)s), -1)
                      + row_number() OVER (ORDER BY url)
           FROM pending
           ON CONFLICT (batch_id, url) DO NOTHING""",
        {"batch": batch_id, "source": name, "recent": revisit_recent, "every": revisit_every,
         "refresh": batch_source(conn, batch_id)[1]},
    ).rowcount
    return carried + to_fetch


def urls_to_fetch(conn, batch_id: int, chunk: Chunk | None = None) -> list[str]:
    """URLs of the batch (or of one chunk of it) not fetched yet: a rerun of the fetch stage resumes
    where it stopped."""
    first, last = _positions(chunk)
    return [
        row[0]
        for row in conn.execute(
            """SELECT url FROM raw.batch_urls WHERE batch_id = %s AND outcome IS NULL
                 AND position BETWEEN %s AND %s
               ORDER BY position""", (batch_id, first, last)
        )
    ]


# A URL that gave one of these is not worth asking again on the next run (a PDF stays a PDF), nor is
# one the site says is not there (404) or gone for good (410); `--refresh` asks them all again.
SETTLED_SKIP_OUTCOMES = ("skipped_type", "skipped_size", "skipped_redirect")
SETTLED_HTTP_STATUSES = (404, 410)


def known_urls(conn, source: str) -> set[str]:
    """URLs of the source discovery need not offer: stored, settled as not worth fetching, or waiting
    for a retry (the batches take those over when due: `carry_over_unfinished`). `--refresh` asks all."""
    return {
        row[0]
        for row in conn.execute(
            """SELECT url FROM raw.pages WHERE source = %(source)s
               UNION
               SELECT u.url FROM raw.batch_urls u JOIN raw.batches b USING (batch_id)
               WHERE b.source = %(source)s
                 AND (u.outcome = ANY(%(settled)s) OR (u.outcome = 'failed' AND u.http_status = ANY(%(gone)s)))
                 AND NOT EXISTS (SELECT 1 FROM raw.url_retries r WHERE r.source = %(source)s
                                 AND md5(r.url) = md5(u.url) AND r.gave_up_at IS NULL)
               UNION
               SELECT url FROM raw.url_retries WHERE source = %(source)s""",
            {"source": source, "settled": list(SETTLED_SKIP_OUTCOMES), "gone": list(SETTLED_HTTP_STATUSES)},
        )
    }


# -- retries of temporary failures --------------------------------------------------------------------------

# The wait before the next attempt after the n-th failure in a row: next run, then 1, 2, 4 days.
RETRY_DELAYS_DAYS = (0, 1, 2, 4)
MAX_FETCH_FAILURES = len(RETRY_DELAYS_DAYS) + 1  # then the URL is settled (`gave_up_at`), visibly


def is_temporary(result) -> bool:
    """No lasting answer: asked again on later runs. A 404/410, a real document (PDF, image), a body
    over the size limit, a permanent redirect elsewhere are lasting; an address refusal is our policy."""
    if result.outcome == "failed":
        return result.status not in SETTLED_HTTP_STATUSES
    return bool(getattr(result, "temporary", False))


def note_attempt(conn, source: str, result) -> str:
    """Count one more temporary failure of `result.url` (the next attempt due after a growing delay,
    or the URL settled after MAX_FETCH_FAILURES); returns what happens next, for the errors table.
    Lasting answers end the retry state in `_note_attempts`."""
    failures, next_attempt_at, gave_up_at = conn.execute(
        """INSERT INTO raw.url_retries AS r (source, url, failures, last_outcome, last_error, last_attempt_at,
                                            next_attempt_at)
           VALUES (%(source)s, %(url)s, 1, %(outcome)s, %(error)s, %(at)s, %(at)s + make_interval(days => %(first)s))
           ON CONFLICT (source, md5(url)) DO UPDATE SET
               failures = r.failures + 1, last_outcome = EXCLUDED.last_outcome, last_error = EXCLUDED.last_error,
               last_attempt_at = EXCLUDED.last_attempt_at,
               next_attempt_at = EXCLUDED.last_attempt_at
                   + make_interval(days => (%(delays)s::int[])[least(r.failures + 1, %(steps)s)]),
               gave_up_at = CASE WHEN r.failures + 1 >= %(max)s THEN EXCLUDED.last_attempt_at END
           RETURNING failures, next_attempt_at, gave_up_at""",
        {"source": source, "url": result.url, "outcome": result.outcome, "error": (result.error or "")[:2000],
         "at": result.fetched_at, "first": RETRY_DELAYS_DAYS[0], "delays": list(RETRY_DELAYS_DAYS),
         "steps": len(RETRY_DELAYS_DAYS), "max": MAX_FETCH_FAILURES},
    ).fetchone()
    if gave_up_at is not None:
        return f"gave up after {failures} failed runs: not asked again unless --refresh"
    if next_attempt_at <= result.fetched_at:
        return f"failure {failures} of {MAX_FETCH_FAILURES}: retried next run"
    return f"failure {failures} of {MAX_FETCH_FAILURES}: retried from {next_attempt_at:%Y-%m-%d %H:%M} UTC"


def _note_attempts(conn, source: str, results: list) -> None:
    """`note_attempt` for a group: the retry state of the lasting answers ended in one statement, each
    temporary failure (rare) counted on its own."""
    lasting = [r.url for r in results if not is_temporary(r)]
    if lasting:
        conn.execute("""DELETE FROM raw.url_retries WHERE source = %s
                        AND md5(url) = ANY(SELECT md5(u) FROM unnest(%s::text[]) u)""", (source, lasting))
    for result in results:
        result.retry_note = note_attempt(conn, source, result) if is_temporary(result) else None


def retry_counts(conn, source: str | None = None) -> dict[str, int]:
    row = conn.execute(
        """SELECT count(*) FILTER (WHERE gave_up_at IS NULL), count(*) FILTER (WHERE gave_up_at IS NOT NULL)
           FROM raw.url_retries WHERE %(source)s::text IS NULL OR source = %(source)s""",
        {"source": source},
    ).fetchone()
    return {"retrying": row[0], "gave_up": row[1]}


def validators_of(conn, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """ETag and Last-Modified of the latest stored version of each URL, for conditional GETs, in one
    query (the fetch stage asks for a group at a time)."""
    rows = conn.execute(
        """SELECT DISTINCT ON (url) url, etag, last_modified FROM raw.pages WHERE url = ANY(%s)
           ORDER BY url, last_fetched_at DESC""", (list(urls),)
    ).fetchall()
    return {url: (etag, last_modified) for url, etag, last_modified in rows}


_STORE_PAGE = """INSERT INTO raw.pages (source, url, final_url, http_status, content_type, charset, etag,
                                  last_modified, sha256, body_gzip, body_size, first_fetched_at, last_fetched_at)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (url, sha256) DO UPDATE SET
               last_fetched_at = GREATEST(raw.pages.last_fetched_at, EXCLUDED.last_fetched_at),
               etag = COALESCE(EXCLUDED.etag, raw.pages.etag),
               last_modified = COALESCE(EXCLUDED.last_modified, raw.pages.last_modified)
           RETURNING page_id"""


# gzip level of stored bodies. Level 1 costs less than half the CPU of level 6 (0.31 against 0.71 ms
# for a 38 KB page, most of the fetch stage's own CPU) for a body about 17% larger (27% of the page
# against 23%). The stored body, its sha256 and size are the same whatever the level.
BODY_GZIP_LEVEL = 1


def _store_page_params(source: str, result) -> tuple:
    body = result.body or b""
    return (source, result.url, result.final_url, result.status, result.content_type, result.charset,
            result.etag, result.last_modified, hashlib.sha256(body).hexdigest(),
            gzip.compress(body, compresslevel=BODY_GZIP_LEVEL), len(body), result.fetched_at, result.fetched_at)


def store_page(conn, source: str, result) -> int:
    """Store a fetched body (once per distinct content) and return its page_id."""
    return conn.execute(_STORE_PAGE, _store_page_params(source, result)).fetchone()[0]


_TOUCH_LATEST_PAGE = """UPDATE raw.pages SET last_fetched_at = GREATEST(last_fetched_at, %s)
           WHERE page_id = (SELECT page_id FROM raw.pages WHERE url = %s ORDER BY last_fetched_at DESC LIMIT 1)
           RETURNING page_id"""


def touch_latest_page(conn, url: str, fetched_at: datetime) -> int | None:
    """A 304: the latest stored version is still current."""
    row = conn.execute(_TOUCH_LATEST_PAGE, (fetched_at, url)).fetchone()
    return row[0] if row else None


def record_fetch(conn, batch_id: int, source: str, result) -> int | None:
    """Store what fetching one URL gave; returns the page_id when a body is (still) stored."""
    return record_fetches(conn, batch_id, source, [result])[0]


def record_fetches(conn, batch_id: int, source: str, results: list) -> list[int | None]:
    """Store what fetching several URLs gave, in a few statements; returns each one's page_id (None
    when no body is stored). Cost per URL is constant: the batch's row is updated by its key, and
    only a URL the batch did not list yet (rare) gets a position after the batch's last."""
    # One executemany per statement (pipelined by psycopg: one round trip each, the query converted
    # once), the bodies stored in the order fetched, then the 304s' touches.
    page_ids: list[int | None] = [None] * len(results)
    with conn.cursor() as cur:
        for outcome, query, params_of in (
                ("fetched", _STORE_PAGE, lambda r: _store_page_params(source, r)),
                ("not_modified", _TOUCH_LATEST_PAGE, lambda r: (r.fetched_at, r.url))):
            indexes = [i for i, r in enumerate(results) if r.outcome == outcome]
            if not indexes:
                continue
            cur.executemany(query, [params_of(results[i]) for i in indexes], returning=True)
            for n, i in enumerate(indexes):
                if n:
                    cur.nextset()
                row = cur.fetchone()
                page_ids[i] = row[0] if row else None
    _note_attempts(conn, source, results)
    rows = [(r.url, r.outcome, r.status, r.error, r.attempts, r.fetched_at, page_id)
            for r, page_id in zip(results, page_ids)]
    if not rows:
        return page_ids
    columns = list(zip(*rows))
    updated = {row[0] for row in conn.execute(
        """UPDATE raw.batch_urls u SET outcome = v.outcome, http_status = v.http_status, error = v.error,
               attempts = v.attempts, fetched_at = v.fetched_at, page_id = v.page_id
           FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[], %s::int[], %s::timestamptz[], %s::bigint[])
                AS v(url, outcome, http_status, error, attempts, fetched_at, page_id)
           WHERE u.batch_id = %s AND u.url = v.url
           RETURNING u.url""",
        (*map(list, columns), batch_id),
    )}
    new = [row for row in rows if row[0] not in updated]
    if new:
        with conn.cursor() as cur:
            cur.executemany(
                """INSERT INTO raw.batch_urls (batch_id, url, position, outcome, http_status, error, attempts,
                                               fetched_at, page_id)
                   VALUES (%s, %s, COALESCE((SELECT max(position) + 1 FROM raw.batch_urls WHERE batch_id = %s), 0),
                           %s, %s, %s, %s, %s, %s)
                   ON CONFLICT (batch_id, url) DO UPDATE SET outcome = EXCLUDED.outcome,
                       http_status = EXCLUDED.http_status, error = EXCLUDED.error, attempts = EXCLUDED.attempts,
                       fetched_at = EXCLUDED.fetched_at, page_id = EXCLUDED.page_id""",
                [(batch_id, url, batch_id, *rest) for url, *rest in new],
            )
    return page_ids


@dataclass(frozen=True)
class Chunk:
    """A part of a batch: its URLs at positions first..last (inclusive), `pages` of them (stored
    pages, or URLs when the chunk was cut before the fetch). Small enough to pass between tasks
    (XCom) and to map a task over; the pages themselves stay in the raw store."""
    batch_id: int
    index: int
    first_position: int
    last_position: int
    pages: int

    def as_dict(self) -> dict:
        return {"batch_id": self.batch_id, "index": self.index, "first_position": self.first_position,
                "last_position": self.last_position, "pages": self.pages}

    @classmethod
    def of(cls, value: dict | Chunk) -> Chunk:
        return value if isinstance(value, Chunk) else cls(**value)


def batch_chunks(conn, batch_id: int, size: int, *, before_fetch: bool = False) -> list[Chunk]:
    """The batch's stored pages cut into chunks of at most `size` pages, in position order; with
    `before_fetch`, all its URLs (fetched or not), so that each chunk can be fetched, extracted and
    loaded on its own while the next one is fetched."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    rows = conn.execute(
        """SELECT (n - 1) / %s AS chunk, min(position), max(position), count(*)
           FROM (SELECT position, row_number() OVER (ORDER BY position) AS n FROM raw.batch_urls
                 WHERE batch_id = %s AND (%s OR outcome = ANY(%s) AND page_id IS NOT NULL)) stored
           GROUP BY 1 ORDER BY 1""",
        (size, batch_id, before_fetch, list(STORED_OUTCOMES)),
    ).fetchall()
    chunks = [Chunk(batch_id, index, first, last, pages) for index, first, last, pages in rows]
    if before_fetch and chunks:  # a URL the fetch adds to the batch goes after its last position:
        chunks[-1] = replace(chunks[-1], last_position=LAST_POSITION)  # the last chunk takes it
    return chunks


FIRST_POSITION, LAST_POSITION = -2_147_483_648, 2_147_483_647  # positions are PostgreSQL integers


def _positions(chunk: Chunk | None) -> tuple[int, int]:
    """The chunk's positions, or every position of the batch."""
    return (chunk.first_position, chunk.last_position) if chunk else (FIRST_POSITION, LAST_POSITION)


def batch_pages_to_extract(conn, batch_id: int, extractor_version: str, chunk: Chunk | None = None) -> list[int]:
    """page_ids of the batch's (or the chunk's) stored pages this extractor version has not extracted yet."""
    first, last = _positions(chunk)
    return [
        row[0]
        for row in conn.execute(
            """SELECT b.page_id FROM raw.batch_urls b
               WHERE b.batch_id = %s AND b.outcome = ANY(%s) AND b.page_id IS NOT NULL
                 AND b.position BETWEEN %s AND %s
                 AND NOT EXISTS (SELECT 1 FROM raw.extractions e
                                 WHERE e.page_id = b.page_id AND e.extractor_version = %s)
               ORDER BY b.position""",
            (batch_id, list(STORED_OUTCOMES), first, last, extractor_version),
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


def read_pages(conn, page_ids: list[int]) -> list[StoredPage]:
    """Several stored pages in one query, in the order asked (binary results: the bodies come as
    bytes, not as hex text to decode on both sides)."""
    rows = {row[0]: row for row in conn.execute(
        "SELECT page_id, url, charset, body_gzip, last_fetched_at FROM raw.pages WHERE page_id = ANY(%s)",
        (list(page_ids),), binary=True)}
    missing = [page_id for page_id in page_ids if page_id not in rows]
    if missing:
        raise LookupError(f"no stored page {missing[0]}")
    return [StoredPage(page_id, url, charset, gzip.decompress(body_gzip), fetched_at)
            for page_id, url, charset, body_gzip, fetched_at in (rows[page_id] for page_id in page_ids)]


_SAVE_EXTRACTION = """INSERT INTO raw.extractions (page_id, extractor_version, record, error) VALUES (%s, %s, %s, %s)
           ON CONFLICT (page_id, extractor_version) DO UPDATE SET record = EXCLUDED.record, error = EXCLUDED.error,
               extracted_at = now()"""


def save_extractions(conn, extractions: list[tuple[int, dict]], extractor_version: str) -> None:
    """(page_id, record) pairs, in one pipelined round trip (the caller's transaction)."""
    with conn.cursor() as cur:
        cur.executemany(_SAVE_EXTRACTION, [(page_id, extractor_version, Jsonb(record), record.get("error"))
                                           for page_id, record in extractions])


def save_extraction(conn, page_id: int, extractor_version: str, record: dict) -> None:
    conn.execute(_SAVE_EXTRACTION, (page_id, extractor_version, Jsonb(record), record.get("error")))


def batch_extractions(conn, batch_id: int, extractor_version: str, chunk: Chunk | None = None
                      ) -> list[tuple[int, datetime, datetime, dict]]:
    """(page_id, first_fetched_at, last_fetched_at, record) of the batch's (or the chunk's)
    successfully extracted pages: a chunk's load holds only the chunk's records in memory."""
    first, last = _positions(chunk)
    return conn.execute(
        """SELECT p.page_id, first_seen.first_fetched_at, p.last_fetched_at, e.record
           FROM raw.batch_urls b
           JOIN raw.pages p USING (page_id)
           JOIN raw.extractions e ON e.page_id = p.page_id AND e.extractor_version = %s
           CROSS JOIN LATERAL (SELECT min(first_fetched_at) AS first_fetched_at FROM raw.pages q
                               WHERE q.url = p.url) first_seen
           WHERE b.batch_id = %s AND b.outcome = ANY(%s) AND e.error IS NULL
             AND b.position BETWEEN %s AND %s
           ORDER BY b.position""",
        (extractor_version, batch_id, list(STORED_OUTCOMES), first, last),
    ).fetchall()


def page_urls(conn, page_ids: list[int]) -> dict[int, str]:
    """The URL each stored page was fetched from."""
    return dict(conn.execute("SELECT page_id, url FROM raw.pages WHERE page_id = ANY(%s)", (list(page_ids),)).fetchall())
