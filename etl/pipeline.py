"""The pipeline, stage by stage: discover -> fetch -> extract -> load.

Each stage takes a batch id, reads its input from the raw store and writes its output there (or to the
core layer), and returns small counts. The DAG runs the stages as tasks; `python -m etl run` runs them
in a row. Both call these functions.

Failures (README "Failure behaviour"): a page failing at any stage lands in raw.page_errors and the
stage goes on with the others; a success clears it. Stages resume where they stopped when rerun
(fetch and extract commit in small groups of pages, a load is all-or-nothing per record).
Extract and load work on chunks of a batch (`chunks`): the DAG maps one task per chunk over its
workers, and memory is bounded by a chunk, not by the batch. A load holds the
warehouse's load lock, so two loads never race, and waits for locks at most ETL_LOAD_LOCK_TIMEOUT.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from contextlib import contextmanager

import psycopg

from etl.store import db, errors, rawstore
from etl.extract import EXTRACTOR_VERSION, extract_record
from etl.store.load import load_records
from etl.sources import Source

log = logging.getLogger(__name__)

# Any constant: the same for every process that loads into this warehouse (migrations use another).
LOAD_LOCK_KEY = 7_310_412_022
DEFAULT_LOAD_LOCK_TIMEOUT = 300.0  # seconds a load waits for another load or a row lock, then fails (retried)
# A record the warehouse refuses: isolated by loading smaller parts, recorded, the rest goes in.
_RECORD_ERRORS = (psycopg.DataError, psycopg.IntegrityError, psycopg.errors.ProgramLimitExceeded)


class SiteUnreachable(RuntimeError):
    """Discovery read no listing, feed or sitemap at all: fail, so the scheduler retries later."""


class LoadFailed(RuntimeError):
    """The load could not finish (connection lost, lock wait too long); what it wrote is whole records
    only, and a rerun completes it. The message names the warehouse host, never the password."""


def discover(source: Source, dsn: str | None = None, *, refresh: bool = False, window=None) -> dict:
    """Find the source's article URLs not loaded yet (all of them with `refresh`) and open a batch.

    `window` (an `etl.crawl.DateWindow`) bounds a backfill to entries published in it, where the
    feeds and sitemaps date them.
    """
    from etl.crawl import Crawler

    with db.connect(dsn, autocommit=True) as conn:
        known = set() if refresh else rawstore.known_urls(conn, source.name)
        # The batch exists from the start, so the run's robots.txt is kept with it; a run whose site
        # turns out unreachable stays an unfinished batch, which is what it is.
        batch_id = rawstore.create_batch(conn, source.name, refresh)
        with Crawler(source, robots_memo=rawstore.BatchRobots(conn, batch_id),
                     host_slots=rawstore.HostSlots(conn)) as crawler:
            urls = crawler.discover(is_known=known.__contains__, window=window)
            stats = crawler.stats
            outcome = crawler.discovery_stats
        failures = [errors.Failure(f.url, f.error_class or error_class_of(f.reason), f"{f.what}: {f.reason}")
                    for f in outcome.failures]
        errors.clear(conn, "discover", outcome.read_urls)
        if outcome.read == 0 and outcome.errors > 0:
            errors.record_failures(conn, "discover", source.name, failures, batch_id)
            message = (f"source {source.name}: no listing, feed or sitemap could be read: "
                       + "; ".join(stats["discovery_error_samples"][:3]))
            rawstore.note_batch(conn, batch_id, {"error": message})  # why this batch never finished
            raise SiteUnreachable(message)
        with conn.transaction():
            discovered = rawstore.add_discovered(conn, batch_id, urls)
            carried_over = rawstore.carry_over_unfinished(conn, batch_id, source)
        errors.record_failures(conn, "discover", source.name, failures, batch_id)
    if carried_over:
        log.info("source %s: batch %s takes over %d stored page(s) an unfinished run left", source.name,
                 batch_id, carried_over)
    if outcome.off_site:
        log.info("source %s: %d article link(s) to other sites not followed", source.name, outcome.off_site)
    log.info("source %s: batch %s discovered %d new article URLs", source.name, batch_id, discovered)
    discovery_counts = {k: v for k, v in stats.items() if k.startswith("discovery_") and k != "discovery_error_samples"}
    return {"batch_id": batch_id, "discovered": discovered, "carried_over": carried_over, **discovery_counts}


# The fetch stage writes its results in groups: one transaction per group instead of per page. A
# crash loses at most one group (those URLs are simply fetched again by the rerun).
FETCH_GROUP_PAGES = 50
FETCH_GROUP_SECONDS = 2.0


def fetch(batch_id: int, source: Source, dsn: str | None = None, *,
          chunk: dict | rawstore.Chunk | None = None) -> dict:
    """Fetch every URL of the batch (or of one chunk of it, see `chunks(before_fetch=True)`) not
    fetched yet. Results are committed in small groups (FETCH_GROUP_PAGES pages or
    FETCH_GROUP_SECONDS seconds, whichever comes first), so a rerun after a crash asks again for at
    most the last group's pages."""
    from etl.crawl import Crawler
    from etl.progress import Progress

    part = rawstore.Chunk.of(chunk) if chunk else None
    with db.connect(dsn, autocommit=True) as conn:
        urls = rawstore.urls_to_fetch(conn, batch_id, part)
        label = f"fetch {source.name}" + (f" chunk {part.index}" if part else "")
        progress = Progress(total=len(urls), label=label)
        with Crawler(source, robots_memo=rawstore.BatchRobots(conn, batch_id),
                     host_slots=rawstore.HostSlots(conn)) as crawler:
            # A URL another process is fetching right now (a second run, the CLI beside the DAG) is
            # left for the end; by then that process has stored it and this batch takes its page.
            deferred: list[str] = []
            for start in range(0, len(urls), FETCH_GROUP_PAGES):
                group = urls[start:start + FETCH_GROUP_PAGES]
                locked = rawstore.try_lock_urls(conn, group)
                deferred += [url for url in group if url not in locked]
                _fetch_group(conn, crawler, batch_id, source, [url for url in group if url in locked], progress)
            for url in deferred:
                rawstore.lock_url(conn, url)
                _fetch_group(conn, crawler, batch_id, source, [url], progress)
        summary = progress.finish()
    summary.pop("discovered", None)  # the discover stage's number
    summary["fetch_seconds"] = summary.pop("seconds")
    return {"batch_id": batch_id, **summary}


def _fetch_group(conn, crawler, batch_id: int, source: Source, urls: list[str], progress) -> None:
    """Fetch URLs of the batch whose locks the caller took (released here), recording their outcomes
    in groups: one transaction per FETCH_GROUP_PAGES pages or FETCH_GROUP_SECONDS, whichever comes first."""
    pending: list = []
    flushed_at = time.monotonic()
    try:
        taken_over = rawstore.take_over_fresh_pages(conn, batch_id, urls)
        for _ in taken_over:
            progress.advance("carried_over")
        urls_left = [url for url in urls if url not in taken_over]
        validators = rawstore.validators_of(conn, urls_left) if urls_left else {}
        for url in urls_left:
            etag, last_modified = validators.get(url, (None, None))
            result = crawler.fetch(url, etag=etag, last_modified=last_modified)
            pending.append(result)
            progress.advance(result.outcome)
            if time.monotonic() - flushed_at >= FETCH_GROUP_SECONDS:
                _record_fetches(conn, batch_id, source, pending)
                pending, flushed_at = [], time.monotonic()
    finally:
        if pending and not conn.broken:
            _record_fetches(conn, batch_id, source, pending)
        rawstore.unlock_urls(conn, urls)


def _record_fetches(conn, batch_id: int, source: Source, results: list) -> None:
    """One transaction: the group's pages and outcomes, its failures (temporary answers included, with
    when they are asked again) recorded and its successes' errors cleared."""
    with conn.transaction():
        rawstore.record_fetches(conn, batch_id, source.name, results)
        failing = [r for r in results if r.outcome in FETCH_FAILURES or rawstore.is_temporary(r)]
        errors.record_failures(conn, "fetch", source.name, [
            errors.Failure(r.url, fetch_error_class(r), _failure_message(r)) for r in failing], batch_id)
        failing_urls = {r.url for r in failing}
        errors.clear(conn, "fetch", [r.url for r in results if r.url not in failing_urls])


def _failure_message(result) -> str:
    message = result.error or result.outcome
    return f"{message} ({result.retry_note})" if result.retry_note else message


# Outcomes that are failures to report; the skipped_* ones are the site's choice or our policy.
FETCH_FAILURES = ("failed", "refused_url")


def fetch_error_class(result) -> str:
    if result.outcome == "refused_url" or result.outcome.startswith("skipped_"):
        return result.outcome
    if result.status:
        return f"HTTP {result.status}"
    return error_class_of(result.error)


def error_class_of(message: str | None) -> str:
    """`timeout (read): ...` -> `timeout`, `ConnectError: ...` -> `ConnectError`, `HTTP 503` -> `HTTP 503`."""
    text = (message or "").strip()
    if text.startswith("HTTP ") and text[5:8].isdigit():
        return text[:8]
    if text.startswith("cannot read: "):
        text = text[len("cannot read: "):]
    head = text.split(":", 1)[0].split(" (", 1)[0].strip()
    return head[:40] if head and " " not in head else "error"


# URLs (or stored pages) per chunk: the DAG maps a fetch task and an extract-and-load task over
# each. Small enough that a load holds little in memory, the chunks spread over the workers and the
# first articles arrive early in a polite crawl, big enough that a task's start-up cost (a second
# or two under Celery) stays small beside its work.
DEFAULT_CHUNK_SIZE = 500


def chunk_size(value: int | None = None) -> int:
    return int(value or os.environ.get("ETL_CHUNK_SIZE") or DEFAULT_CHUNK_SIZE)


def chunks(batch_id: int, dsn: str | None = None, size: int | None = None, *, before_fetch: bool = False) -> list[dict]:
    """The batch's stored pages cut into chunks (`rawstore.Chunk` as dicts, for XCom); with
    `before_fetch`, the batch's URLs, so each chunk is fetched, then extracted and loaded, on its own."""
    with db.connect(dsn, autocommit=True) as conn:
        return [chunk.as_dict() for chunk in rawstore.batch_chunks(conn, batch_id, chunk_size(size),
                                                                   before_fetch=before_fetch)]


# Pages extracted between two commits: one read, one transaction and one errors update per group,
# not per page; a killed extract redoes at most a group.
EXTRACT_GROUP_PAGES = 20


def extract(batch_id: int, source: Source | None = None, dsn: str | None = None, *,
            chunk: dict | rawstore.Chunk | None = None) -> dict:
    """Extract a record from every stored page of the batch (or of one chunk of it) not yet
    extracted by this version, committed EXTRACT_GROUP_PAGES pages at a time."""
    part = rawstore.Chunk.of(chunk) if chunk else None
    counts: Counter[str] = Counter()
    with db.connect(dsn, autocommit=True) as conn:
        page_ids = rawstore.batch_pages_to_extract(conn, batch_id, EXTRACTOR_VERSION, part)
        for start in range(0, len(page_ids), EXTRACT_GROUP_PAGES):
            for error in extract_pages(conn, page_ids[start:start + EXTRACT_GROUP_PAGES], source, batch_id=batch_id):
                counts["error" if error else "extracted"] += 1
    return {"batch_id": batch_id, "extracted": counts["extracted"], "extract_errors": counts["error"]}


def extract_pages(conn, page_ids: list[int], source: Source | None, *, batch_id: int | None = None) -> list[str | None]:
    """Extract stored pages into raw.extractions (one read, one transaction); each page's error or None."""
    source_name = source.name if source else None
    pages = rawstore.read_pages(conn, page_ids)
    records = [extract_record(page.body, page.url, source_name, charset=page.charset,
                              selectors=getattr(source, "selectors", None)) for page in pages]
    try:
        with conn.transaction():
            rawstore.save_extractions(conn, [(page.page_id, record) for page, record in zip(pages, records)],
                                      EXTRACTOR_VERSION)
    except psycopg.DataError:  # a record the raw store cannot hold: find it, saving page by page
        return [_save_extraction_alone(conn, page, record, source_name, batch_id) for page, record in zip(pages, records)]
    for page, record in zip(pages, records):
        if record.get("error"):
            _note_extract_error(conn, page, record, source_name, batch_id, record["error"])
    errors.clear(conn, "extract", [page.url for page, record in zip(pages, records) if not record.get("error")])
    return [record.get("error") for record in records]


def _save_extraction_alone(conn, page, record: dict, source_name: str | None, batch_id: int | None) -> str | None:
    error = record.get("error")
    try:
        with conn.transaction():
            rawstore.save_extraction(conn, page.page_id, EXTRACTOR_VERSION, record)
    except psycopg.DataError as exc:  # that page's problem only
        error, record["error_class"] = f"cannot store the extracted record: {exc}", type(exc).__name__
    if error:
        _note_extract_error(conn, page, record, source_name, batch_id, error)
    else:
        errors.clear(conn, "extract", [page.url])
    return error


def _note_extract_error(conn, page, record: dict, source_name: str | None, batch_id: int | None, error: str) -> None:
    log.warning("cannot extract %s: %s", page.url, error)
    errors.record_failure(conn, "extract", source_name or record.get("source"), page.url,
                          record.get("error_class") or "ExtractionError", error, batch_id)


def load(batch_id: int, dsn: str | None = None, *, chunk: dict | rawstore.Chunk | None = None) -> dict:
    """Upsert the batch's (or one chunk's) extracted records into the core layer (see `load_rows`).
    Only those records are in memory: a chunk's load costs what the chunk holds, not the batch."""
    part = rawstore.Chunk.of(chunk) if chunk else None
    dsn = db.resolve_dsn(dsn)
    with db.connect(dsn, autocommit=True) as conn:
        source, _ = rawstore.batch_source(conn, batch_id)
        rows = rawstore.batch_extractions(conn, batch_id, EXTRACTOR_VERSION, part)
        counts = load_rows(conn, rows, dsn, source=source, batch_id=batch_id)
    return {"batch_id": batch_id, **counts}


def load_rows(conn, rows: list, dsn: str, *, source: str | None = None, batch_id: int | None = None,
              extractor_version: str = EXTRACTOR_VERSION) -> dict:
    """Load (page_id, first_seen, last_seen, record) rows under the load lock; a batch load and a
    reprocess both come here.

    Normally one transaction. A record the warehouse refuses (too long for an index, ...) is found by
    loading halves, listed in raw.page_errors under its page's URL and left out; the other records are
    loaded and their load errors cleared. A lost connection or a lock wait past the limit raises
    LoadFailed, with every page of the set listed.
    """
    what = f"batch {batch_id}" if batch_id is not None else "records"
    rows, invalid = _split_valid(rows)
    page_urls = rawstore.page_urls(conn, [row[0] for row in rows + [row for row, _ in invalid]])

    def url_of(row) -> str:
        return page_urls.get(row[0]) or row[3].get("url") or ""

    try:
        with load_lock(conn):
            counts, refused = _load_isolating_refused(conn, rows, extractor_version)
    except psycopg.OperationalError as exc:
        message = _describe_interruption(exc)
        _record_by_source(lambda *args: errors.record_failures_safely(dsn, *args), source, [
            (row, errors.Failure(url_of(row), type(exc).__name__, message))
            for row in rows + [row for row, _ in invalid]], batch_id)
        raise LoadFailed(f"load of {what} into the warehouse at {db.dsn_host(dsn)} did not finish: "
                         f"{message}; records are written whole or not at all, rerun the load") from exc
    counts["records_skipped"] += len(invalid)
    refused += invalid
    _record_by_source(lambda *args: errors.record_failures(conn, *args), source, [
        (row, errors.Failure(url_of(row), _refusal_class(exc), f"the warehouse refused the record: {_first_line(exc)}"))
        for row, exc in refused], batch_id)
    refused_rows = {id(row) for row, _ in refused}  # the same row objects; a page_id may be None
    errors.clear(conn, "load", [url_of(row) for row in rows if id(row) not in refused_rows])
    if refused:
        log.warning("%s: %d record(s) refused by the warehouse, see `python -m etl errors`", what, len(refused))
    return {**counts, "load_errors": len(refused)}


def _record_by_source(record, source: str | None, failures: list[tuple[tuple, errors.Failure]],
                      batch_id: int | None) -> None:
    """Record load failures under `source`, or (a reprocess over several sources) each record's own."""
    by_source: dict[str | None, list[errors.Failure]] = {}
    for row, failure in failures:
        by_source.setdefault(source or row[3].get("source"), []).append(failure)
    for name, group in by_source.items():
        record("load", name, group, batch_id)


@contextmanager
def load_lock(conn):
    """Hold the warehouse's load lock (one load at a time: concurrent loads of overlapping batches would
    race on the shared people and organizations). Lock waits are bounded by ETL_LOAD_LOCK_TIMEOUT
    seconds, this lock's and the row locks' of the load itself: a stuck peer fails the task (retried)
    instead of hanging it."""
    timeout = float(os.environ.get("ETL_LOAD_LOCK_TIMEOUT") or DEFAULT_LOAD_LOCK_TIMEOUT)
    conn.execute("SELECT set_config('lock_timeout', %s, false)", (f"{int(timeout * 1000)}ms",))
    conn.execute("SELECT pg_advisory_lock(%s)", (LOAD_LOCK_KEY,))
    try:
        yield
    finally:
        if not conn.closed and not conn.broken:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOAD_LOCK_KEY,))


class RecordRefused(ValueError):
    """The record breaks a rule of the warehouse (a date that is not ISO, an event ending before it starts...)."""


def _refusal_class(exc: Exception) -> str:
    return "RecordRefused" if isinstance(exc, RecordRefused) else type(exc).__name__


def _split_valid(rows: list) -> tuple[list, list[tuple[tuple, Exception]]]:
    """The rows the loader accepts, and the (row, why) of those it would skip, for the errors table."""
    from etl.store.load import check_record  # the loader's own rules, so what it would skip is named here

    valid, invalid = [], []
    for row in rows:
        try:
            check_record(row[3])
        except ValueError as exc:
            invalid.append((row, RecordRefused(str(exc))))
        else:
            valid.append(row)
    return valid, invalid


def _load_isolating_refused(conn, rows: list, extractor_version: str = EXTRACTOR_VERSION
                           ) -> tuple[Counter, list[tuple[tuple, Exception]]]:
    """Load `rows`; when the warehouse refuses the set, load each half on its own, down to the
    records it refuses. Returns the counts and the (row, error) refused."""
    try:
        return Counter(load_records(conn, rows, extractor_version)), []
    except _RECORD_ERRORS as exc:
        if len(rows) <= 1:
            return Counter(load_records(conn, [], extractor_version)), [(row, exc) for row in rows]
        log.info("the warehouse refused part of %d records (%s): loading them in halves", len(rows), _first_line(exc))
    middle = len(rows) // 2
    counts, refused = _load_isolating_refused(conn, rows[:middle], extractor_version)
    second_counts, second_refused = _load_isolating_refused(conn, rows[middle:], extractor_version)
    counts.update(second_counts)  # update adds (and, unlike +, keeps the zero counts)
    return counts, refused + second_refused


def _describe_interruption(exc: psycopg.OperationalError) -> str:
    if isinstance(exc, psycopg.errors.LockNotAvailable):
        return "waited longer than ETL_LOAD_LOCK_TIMEOUT for a lock (another load or a long transaction holds it)"
    return f"lost the connection ({type(exc).__name__}: {db.mask_dsn(_first_line(exc))})"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def finish(batch_id: int, stats: dict, dsn: str | None = None) -> None:
    with db.connect(dsn, autocommit=True) as conn:
        rawstore.finish_batch(conn, batch_id, stats)


def add_counts(total: dict, part: dict) -> dict:
    """Stage counts of several chunks added up: numbers add, anything else (the batch id) is kept."""
    merged = dict(total)
    for key, value in part.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key != "batch_id":
            merged[key] = merged.get(key, 0) + value
        else:
            merged.setdefault(key, value)
    return merged


def run_source(source: Source, dsn: str | None = None, *, refresh: bool = False, size: int | None = None) -> dict:
    """All stages for one source, in this process: extract and load chunk by chunk, as the DAG's
    mapped tasks do, so memory stays bounded by the chunk."""
    stats = discover(source, dsn, refresh=refresh)
    batch_id = stats["batch_id"]
    stats.update(fetch(batch_id, source, dsn))
    chunked = {"extracted": 0, "extract_errors": 0}
    for chunk in chunks(batch_id, dsn, size):
        chunked = add_counts(chunked, extract(batch_id, source, dsn, chunk=chunk))
        chunked = add_counts(chunked, load(batch_id, dsn, chunk=chunk))
    if "inserted" not in chunked:  # nothing stored: the counts a load of nothing gives
        chunked = add_counts(chunked, load(batch_id, dsn, chunk=rawstore.Chunk(batch_id, 0, 0, -1, 0)))
    stats.update(chunked)
    stats.pop("chunk", None)
    finish(batch_id, stats, dsn)
    return {"source": source.name, **stats}
