"""Page -> record. Stages: decode -> article fields -> countries -> events.

`extract_record` is the one entry point used by the CLI, the pipeline and the DAG. It never raises
for a page, and it bounds what one page can cost (size caps and a per-page time limit below).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

from etl.crawl.urls import record_url
from etl.record import MAX_URL_LENGTH, empty_record

log = logging.getLogger(__name__)

# Bump when extraction output can change for the same input: reprocessing keys on it.
EXTRACTOR_VERSION = "0.3.1"

# Per-page limits. The crawler stores at most 5 MB per page; anything bigger reaching extraction
# (a file given to the CLI) is refused rather than parsed.
MAX_PAGE_BYTES = 8 * 1024 * 1024
DEFAULT_TIME_LIMIT = float(os.environ.get("ETL_EXTRACT_TIME_LIMIT") or 30.0)  # seconds per page


class ExtractionTimeout(BaseException):
    """The page took longer than its time limit.

    A BaseException, like KeyboardInterrupt, so that an `except Exception` inside a stage cannot
    swallow it when it is raised from the alarm handler in the middle of that stage.
    """


def extract_record(html: bytes | str, url: str | None = None, source: str | None = None,
                   sources=None, *, charset: str | None = None, selectors: dict | None = None,
                   with_events: bool = True, time_limit: float | None = DEFAULT_TIME_LIMIT) -> dict:
    """Extract the record of one page. Never raises for bad input: the record gets `error`.

    `url` is where the page was fetched (or given on the command line); the record's `url`
    is the page's canonical URL when it states one. `source` names the configured source; when
    it is None it is looked up in `sources` by the URL's host, else the host itself is used.
    `charset` is the one the HTTP response declared; `selectors` a source's CSS overrides.
    `time_limit` (seconds, None for none) bounds the page: past it the record gets an error.

    A failed record has `error` (what went wrong, for people) and `error_class` (its kind).
    NUL characters are removed from every text value: PostgreSQL text and jsonb cannot hold them,
    and no page means one.
    """
    try:
        with _time_limit(time_limit) as check_deadline:
            record = _extract(html, url, source, sources, charset, selectors, with_events, check_deadline)
    except ExtractionTimeout:
        record = _failed(url, source, sources, "ExtractionTimeout",
                         f"extraction took longer than the {time_limit:g}s per-page time limit")
    except Exception as exc:  # noqa: BLE001 - one broken page must not stop a batch; the record says why
        log.warning("unexpected error extracting %s", url, exc_info=True)
        record = _failed(url, source, sources, type(exc).__name__, f"unexpected {type(exc).__name__}: {exc}")
    return strip_nul(record)


def _extract(html, url, source, sources, charset, selectors, with_events, check_deadline) -> dict:
    from etl.extract.article import ExtractionError, decode_html, extract_article

    size = len(html.encode("utf-8", "replace") if isinstance(html, str) else html or b"")
    if size > MAX_PAGE_BYTES:
        return _failed(url, source, sources, "PageTooLarge",
                       f"page too large: {size} bytes, the limit is {MAX_PAGE_BYTES}")
    try:
        if isinstance(html, bytes) and charset:
            html = decode_html(html, charset)
        check_deadline()
        article = extract_article(html, url, selectors=selectors)
    except ExtractionError as exc:
        return _failed(url, source, sources, "ExtractionError", str(exc))
    check_deadline()

    canonical = record_url(article.url, url)
    canonical = canonical if canonical and len(canonical) <= MAX_URL_LENGTH else url
    record = empty_record(canonical, _source_name(canonical, source, sources))
    translation = article.translation_of_url
    record.update(
        language=article.language,
        title=article.title,
        alt_titles=article.alt_titles,
        published_at=article.published_at,
        translation_of_url=translation if translation and len(translation) <= MAX_URL_LENGTH else None,
        body_paragraphs=article.body_paragraphs,
    )
    from etl.geo import countries_mentioned

    record["countries_mentioned"] = countries_mentioned(article.body_paragraphs, article.language)
    check_deadline()
    if with_events:
        from etl.events import extract_events

        record["events"] = extract_events(article)
        check_deadline()
    return record


def _failed(url, source, sources, error_class: str, message: str) -> dict:
    record = empty_record(url, _source_name(url, source, sources))
    record["error"] = message
    record["error_class"] = error_class
    return record


@contextmanager
def _time_limit(seconds: float | None):
    """Yields `check()`, which raises ExtractionTimeout once `seconds` have passed.

    Why two mechanisms: a deadline checked between stages works in any thread but cannot stop a
    stage that loops; SIGALRM interrupts Python code anywhere (not a single C call such as one lxml
    parse, which the size cap bounds instead), but only in the main thread and only when nobody
    else's timer is armed (Airflow's execution_timeout uses the same signal: we never disturb it).
    So: the alarm where that is safe (the CLI, a task's main thread), the between-stage checks always.
    A subprocess per page would bound C code too, at a cost per page we do not want to pay.
    """
    if not seconds or seconds <= 0:
        yield lambda: None
        return
    deadline = time.monotonic() + seconds

    def check() -> None:
        if time.monotonic() > deadline:
            raise ExtractionTimeout()

    if not _alarm_available():
        yield check
        return

    def on_alarm(signum, frame):
        raise ExtractionTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield check
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)


def _alarm_available() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


def strip_nul(value):
    """`value` (a record, or any JSON-like value) with NUL characters removed from every string."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {strip_nul(k): strip_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_nul(v) for v in value]
    return value


def _source_name(url: str | None, source: str | None, sources) -> str | None:
    if source:
        return source
    if not url:
        return None
    if sources is not None:
        from etl.sources import source_for_url

        match = source_for_url(sources, url)
        if match is not None:
            return match.name
    try:
        return urlsplit(url).hostname
    except ValueError:  # a malformed URL (bad IPv6 literal, port): no host to name it by
        return None
