"""The sources file: which sites to follow and how (YAML, a `sources` list).

Every value is checked when the file is loaded, so a typo fails the run at once with a message naming
the source and the key, instead of silently crawling nothing.
"""

from __future__ import annotations

import functools
import math
import os
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import re2
import yaml
from croniter import CroniterBadCronError, CroniterBadDateError, croniter

DEFAULT_SCHEDULE = "@daily"
DEFAULT_NEXT_PAGE = "a[rel=next]"
DEFAULT_MAX_LISTING_PAGES = 20
DEFAULT_REQUESTS_PER_SECOND = 1.0
# Per-run limits a source may set (etl.crawl.limits holds the crawler's other limits).
DEFAULT_MAX_URLS_PER_RUN = 50_000        # article URLs one run reads from listings, feeds and sitemaps
DEFAULT_MAX_FEED_BYTES = 50 * 1024 * 1024  # one sitemap or feed, decompressed (the sitemap protocol's limit)
# Edited pages: articles first fetched in the last `revisit_recent_days` are asked again (conditional
# GET) when their last check is `revisit_every_days` old, so scheduled runs feed the article history.
DEFAULT_REVISIT_RECENT_DAYS = 30
DEFAULT_REVISIT_EVERY_DAYS = 7
SELECTOR_KEYS = ("title", "body", "published_at")
SHIPPED_SOURCES_FILE = Path(__file__).resolve().parent.parent / "dags" / "sources.yaml"

MAX_SOURCES_FILE_BYTES = 1024 * 1024  # hundreds of sources fit in a few dozen KiB
_ENV_REF = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")
# `${VAR}` may name ETL_* variables (ETL_SAMPLE_SITE_URL...) and those the file lists under
# `allowed_env`, never one that looks like a credential: a URL is sent to the site it names.
_ENV_ALWAYS_ALLOWED = re.compile(r"ETL_\w+")
_ENV_NEVER_ALLOWED = re.compile(r".*(DATABASE|DSN|PASSW|SECRET|TOKEN|CREDENTIAL|KEY|AUTH|CONN).*", re.I)
_SCHEDULE_PRESETS = {"@once", "@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly", "@annually"}


class SourcesError(ValueError):
    """The sources file is malformed; the message names the source and the key."""


@dataclass(frozen=True)
class SourcesFile:
    """What a sources file holds: its sources and, from its `checks:` section, the thresholds it sets
    for data quality warnings (check name -> offending rows a warning tolerates; etl.store.checks
    applies them and refuses names it does not know)."""
    path: Path
    sources: list[Source]
    check_thresholds: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    name: str
    start_urls: tuple[str, ...]
    article_url_pattern: str
    schedule: str = DEFAULT_SCHEDULE
    language: str | None = None
    listing_url_pattern: str | None = None
    next_page: str = DEFAULT_NEXT_PAGE
    max_listing_pages: int = DEFAULT_MAX_LISTING_PAGES
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    max_urls_per_run: int = DEFAULT_MAX_URLS_PER_RUN
    max_feed_bytes: int = DEFAULT_MAX_FEED_BYTES
    revisit_recent_days: int = DEFAULT_REVISIT_RECENT_DAYS
    revisit_every_days: int = DEFAULT_REVISIT_EVERY_DAYS
    # CSS overrides for extraction, only the keys given: {"title": ..., "body": ..., "published_at": ...}
    selectors: dict[str, str] = field(default_factory=dict, hash=False)
    allow_private_hosts: bool = False
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def entry_urls(self) -> tuple[str, ...]:
        """Every URL the source file names: listing pages, feeds and sitemaps."""
        return self.start_urls + self.feeds + self.sitemaps

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(urlsplit(u).hostname or "" for u in self.entry_urls) - {""}

    def is_article_url(self, url: str) -> bool:
        return compile_pattern(self.article_url_pattern).search(url) is not None

    def is_listing_url(self, url: str) -> bool:
        return self.listing_url_pattern is not None and compile_pattern(self.listing_url_pattern).search(url) is not None


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str):
    """A URL pattern compiled by RE2, which runs in time linear in the URL whatever the pattern: a
    pattern with catastrophic backtracking in Python's `re` cannot stall discovery. RE2 has no
    backreferences or lookaround; such a pattern is refused when the file is loaded."""
    return re2.compile(pattern, _RE2_OPTIONS)


def brief(value, limit: int = 80) -> str:
    """A value for an error message, never whole: a file may hold huge or deeply nested values."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = limit
    short.maxlevel, short.maxlist, short.maxdict = 2, 4, 4
    return cut(short.repr(value), limit + 10)


def cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def default_sources_path() -> Path:
    return Path(os.environ.get("ETL_SOURCES_FILE") or SHIPPED_SOURCES_FILE)


def load_sources(path: str | os.PathLike | None = None) -> list[Source]:
    return load_sources_file(path).sources


def load_sources_file(path: str | os.PathLike | None = None) -> SourcesFile:
    path = Path(path) if path else default_sources_path()
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SOURCES_FILE_BYTES + 1)
        if len(raw) > MAX_SOURCES_FILE_BYTES:
            raise SourcesError(f"the sources file is over {MAX_SOURCES_FILE_BYTES} bytes")
        data = _safe_yaml(raw.decode("utf-8"))
    except SourcesError as exc:
        raise SourcesError(f"{path}: {exc}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SourcesError(f"{path}: cannot read sources file: {_first_line(exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{path}: expected a mapping with a `sources` list")
    if not data["sources"]:
        raise SourcesError(f"{path}: the `sources` list is empty: there is nothing to follow")
    # `x-...` keys are free for the file's own notes.
    unknown_top = sorted(str(k) for k in data
                         if k not in ("sources", "allowed_env", "checks") and not str(k).startswith("x-"))
    if unknown_top:
        raise SourcesError(f"{path}: unknown top-level key(s): {cut(', '.join(unknown_top))}")
    try:
        allowed_env = _allowed_env(data.get("allowed_env"))
        sources = [_parse_source(entry, i, allowed_env) for i, entry in enumerate(data["sources"])]
        check_thresholds = _check_thresholds(data.get("checks"))
    except SourcesError as exc:
        raise SourcesError(f"{path}: {exc}") from None
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SourcesError(f"{path}: duplicate source names: {', '.join(duplicates)}")
    return SourcesFile(path, sources, check_thresholds)


def _check_thresholds(value) -> dict[str, int]:
    """`checks: {<check name>: {threshold: N}}`: N offending rows a warning tolerates before it fails
    the run (0: fail on any). Which names exist is etl.store.checks' business (`configured_checks`)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SourcesError(f"`checks` must be a mapping of check names to settings, e.g. "
                           f"`event_dates_out_of_range: {{threshold: 20}}` (got {brief(value)})")
    thresholds = {}
    for name, settings in value.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise SourcesError(f"`checks`: {brief(name)} is not a check name (lower-case letters, digits and _)")
        if not isinstance(settings, dict) or set(settings) != {"threshold"}:
            raise SourcesError(f"`checks.{name}` must be a mapping with one key, `threshold` (got {brief(settings)})")
        threshold = settings["threshold"]
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
            raise SourcesError(f"`checks.{name}.threshold` must be a whole number of offending rows, 0 or more "
                               f"(got {brief(threshold)})")
        thresholds[name] = threshold
    return thresholds


def _safe_yaml(text: str):
    """YAML without anchors or aliases: an alias bomb (a few hundred bytes naming each other) would
    grow into billions of values; a sources file has no need of them."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            mark = event.start_mark
            raise SourcesError(f"YAML anchors and aliases (&name, *name) are not allowed in a sources file "
                               f"(line {mark.line + 1}): write each value out")
    return yaml.safe_load(text)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return cut(text[0]) if text else type(exc).__name__


def _allowed_env(value) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) and re.fullmatch(r"\w+", v) for v in value):
        raise SourcesError(f"`allowed_env` must be a list of environment variable names (got {brief(value)})")
    refused = sorted(v for v in value if _ENV_NEVER_ALLOWED.fullmatch(v))
    if refused:
        raise SourcesError(f"`allowed_env` names variable(s) that may hold credentials: {', '.join(refused)}")
    return frozenset(value)


_KNOWN_KEYS = {
    "name", "language", "start_urls", "article_url_pattern", "listing_url_pattern", "next_page",
    "max_listing_pages", "feeds", "sitemaps", "requests_per_second", "schedule", "selectors",
    "allow_private_hosts", "max_urls_per_run", "max_feed_bytes",
    "revisit_recent_days", "revisit_every_days",
}


def _parse_source(entry, index: int, allowed_env: frozenset[str] = frozenset()) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"source #{index + 1}: expected a mapping")
    name = entry.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_]*", name):
        raise SourcesError(f"source #{index + 1}: `name` must be lower-case letters, digits and _ (got {brief(name)})")
    unknown = sorted(map(str, set(entry) - _KNOWN_KEYS))
    if unknown:
        raise SourcesError(f"source {name!r}: unknown key(s): {cut(', '.join(unknown))}")
    check = _Checker(name, entry, allowed_env)
    start_urls = check.url_list("start_urls")
    feeds = check.url_list("feeds")
    sitemaps = check.url_list("sitemaps")
    if not (start_urls or feeds or sitemaps):
        raise SourcesError(f"source {name!r}: `start_urls`: give at least one start URL, feed or sitemap")
    return Source(
        name=name,
        start_urls=start_urls,
        article_url_pattern=check.regex("article_url_pattern", required=True),
        schedule=check.schedule("schedule"),
        language=check.language("language"),
        listing_url_pattern=check.regex("listing_url_pattern"),
        next_page=check.css("next_page") or DEFAULT_NEXT_PAGE,
        max_listing_pages=check.positive_int("max_listing_pages", DEFAULT_MAX_LISTING_PAGES),
        feeds=feeds,
        sitemaps=sitemaps,
        requests_per_second=check.positive_number("requests_per_second", DEFAULT_REQUESTS_PER_SECOND),
        selectors=check.selectors("selectors"),
        allow_private_hosts=check.boolean("allow_private_hosts", False),
        max_urls_per_run=check.positive_int("max_urls_per_run", DEFAULT_MAX_URLS_PER_RUN),
        max_feed_bytes=check.positive_int("max_feed_bytes", DEFAULT_MAX_FEED_BYTES),
        revisit_recent_days=check.positive_int("revisit_recent_days", DEFAULT_REVISIT_RECENT_DAYS),
        revisit_every_days=check.positive_int("revisit_every_days", DEFAULT_REVISIT_EVERY_DAYS),
    )


class _Checker:
    """Reads one key of one source entry; every error names both."""

    def __init__(self, name: str, entry: dict, allowed_env: frozenset[str] = frozenset()):
        self.name, self.entry, self.allowed_env = name, entry, allowed_env

    def expand(self, key: str, value: str) -> str:
        """`${VAR}` / `${VAR:-default}` of allowed variables: lets one file name a site served on a
        port chosen at run time. Errors quote the value as written, never what it expanded to."""
        for match in _ENV_REF.finditer(value):
            variable = match.group(1)
            allowed = (variable in self.allowed_env or _ENV_ALWAYS_ALLOWED.fullmatch(variable)) \
                and not _ENV_NEVER_ALLOWED.fullmatch(variable)
            if not allowed:
                self.fail(key, f"refers to ${{{variable}}}, which a sources file may not use (allowed: ETL_* "
                          f"variables that hold no credentials, and those listed under `allowed_env`)")
        return _ENV_REF.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), value)

    def fail(self, key: str, message: str):
        raise SourcesError(f"source {self.name!r}: `{key}` {message}")

    def url_list(self, key: str) -> tuple[str, ...]:
        value = self.entry.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
            self.fail(key, "must be a list of URLs")
        urls = []
        for written in value:
            url = self.expand(key, written).strip()
            try:
                parts = urlsplit(url)
                valid = parts.scheme in ("http", "https") and bool(parts.hostname)
            except ValueError:
                valid = False
            if not valid:
                self.fail(key, f"must hold absolute http(s) URLs (got {brief(written)}"
                          + (", after expanding ${...})" if written != url else ")"))
            urls.append(url)
        return tuple(urls)

    def regex(self, key: str, *, required: bool = False) -> str | None:
        value = self.entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            self.fail(key, "must be a regular expression (a non-empty string)")
        written, value = value, self.expand(key, value)
        try:
            compile_pattern(value)
        except re2.error as exc:
            reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
            # RE2's reason quotes the pattern: shown only when it is the pattern as written.
            shown = f"{brief(written)}: {cut(str(reason), 120)}" if written == value else \
                f"{brief(written)} after expanding ${{...}}"
            self.fail(key, f"is not a valid regex for RE2 ({shown}); RE2 runs in "
                      f"linear time, so backreferences and lookaround are not available")
        return value

    def css(self, key: str) -> str | None:
        value = self.entry.get(key)
        return None if value is None else self.css_value(key, value)

    def css_value(self, key: str, value) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a CSS selector (a non-empty string, got {brief(value)})")
        import soupsieve  # here: ~0.1 s to import, and most sources declare no selector

        try:
            soupsieve.compile(value)
        except Exception as exc:  # soupsieve raises SelectorSyntaxError and friends
            self.fail(key, f"is not a valid CSS selector: {_first_line(exc)}")
        return value

    def positive_int(self, key: str, default: int) -> int:
        value = self.entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(key, f"must be a positive integer (got {brief(value)})")
        return value

    def positive_number(self, key: str, default: float) -> float:
        value = self.entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            self.fail(key, f"must be a positive number (got {brief(value)})")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.entry.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false (got {brief(value)})")
        return value

    def language(self, key: str) -> str | None:
        value = self.entry.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2,3}", value):
            self.fail(key, f"must be an ISO 639 code such as en or ru (got {brief(value)})")
        return value

    def schedule(self, key: str) -> str:
        value = self.entry.get(key)
        if value is None:
            return DEFAULT_SCHEDULE
        if not isinstance(value, str):
            self.fail(key, f"must be a cron expression or a preset such as @daily (got {brief(value)})")
        value = value.strip()
        if value.startswith("@"):
            if value not in _SCHEDULE_PRESETS:
                self.fail(key, f"unknown preset {brief(value)} (known: {', '.join(sorted(_SCHEDULE_PRESETS))})")
            return value
        if len(value.split()) != 5:
            self.fail(key, f"must be a five-field cron expression or a preset such as @daily (got {brief(value)})")
        # The check Airflow's cron timetables make (`CronMixin.validate`): croniter reads the expression.
        try:
            croniter(value)
        except (CroniterBadCronError, CroniterBadDateError, ValueError, KeyError) as exc:
            self.fail(key, f"is not a cron expression Airflow accepts ({brief(value)}: {_first_line(exc)})")
        return value

    def selectors(self, key: str) -> dict[str, str]:
        value = self.entry.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(key, f"must be a mapping with keys among {', '.join(SELECTOR_KEYS)}")
        unknown = sorted(map(str, set(value) - set(SELECTOR_KEYS)))
        if unknown:
            self.fail(key, f"has unknown key(s): {cut(', '.join(unknown))} (known: {', '.join(SELECTOR_KEYS)})")
        return {k: self.css_value(f"{key}.{k}", value[k]) for k in SELECTOR_KEYS if k in value}


def source_for_url(sources: list[Source], url: str) -> Source | None:
    host = urlsplit(url).hostname
    for source in sources:
        if host in source.hosts or source.is_article_url(url):
            return source
    return None


def get_source(sources: list[Source], name: str) -> Source:
    for source in sources:
        if source.name == name:
            return source
    raise SourcesError(f"no source named {name!r} (known: {', '.join(s.name for s in sources)})")
