"""Data quality checks over the warehouse, run after every load (DAG task) and by `python -m etl check`.

Each check is one SQL query returning the offending rows, with a severity: an `error` (duplicates,
broken keys) fails the run on any offending row; a `warning` (a few odd dates, a silent source) is
recorded (raw.check_results, shown by `report` and reporting.source_health) and fails only past its
threshold of offending rows. A failure names the check, how many rows offend and shows a few of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from etl.sources import Source, SourcesError

SAMPLE_ROWS = 5
# A source is silent when its last successful run is older than this many schedule intervals.
SILENT_AFTER_INTERVALS = 3
_PRESET_INTERVALS = {
    "@hourly": timedelta(hours=1), "@daily": timedelta(days=1), "@weekly": timedelta(weeks=1),
    "@monthly": timedelta(days=31), "@quarterly": timedelta(days=92), "@yearly": timedelta(days=366),
    "@annually": timedelta(days=366),
}


ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    sql: str  # SELECT of the offending rows; may use %(source)s and %(sources)s (NULL: every source)
    severity: str = ERROR
    threshold: int = 0  # a warning fails past this many offending rows (an error on any)


@dataclass
class CheckResult:
    check: Check
    offending: int
    sample: list[dict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Nothing found."""
        return self.offending == 0

    @property
    def status(self) -> str:
        """ok, warning (found, within the threshold: recorded, the run goes on) or failed."""
        if self.offending == 0:
            return "ok"
        if self.check.severity == WARNING and self.offending <= self.check.threshold:
            return "warning"
        return "failed"

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def describe(self) -> str:
        if self.passed:
            return f"ok    {self.check.name}"
        label = "WARN" if self.status == "warning" else "FAIL"
        limit = f", threshold {self.check.threshold}" if self.check.severity == WARNING else ""
        lines = [f"{label}  {self.check.name}: {self.offending} offending row(s) ({self.check.severity}{limit})"
                 f" - {self.check.description}"]
        lines += [f"        {_one_line(row)}" for row in self.sample]
        if self.offending > len(self.sample):
            lines.append(f"        ... and {self.offending - len(self.sample)} more")
        return "\n".join(lines)


class ChecksFailed(RuntimeError):
    """Some checks found offending rows; the message names them with a few rows each."""

    def __init__(self, results: list[CheckResult]):
        self.results = results
        failed = [r for r in results if r.failed]
        super().__init__(f"{len(failed)} data quality check(s) failed: {', '.join(r.check.name for r in failed)}\n"
                         + "\n".join(r.describe() for r in failed))


# One source (the DAG's), and only the sources of the sources file the checks were given.
_SOURCE_FILTER = ("(%(source)s::text IS NULL OR {column} = %(source)s)"
                  " AND (%(only_sources)s::text[] IS NULL OR {column} = ANY(%(only_sources)s))")

# The URL as a reader would type it: scheme, "www.", host case, fragment and a trailing slash do not
# make a different page.
# (A URL without scheme and host keys as itself.)
_URL_KEY = """coalesce(lower(substring(url from '(?i)^[a-z]+://(?:www\\.)?([^/?#]+)'))
                       || rtrim(coalesce(substring(url from '(?i)^[a-z]+://[^/?#]+([^#]*)'), ''), '/'), url)"""

ARTICLE_CHECKS = (
    Check(
        "duplicate_canonical_urls",
        "articles whose canonical URLs differ only in scheme, www., host case, fragment or trailing slash",
        f"""SELECT {_URL_KEY} AS url_key, count(*) AS articles, array_agg(url ORDER BY url) AS urls
            FROM core.articles WHERE {_SOURCE_FILTER.format(column="source")}
            GROUP BY 1 HAVING count(*) > 1 ORDER BY 1""",
        ERROR,
    ),
    Check(
        "articles_without_title_or_body",
        "articles with an empty title or no body paragraph",
        f"""SELECT article_id, url, title, cardinality(body_paragraphs) AS paragraphs FROM core.articles
            WHERE (coalesce(btrim(title), '') = '' OR cardinality(body_paragraphs) = 0
                   OR NOT EXISTS (SELECT FROM unnest(body_paragraphs) p WHERE btrim(p) <> ''))
              AND {_SOURCE_FILTER.format(column="source")}
            ORDER BY article_id""",
        WARNING, 5,
    ),
)


# The events of the latest extraction of the latest page of every URL: what the next load would
# store. The loader refuses records whose events break the warehouse's rules (end before start, a
# negative count), so those are only visible here.
_EXTRACTED_EVENTS = """
WITH latest_pages AS (
    SELECT DISTINCT ON (url) page_id, url, source FROM raw.pages ORDER BY url, last_fetched_at DESC
), latest AS (
    SELECT DISTINCT ON (e.page_id) e.page_id, coalesce(e.record ->> 'url', p.url) AS url, p.source, e.record
    FROM raw.extractions e JOIN latest_pages p USING (page_id)
    WHERE e.error IS NULL
    ORDER BY e.page_id, e.extracted_at DESC
)
SELECT latest.page_id, latest.url, latest.source, ev.event, ev.n - 1 AS position
FROM latest CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(latest.record -> 'events') = 'array' THEN latest.record -> 'events' ELSE '[]' END
) WITH ORDINALITY AS ev(event, n)
"""


def _json_number(field: str) -> str:
    return f"CASE WHEN jsonb_typeof(x.event -> '{field}') = 'number' THEN (x.event ->> '{field}')::numeric END"


EVENT_CHECKS = (
    Check(
        "event_dates_out_of_range",
        "events starting or ending before 1990 or more than two years from today",
        f"""SELECT e.event_id, a.url, e.name, e.start_date, e.end_date
            FROM core.events e JOIN core.articles a USING (article_id)
            WHERE (e.start_date NOT BETWEEN DATE '1990-01-01' AND current_date + interval '2 years'
                   OR e.end_date NOT BETWEEN DATE '1990-01-01' AND current_date + interval '2 years')
              AND {_SOURCE_FILTER.format(column="a.source")}
            ORDER BY e.event_id""",
        WARNING, 10,  # historic dates do occur (three among 600 real articles)
    ),
    Check(
        "events_ending_before_start",
        "events whose end date is before their start date (in the warehouse, or extracted and refused by the loader)",
        f"""SELECT 'core.events' AS found_in, e.event_id AS id, a.url, e.name, e.start_date::text, e.end_date::text
            FROM core.events e JOIN core.articles a USING (article_id)
            WHERE e.end_date < e.start_date AND {_SOURCE_FILTER.format(column="a.source")}
            UNION ALL
            SELECT 'raw.extractions', x.page_id, x.url, x.event ->> 'name', x.event ->> 'start_date', x.event ->> 'end_date'
            FROM ({_EXTRACTED_EVENTS}) x
            -- ISO dates compare correctly as text, and a malformed one cannot break the check.
            WHERE x.event ->> 'end_date' < x.event ->> 'start_date' AND {_SOURCE_FILTER.format(column="x.source")}
            ORDER BY 1, 2""",
        WARNING, 5,
    ),
    Check(
        "negative_counts",
        "negative participants or countries counts (events stored or extracted) or run statistics",
        f"""SELECT 'core.events' AS found_in, e.event_id AS id, a.url, c.field, c.value
            FROM core.events e JOIN core.articles a USING (article_id)
            CROSS JOIN LATERAL (VALUES ('participants_count', e.participants_count::numeric),
                                       ('countries_count', e.countries_count::numeric)) AS c(field, value)
            WHERE c.value < 0 AND {_SOURCE_FILTER.format(column="a.source")}
            UNION ALL
            SELECT 'raw.extractions', x.page_id, x.url, 'events[' || x.position || '].' || c.field, c.value
            FROM ({_EXTRACTED_EVENTS}) x
            CROSS JOIN LATERAL (VALUES ('participants_count', {_json_number("participants_count")}),
                                       ('countries_count', {_json_number("countries_count")})) AS c(field, value)
            WHERE c.value < 0 AND {_SOURCE_FILTER.format(column="x.source")}
            UNION ALL
            SELECT 'raw.batches', b.batch_id, NULL, 'stats.' || s.key, s.number
            FROM raw.batches b CROSS JOIN LATERAL (
                SELECT key, CASE WHEN jsonb_typeof(value) = 'number' THEN value::text::numeric END AS number
                FROM jsonb_each(b.stats)) AS s
            WHERE s.number < 0 AND {_SOURCE_FILTER.format(column="b.source")}
            ORDER BY 1, 2""",
        WARNING, 5,
    ),
)

# The stored identity keys (sql/050_identity_keys.sql) must cover every row and name a group's root.
KEY_CHECKS = (
    Check(
        "broken_identity_keys",
        "organization or person rows without a stored key, or whose key is not the smallest id of their linked group",
        """SELECT 'organization' AS kind, o.organization_id AS id, k.organization_key AS key
           FROM core.organizations o LEFT JOIN core.organization_keys k USING (organization_id)
           WHERE k.organization_id IS NULL OR k.organization_key > o.organization_id
              OR NOT EXISTS (SELECT FROM core.organization_keys r WHERE r.organization_id = k.organization_key
                             AND r.organization_key = k.organization_key)
           UNION ALL
           SELECT 'organization link', l.organization_id, a.organization_key
           FROM core.organization_links l
           JOIN core.organization_keys a ON a.organization_id = l.organization_id
           JOIN core.organization_keys b ON b.organization_id = l.other_organization_id
           WHERE a.organization_key <> b.organization_key
           UNION ALL
           SELECT 'person', p.person_id, k.person_key
           FROM core.people p LEFT JOIN core.person_keys k USING (person_id)
           WHERE k.person_id IS NULL OR k.person_key > p.person_id
              OR NOT EXISTS (SELECT FROM core.person_keys r WHERE r.person_id = k.person_key AND r.person_key = k.person_key)
           UNION ALL
           SELECT 'person link', l.person_id, a.person_key
           FROM core.person_links l
           JOIN core.person_keys a ON a.person_id = l.person_id
           JOIN core.person_keys b ON b.person_id = l.other_person_id
           WHERE a.person_key <> b.person_key
           ORDER BY 1, 2""",
        ERROR,
    ),
)


# The stored event twins (sql/053_event_twins.sql) must equal pairing every event again: the triggers
# that keep them are bypassed only by a session that disables triggers.
TWIN_CHECKS = (
    Check(
        "stale_event_twins",
        "stored event twins (core.event_twins) that pairing the events again does not give, or that it gives and are missing",
        """WITH computed AS (SELECT * FROM core.event_twins_of(ARRAY(SELECT article_id FROM core.articles)))
           (SELECT 'stored, not computed' AS found, * FROM core.event_twins
            EXCEPT SELECT 'stored, not computed', * FROM computed)
           UNION ALL
           (SELECT 'computed, not stored', * FROM computed
            EXCEPT SELECT 'computed, not stored', * FROM core.event_twins)
           ORDER BY 2, 1""",
        ERROR,
    ),
)

_SILENT_SOURCES = Check(
    "silent_sources",
    f"configured sources without a successful run for longer than {SILENT_AFTER_INTERVALS} schedule intervals",
    """SELECT s.source, s.schedule, s.silent_after, max(b.finished_at) AS last_successful_run_at
       FROM unnest(%(scheduled)s::text[], %(schedules)s::text[], %(silent_after)s::interval[])
            AS s(source, schedule, silent_after)
       LEFT JOIN raw.batches b ON b.source = s.source AND b.finished_at IS NOT NULL
       WHERE %(source)s::text IS NULL OR s.source = %(source)s
       GROUP BY s.source, s.schedule, s.silent_after
       HAVING max(b.finished_at) IS NULL OR max(b.finished_at) < now() - s.silent_after
       ORDER BY s.source""",
    WARNING, 2,  # one source gone quiet is worth a look; several at once is an outage
)


# Pages that keep failing: retried on two runs or more and still failing, or given up.
_PAGES_STILL_FAILING = Check(
    "pages_still_failing",
    "article URLs failing on three runs in a row or given up (`python -m etl errors` says why)",
    f"""SELECT source, url, failures, last_outcome, left(last_error, 200) AS last_error,
               CASE WHEN gave_up_at IS NOT NULL THEN 'given up' ELSE 'retry from ' || next_attempt_at END AS next
        FROM raw.url_retries
        WHERE (failures >= 3 OR gave_up_at IS NOT NULL) AND {_SOURCE_FILTER.format(column="source")}
        ORDER BY source, url""",
    WARNING, 10,  # a few dead links are worth a look; many at once mean the site or the crawler broke
)


def all_checks() -> tuple[Check, ...]:
    return ARTICLE_CHECKS + EVENT_CHECKS + KEY_CHECKS + TWIN_CHECKS + (_SILENT_SOURCES, _PAGES_STILL_FAILING)


def configured_checks(thresholds: Mapping[str, int] | None = None, origin: object = None) -> tuple[Check, ...]:
    """Every check, with the thresholds a sources file's `checks:` section sets for its warnings (the
    defaults above otherwise). An unknown name, or a threshold for an error, is refused: a typo must
    not leave a check at a threshold nobody chose. `origin` (the sources file) prefixes the errors."""
    thresholds = dict(thresholds or {})
    prefix = f"{origin}: " if origin else ""
    checks = all_checks()
    known = {check.name: check for check in checks}
    warnings = ", ".join(c.name for c in checks if c.severity == WARNING)
    for name in thresholds:
        if name not in known:
            raise SourcesError(f"{prefix}`checks`: no check named {name!r} (warnings that take a threshold: {warnings})")
        if known[name].severity != WARNING:
            raise SourcesError(f"{prefix}`checks.{name}`: an error fails on any offending row and takes no threshold "
                               f"(warnings that do: {warnings})")
    return tuple(replace(c, threshold=thresholds[c.name]) if c.name in thresholds else c for c in checks)


def silent_after(schedule: str | None) -> timedelta | None:
    """How long a source on this schedule may go without a successful run; None: not scheduled."""
    interval = schedule_interval(schedule)
    return interval * SILENT_AFTER_INTERVALS if interval else None


def schedule_interval(schedule: str | None) -> timedelta | None:
    """The longest gap between two runs of a preset or cron schedule (None for @once / unscheduled)."""
    if not schedule or schedule == "@once":
        return None
    if schedule in _PRESET_INTERVALS:
        return _PRESET_INTERVALS[schedule]
    from croniter import croniter

    # Cron gaps vary (weekdays only, the 1st of the month): the longest of a year's worth of runs.
    runs = croniter(schedule, datetime(2024, 1, 1, tzinfo=timezone.utc))
    fires = [runs.get_next(datetime) for _ in range(400)]
    return max(later - earlier for earlier, later in zip(fires, fires[1:]))


def run_checks(conn, sources: list[Source] = (), source: str | None = None,
               only_configured: bool = False, thresholds: Mapping[str, int] | None = None) -> list[CheckResult]:
    """Run every check (only `source`'s rows when given). `sources` says which sources should be
    running; with `only_configured`, only their rows are checked (the demo's warehouse holds no others,
    a real one may hold sources a given file does not name). `thresholds`: the sources file's
    `checks:` section (see `configured_checks`)."""
    checks = configured_checks(thresholds)
    scheduled = [(s.name, s.schedule, silent_after(s.schedule)) for s in sources if silent_after(s.schedule)]
    params = {
        "source": source,
        "only_sources": [s.name for s in sources] if only_configured else None,
        "scheduled": [name for name, _, _ in scheduled],
        "schedules": [schedule for _, schedule, _ in scheduled],
        "silent_after": [window for _, _, window in scheduled],
    }
    return [run_check(conn, check, params) for check in checks]


def run_check(conn, check: Check, params: dict) -> CheckResult:
    with conn.cursor() as cur:
        cur.execute(f"SELECT *, count(*) OVER () AS offending FROM ({check.sql}) offending_rows LIMIT {SAMPLE_ROWS}",
                    params)
        columns = [c.name for c in cur.description]
        rows = [dict(zip(columns, row)) for row in cur.fetchall()]
    offending = rows[0].pop("offending") if rows else 0
    for row in rows[1:]:
        row.pop("offending")
    return CheckResult(check, offending, rows)


def check_warehouse(conn, sources: list[Source] = (), source: str | None = None,
                    only_configured: bool = False, thresholds: Mapping[str, int] | None = None) -> list[CheckResult]:
    """Run the checks and record their results (committed); raise ChecksFailed (naming the checks and
    a few rows) if an error found anything or a warning found more than its threshold."""
    results = run_checks(conn, sources, source, only_configured, thresholds)
    record_results(conn, results, source)
    if any(r.failed for r in results):
        raise ChecksFailed(results)
    return results


def record_results(conn, results: list[CheckResult], source: str | None) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO raw.check_results (check_name, severity, threshold, status, offending, source, sample)
               VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb)""",
            [(r.check.name, r.check.severity, r.check.threshold, r.status, r.offending, source,
              json.dumps(r.sample, default=_json_default, ensure_ascii=False)) for r in results])
    if not conn.autocommit:
        conn.commit()  # kept even when the caller then fails the run


def _json_default(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _one_line(row: dict) -> str:
    return ", ".join(f"{key}={_short(value)}" for key, value in row.items())


def _short(value, limit: int = 80) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
