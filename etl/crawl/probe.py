"""`sources check`: does a source, as the sources file describes it, find articles on its site today?

One discovery pass per source with the crawler a run uses (robots.txt honoured, the source's rate,
the same canonical URLs and patterns), but bounded for a check: a few listing pages per start URL and
a cap on requests per source; no article page is fetched and nothing is stored. It reports what was
read, the article URLs matched, and the links that look like articles but match no pattern: the
sign of a pattern that no longer fits the site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from etl.crawl.crawler import Crawler
from etl.crawl.discovery import Discovery, DiscoveryFailure, feed_entries, sitemap_entries
from etl.crawl.fetch import FetchResult
from etl.crawl.urls import absolute_url, canonical_url, normalise_url, same_site, site_spellings
from etl.sources import Source

DEFAULT_MAX_LISTING_PAGES = 2
DEFAULT_MAX_REQUESTS = 40
OVER_BUDGET = "not read: the check stops after {} requests per source"

# Not pages at all: files a listing page links to.
_FILE_SUFFIX = re.compile(r"\.(pdf|jpe?g|png|gif|svg|webp|ico|css|js|xml|rss|zip|rar|docx?|xlsx?|pptx?|mp[34]|avi)$", re.I)


@dataclass
class SourceCheck:
    source: str
    listing_pages: list[str] = field(default_factory=list)   # read
    feeds: list[str] = field(default_factory=list)           # read
    sitemaps: list[str] = field(default_factory=list)        # read
    articles: list[str] = field(default_factory=list)        # matched, in discovery order
    unmatched: list[str] = field(default_factory=list)       # looked like articles, matched no pattern
    failures: list[DiscoveryFailure] = field(default_factory=list)
    not_read: list[str] = field(default_factory=list)        # left for the request cap
    requests: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.articles)

    def as_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["ok"] = self.ok
        return data


def looks_like_article(url: str) -> bool:
    """A page address shaped like an article's: a slug of several words, or a long number below a section.

    General shapes only (`/news/some-long-title`, `/2018/01/17/x-event-5792`, `/item/031218`); used
    to point at links a pattern may be missing, never to decide what is crawled.
    """
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if not segments or _FILE_SUFFIX.search(segments[-1]):
        return False
    last = segments[-1]
    words = [w for w in re.split(r"[-_+]+|%20", last) if w]
    return len(words) >= 3 or (len(segments) >= 2 and re.search(r"\d{3,}", last) is not None)


def check_source(source: Source, *, max_listing_pages: int = DEFAULT_MAX_LISTING_PAGES,
                 max_requests: int = DEFAULT_MAX_REQUESTS, **crawler_options) -> SourceCheck:
    """Discover `source`'s articles once, politely and bounded; never raises for a bad site."""
    bounded = dataclasses.replace(source, max_listing_pages=min(source.max_listing_pages, max_listing_pages))
    report = SourceCheck(source.name)
    read: dict[str, FetchResult] = {}
    crawler_options.setdefault("max_retries", 1)

    with Crawler(bounded, **crawler_options) as crawler:
        def fetch(url: str, max_bytes: int | None = None) -> FetchResult:
            if report.requests >= max_requests:
                report.not_read.append(url)
                return FetchResult(url=url, final_url=None, outcome="failed", status=None, content_type=None,
                                   charset=None, etag=None, last_modified=None, body=None,
                                   error=OVER_BUDGET.format(max_requests), attempts=0, fetched_at=_now())
            report.requests += 1
            result = crawler.fetch_discovery(url, max_bytes)
            if result.outcome == "fetched":
                read[url] = result
            return result

        discovery = Discovery(bounded, fetch, crawler.site_domains, crawler.discovery_stats)
        report.articles = discovery.run(lambda url: False)
        stats = crawler.discovery_stats

    report.failures = [f for f in stats.failures if not f.reason.startswith("not read: the check")]
    spellings = site_spellings(source.entry_urls)
    feeds = {normalise_url(u) for u in source.feeds}
    matched = set(report.articles)
    # The sections above the matched articles (and the start URLs) are listings, however slug-like
    # their names (/en/uchastie-v-meropriyatiyakh): not what a pattern misses.
    sections = {_section_key(u) for u in source.start_urls} | {p for u in matched for p in _ancestors(u)}
    unmatched: dict[str, None] = {}
    for url in stats.read_urls:
        result = read.get(url)
        if result is None:
            continue
        kind, links = _classify(url, result, feeds)
        getattr(report, kind).append(url)
        for link in links:
            link = canonical_url(link, spellings) or link
            if (link in matched or link == url or source.is_article_url(link) or source.is_listing_url(link)
                    or _section_key(link) in sections or not same_site(link, crawler.site_domains)):
                continue
            # A feed lists articles by definition; listing pages and sitemaps also list the rest.
            if kind == "feeds" or looks_like_article(link):
                unmatched.setdefault(link)
    report.unmatched = list(unmatched)
    return report


def _section_key(url: str) -> str:
    """The URL without query and trailing slash, spelled as normalised."""
    parts = urlsplit(normalise_url(url) or url)
    return f"{parts.netloc}{parts.path.rstrip('/')}"


def _ancestors(url: str) -> list[str]:
    key = _section_key(url)
    host, _, path = key.partition("/")
    segments = [s for s in path.split("/") if s]
    return [host + "".join("/" + s for s in segments[:i]) for i in range(len(segments))]


def _classify(url: str, result: FetchResult, feeds: set[str | None]) -> tuple[str, list[str]]:
    """What a read discovery URL was (listing page, feed or sitemap) and the links it holds."""
    base = result.final_url or url
    if url in feeds:
        return "feeds", [link for link, _ in feed_entries(result.body, base)]
    try:
        kind, entries = sitemap_entries(result.body, base)
        return "sitemaps", ([] if kind == "sitemapindex" else [loc for loc, _ in entries])
    except Exception:  # noqa: BLE001 - not a sitemap: a listing page
        pass
    soup = BeautifulSoup(result.body, "lxml", from_encoding=result.charset)
    return "listing_pages", [link for a in soup.find_all("a", href=True) if (link := absolute_url(base, a["href"]))]


def format_check(report: SourceCheck, examples: int = 5) -> str:
    """The report of one source, for a terminal."""
    verdict = "ok" if report.ok else "NO ARTICLE FOUND"
    lines = [f"{report.source}: {verdict}: {len(report.articles)} article URLs matched, "
             f"{len(report.listing_pages)} listing pages, {len(report.feeds)} feeds and "
             f"{len(report.sitemaps)} sitemaps read ({report.requests} requests)"]

    def section(title: str, urls: list[str], limit: int) -> None:
        if urls:
            lines.append(f"  {title} ({len(urls)}):")
            lines.extend(f"    {u}" for u in urls[:limit])
            if len(urls) > limit:
                lines.append(f"    ... and {len(urls) - limit} more")

    section("listing pages read", report.listing_pages, 20)
    section("feeds read", report.feeds, 20)
    section("sitemaps read", report.sitemaps, 20)
    section("article URLs matched, for example", report.articles, examples)
    section("looked like articles but matched no pattern", report.unmatched, examples * 2)
    if report.failures:
        lines.append(f"  could not read ({len(report.failures)}):")
        lines.extend(f"    {f.what} {f.url}: {f.reason}" for f in report.failures[:20])
    if report.not_read:
        lines.append(f"  not read ({len(report.not_read)}): {OVER_BUDGET.format(report.requests)}"
                     " (raise it with --max-requests)")
    return "\n".join(lines)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
