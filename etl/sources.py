"""The sources file: which sites to follow and how (YAML, a `sources` list).

Every value is checked when the file is loaded, so a typo fails the run at once with a message naming
the source and the key, instead of silently crawling nothing.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import soupsieve
import yaml

DEFAULT_SCHEDULE = "@daily"
DEFAULT_NEXT_PAGE = "a[rel=next]"
DEFAULT_MAX_LISTING_PAGES = 20
DEFAULT_REQUESTS_PER_SECOND = 1.0
SELECTOR_KEYS = ("title", "body", "published_at")
SHIPPED_SOURCES_FILE = Path(__file__).resolve().parent.parent / "dags" / "sources.yaml"

_ENV_REF = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")
_SCHEDULE_PRESETS = {"@once", "@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly", "@annually"}


class SourcesError(ValueError):
    """The sources file is malformed; the message names the source and the key."""


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
        return re.search(self.article_url_pattern, url) is not None

    def is_listing_url(self, url: str) -> bool:
        return self.listing_url_pattern is not None and re.search(self.listing_url_pattern, url) is not None


def default_sources_path() -> Path:
    return Path(os.environ.get("ETL_SOURCES_FILE") or SHIPPED_SOURCES_FILE)


def load_sources(path: str | os.PathLike | None = None) -> list[Source]:
    path = Path(path) if path else default_sources_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SourcesError(f"{path}: cannot read sources file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{path}: expected a mapping with a `sources` list")
    if not data["sources"]:
        raise SourcesError(f"{path}: the `sources` list is empty: there is nothing to follow")
    # `x-...` keys are free for YAML anchors shared between sources.
    unknown_top = sorted(k for k in data if k != "sources" and not str(k).startswith("x-"))
    if unknown_top:
        raise SourcesError(f"{path}: unknown top-level key(s): {', '.join(map(str, unknown_top))}")
    try:
        sources = [_parse_source(entry, i) for i, entry in enumerate(data["sources"])]
    except SourcesError as exc:
        raise SourcesError(f"{path}: {exc}") from None
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SourcesError(f"{path}: duplicate source names: {', '.join(duplicates)}")
    return sources


_KNOWN_KEYS = {
    "name", "language", "start_urls", "article_url_pattern", "listing_url_pattern", "next_page",
    "max_listing_pages", "feeds", "sitemaps", "requests_per_second", "schedule", "selectors",
    "allow_private_hosts",
}


def _parse_source(entry, index: int) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"source #{index + 1}: expected a mapping")
    name = entry.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_]*", name):
        raise SourcesError(f"source #{index + 1}: `name` must be lower-case letters, digits and _ (got {name!r})")
    unknown = sorted(map(str, set(entry) - _KNOWN_KEYS))
    if unknown:
        raise SourcesError(f"source {name!r}: unknown key(s): {', '.join(unknown)}")
    check = _Checker(name, entry)
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
    )


class _Checker:
    """Reads one key of one source entry; every error names both."""

    def __init__(self, name: str, entry: dict):
        self.name, self.entry = name, entry

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
        urls = tuple(_expand_env(u).strip() for u in value)
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                self.fail(key, f"must hold absolute http(s) URLs (got {url!r})")
        return urls

    def regex(self, key: str, *, required: bool = False) -> str | None:
        value = self.entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            self.fail(key, "must be a regular expression (a non-empty string)")
        value = _expand_env(value)
        try:
            re.compile(value)
        except re.error as exc:
            self.fail(key, f"is not a valid regex: {exc}")
        return value

    def css(self, key: str) -> str | None:
        value = self.entry.get(key)
        return None if value is None else self.css_value(key, value)

    def css_value(self, key: str, value) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a CSS selector (a non-empty string, got {value!r})")
        try:
            soupsieve.compile(value)
        except Exception as exc:  # soupsieve raises SelectorSyntaxError and friends
            self.fail(key, f"is not a valid CSS selector: {exc}")
        return value

    def positive_int(self, key: str, default: int) -> int:
        value = self.entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(key, f"must be a positive integer (got {value!r})")
        return value

    def positive_number(self, key: str, default: float) -> float:
        value = self.entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            self.fail(key, f"must be a positive number (got {value!r})")
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.entry.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false (got {value!r})")
        return value

    def language(self, key: str) -> str | None:
        value = self.entry.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2,3}", value):
            self.fail(key, f"must be an ISO 639 code such as en or ru (got {value!r})")
        return value

    def schedule(self, key: str) -> str:
        value = self.entry.get(key)
        if value is None:
            return DEFAULT_SCHEDULE
        if not isinstance(value, str):
            self.fail(key, f"must be a cron expression or a preset such as @daily (got {value!r})")
        value = value.strip()
        if value.startswith("@"):
            if value not in _SCHEDULE_PRESETS:
                self.fail(key, f"unknown preset {value!r} (known: {', '.join(sorted(_SCHEDULE_PRESETS))})")
        elif len(value.split()) != 5 or not all(re.fullmatch(r"[\w*/,\-?#LW]+", f) for f in value.split()):
            self.fail(key, f"must be a five-field cron expression or a preset such as @daily (got {value!r})")
        return value

    def selectors(self, key: str) -> dict[str, str]:
        value = self.entry.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(key, f"must be a mapping with keys among {', '.join(SELECTOR_KEYS)}")
        unknown = sorted(map(str, set(value) - set(SELECTOR_KEYS)))
        if unknown:
            self.fail(key, f"has unknown key(s): {', '.join(unknown)} (known: {', '.join(SELECTOR_KEYS)})")
        return {k: self.css_value(f"{key}.{k}", value[k]) for k in SELECTOR_KEYS if k in value}


def _expand_env(value: str) -> str:
    """`${VAR}` / `${VAR:-default}`: lets one file name a site served on a port chosen at run time."""
    return _ENV_REF.sub(lambda m: os.environ.get(m.group(1)) or (m.group(2) or ""), value)


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
