"""The errors table (raw.page_errors): every page failing now, at which stage, why, since when.

Stages record a failure with `record_failure` and a success with `clear`; `python -m etl errors`
lists what is there. Writes are small and autocommitted, so a failure is kept even when the stage
itself then fails.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

log = logging.getLogger(__name__)

STAGES = ("discover", "fetch", "extract", "load")
MAX_MESSAGE_CHARS = 2000  # a message quoting a whole page helps nobody


@dataclass(frozen=True)
class Failure:
    url: str
    error_class: str
    message: str


@dataclass(frozen=True)
class PageError:
    stage: str
    url: str
    source: str | None
    error_class: str
    message: str
    attempts: int
    first_failed_at: datetime
    last_failed_at: datetime
    batch_id: int | None


def _clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL; messages may quote page content.
    return (text or "").replace("\x00", "")[:MAX_MESSAGE_CHARS]


def record_failures(conn, stage: str, source: str | None, failures: Iterable[Failure],
                    batch_id: int | None = None) -> int:
    """Upsert one row per failed URL: attempts + 1 and the latest message when it was already there."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    rows = [(stage, _clean(f.url), source, _clean(f.error_class) or "Error", _clean(f.message), batch_id)
            for f in failures]
    if not rows:
        return 0
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO raw.page_errors AS e (stage, url, source, error_class, message, batch_id)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (stage, md5(url)) DO UPDATE SET
                   source = EXCLUDED.source, error_class = EXCLUDED.error_class, message = EXCLUDED.message,
                   attempts = e.attempts + 1, last_failed_at = now(), batch_id = EXCLUDED.batch_id""",
            rows,
        )
    return len(rows)


def record_failure(conn, stage: str, source: str | None, url: str, error_class: str, message: str,
                   batch_id: int | None = None) -> None:
    record_failures(conn, stage, source, [Failure(url, error_class, message)], batch_id)


def clear(conn, stage: str, urls: Iterable[str]) -> int:
    """A success of these URLs at `stage`: their errors there are over."""
    urls = [u for u in urls if u]
    if not urls:
        return 0
    return conn.execute(
        "DELETE FROM raw.page_errors WHERE stage = %s AND md5(url) = ANY(SELECT md5(u) FROM unnest(%s::text[]) u)",
        (stage, urls),
    ).rowcount


def list_errors(conn, source: str | None = None, stage: str | None = None) -> list[PageError]:
    rows = conn.execute(
        """SELECT stage, url, source, error_class, message, attempts, first_failed_at, last_failed_at, batch_id
           FROM raw.page_errors
           WHERE (%(source)s::text IS NULL OR source = %(source)s) AND (%(stage)s::text IS NULL OR stage = %(stage)s)
           ORDER BY source NULLS FIRST, array_position(%(stages)s::text[], stage), last_failed_at DESC, url""",
        {"source": source, "stage": stage, "stages": list(STAGES)},
    ).fetchall()
    return [PageError(*row) for row in rows]


def record_failures_safely(dsn: str | None, stage: str, source: str | None, failures: list[Failure],
                           batch_id: int | None = None) -> None:
    """Best effort, on a connection of its own: used when the stage's connection is the thing that broke."""
    from etl.store import db

    try:
        with db.connect(dsn, autocommit=True) as conn:
            record_failures(conn, stage, source, failures, batch_id)
    except Exception as exc:  # noqa: BLE001 - the stage's own error is the one to raise
        log.warning("could not record %d %s error(s) in raw.page_errors: %s", len(failures), stage, exc)
