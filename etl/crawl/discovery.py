"""Finding article URLs: listing pages (with paging), RSS/Atom feeds and sitemaps (index, gzip)."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from etl.crawl.fetch import FetchResult
from etl.crawl.limits import MAX_SITEMAP_FILES, XML_CHUNK_BYTES
from etl.crawl.urls import absolute_url, canonical_url, same_site, site_spellings
from etl.record import MAX_URL_LENGTH
from etl.sources import DEFAULT_MAX_FEED_BYTES, Source

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class DateWindow:
    """[start, end) of publication dates a backfill run is after (an Airflow data interval)."""

    start: dt.date
    end: dt.date

    def admits(self, day: dt.date | None) -> bool:
        # An entry without a date may be in the window: keep it (loading is idempotent anyway).
        return day is None or self.start <= day < self.end


@dataclass(frozen=True)
class DiscoveryFailure:
    url: str
    what: str                    # "listing page", "feed", "sitemap", "article link"
    reason: str
    error_class: str | None = None


@dataclass
class DiscoveryStats:
    listing_pages: int = 0
    feeds: int = 0
    sitemaps: int = 0
    read: int = 0    # listing pages, feeds and sitemaps fetched and read
    errors: int = 0  # ... and those that could not be (logged; 0 read with errors > 0: the site is down)
    found: int = 0   # article URLs seen, known or not
    new: int = 0     # of which not known
    off_site: int = 0       # article links to another site: not ours to crawl, whatever their path says
    out_of_window: int = 0  # feed/sitemap entries dated outside a backfill's window
    capped: int = 0         # 1 when the run stopped at the source's max_urls_per_run (the rest: next runs)
    # Which discovery URLs were read and which failed, for the errors table (not counts: left out of stats).
    read_urls: list[str] = field(default_factory=list)
    failures: list[DiscoveryFailure] = field(default_factory=list)

    def succeeded(self, url: str) -> None:
        self.read += 1
        self.read_urls.append(url)

    def failed(self, what: str, url: str, reason: str | None, error_class: str | None = None) -> None:
        if what != "article link":
            self.errors += 1
        self.failures.append(DiscoveryFailure(url, what, reason or "failed", error_class))
        log.warning("discovery: %s %s: %s", what, url, reason)

    def counts(self) -> dict[str, int]:
        return {name: value for name, value in vars(self).items() if isinstance(value, int)}


class Discovery:
    """One discovery pass over a source. `fetch(url, max_bytes=None) -> FetchResult` does the HTTP
    (any content type). At most `source.max_urls_per_run` article URLs are read per pass, and a sitemap
    or feed is parsed as it decompresses, up to `source.max_feed_bytes`: a site cannot make one run
    hold millions of URLs."""

    def __init__(self, source: Source, fetch: Callable[[str], FetchResult], site_domains: frozenset[str],
                 stats: DiscoveryStats | None = None, window: DateWindow | None = None):
        self.source = source
        self.window = window
        self._fetch = fetch
        self._site_domains = site_domains
        self.stats = stats or DiscoveryStats()
        self._seen: set[str] = set()
        self._new: list[str] = []
        # Links to a host variant of the source's sites (www., trailing dot, other scheme) are written
        # as the source file writes the site, so one article is one URL.
        self._spellings = site_spellings(source.entry_urls)

    def _canonical(self, url: str) -> str:
        return canonical_url(url, self._spellings) or url

    def run(self, is_known: Callable[[str], bool]) -> list[str]:
        self._is_known = is_known
        self._follow_listings()
        for feed in self.source.feeds:
            if not self.exhausted:
                self._read_feed(feed)
        self._read_sitemaps()
        self._note_cap()
        return list(self._new)

    @property
    def exhausted(self) -> bool:
        return self.stats.found >= self.source.max_urls_per_run

    def _offer(self, url: str) -> bool:
        """Record an article URL; True when it is new (not seen in this pass, not known from before)."""
        if url in self._seen or self.exhausted:
            return False
        self._seen.add(url)
        self.stats.found += 1
        # Links come from pages we do not control: only URLs on the source's own site and of a sane
        # length are followed (http(s) only is the normalisation's rule).
        if not same_site(url, self._site_domains):
            self.stats.off_site += 1
            return False
        if len(url) > MAX_URL_LENGTH:
            self.stats.failed("article link", url, f"URL of {len(url)} characters, the limit is {MAX_URL_LENGTH}",
                              "UrlTooLong")
            return False
        if self._is_known(url):
            return False
        self._new.append(url)
        self.stats.new += 1
        return True

    def _note_cap(self) -> None:
        if self.exhausted and not self.stats.capped:
            self.stats.capped = 1
            log.warning("discovery: %s reached max_urls_per_run (%d article URLs); the rest waits for later runs",
                        self.source.name, self.source.max_urls_per_run)

    def _offer_dated(self, url: str, day: dt.date | None) -> None:
        if self.window is not None and not self.window.admits(day):
            self.stats.out_of_window += 1
            return
        self._offer(url)

    # -- listing pages ------------------------------------------------------------------------------

    def _follow_listings(self) -> None:
        """Each start URL begins a chain of listing pages, at most `max_listing_pages` long.

        A listing page that yields no new article ends its branch: listings are newest first, so
        everything behind it was seen by an earlier run. A backfill (a date window) walks on: the
        archive it is after lies behind what is known. Listing pages carry no dates, so they are not
        filtered by the window; feeds and sitemaps are.
        """
        queued: set[str] = set()
        queue: deque[tuple[str, int]] = deque()
        pages_per_chain: dict[int, int] = {}
        for chain, url in enumerate(self.source.start_urls):
            normal = absolute_url(url, url)
            if normal and normal not in queued:
                queued.add(normal)
                queue.append((normal, chain))
        while queue and not self.exhausted:
            url, chain = queue.popleft()
            if pages_per_chain.get(chain, 0) >= self.source.max_listing_pages:
                continue
            pages_per_chain[chain] = pages_per_chain.get(chain, 0) + 1
            result = self._fetch(url)
            self.stats.listing_pages += 1
            if result.outcome != "fetched":
                self.stats.failed("listing page", url, result.error)
                continue
            try:
                self._read_listing(url, chain, result, queue, queued)
                self.stats.succeeded(url)
            except Exception as exc:  # one unreadable listing page is one lost page, not a lost run
                self.stats.failed("listing page", url, f"cannot read: {type(exc).__name__}: {exc}")

    def _read_listing(self, url: str, chain: int, result: FetchResult, queue: deque, queued: set[str]) -> None:
        from bs4 import BeautifulSoup  # here: a fetch task (no discovery) need not import it and soupsieve

        soup = BeautifulSoup(result.body, "lxml", from_encoding=result.charset)
        base = _base_href(soup, result.final_url or url)
        links = [self._canonical(link) for a in soup.find_all("a", href=True)
                 if (link := absolute_url(base, a["href"]))]
        if self.source.is_article_url(url):
            links.insert(0, url)
        new = sum(self._offer(link) for link in links if self.source.is_article_url(link))
        if not new and self.window is None:
            log.info("discovery: no new article on %s, not paging further from it", url)
            return
        next_pages = [absolute_url(base, el.get("href") or "") for el in soup.select(self.source.next_page)]
        listings = [link for link in links if self.source.is_listing_url(link)]
        for link in next_pages + listings:
            if link and link not in queued and not self.source.is_article_url(link):
                queued.add(link)
                queue.append((link, chain))

    # -- feeds ----------------------------------------------------------------------------------------

    def _read_feed(self, url: str) -> None:
        result = self._fetch(url, self.source.max_feed_bytes)
        self.stats.feeds += 1
        if result.outcome != "fetched":
            self.stats.failed("feed", url, result.error)
            return
        try:
            for link, day in iter_feed_entries(result.body, result.final_url or url, self.source.max_feed_bytes):
                if self.exhausted:
                    break
                link = self._canonical(link)
                if self.source.is_article_url(link):
                    self._offer_dated(link, day)
        except Exception as exc:  # ValueError for a non-feed or one too big; what was read is kept
            self.stats.failed("feed", url, str(exc))
            return
        self.stats.succeeded(url)

    # -- sitemaps -------------------------------------------------------------------------------------

    def _read_sitemaps(self) -> None:
        queue = deque(self.source.sitemaps)
        done: set[str] = set()
        while queue and len(done) < MAX_SITEMAP_FILES and not self.exhausted:
            url = queue.popleft()
            if url in done:
                continue
            done.add(url)
            result = self._fetch(url, self.source.max_feed_bytes)
            self.stats.sitemaps += 1
            if result.outcome != "fetched":
                self.stats.failed("sitemap", url, result.error)
                continue
            try:
                for kind, loc, day in iter_sitemap_entries(result.body, result.final_url or url,
                                                           self.source.max_feed_bytes):
                    if self.exhausted:
                        break
                    if kind == "sitemapindex":
                        # The protocol keeps a sitemap on its own site; elsewhere is not ours to crawl.
                        # A child sitemap last modified before the window holds nothing newer.
                        if len(queue) < MAX_SITEMAP_FILES and same_site(loc, self._site_domains) \
                                and (self.window is None or day is None or day >= self.window.start):
                            queue.append(loc)
                    elif self.source.is_article_url(loc := self._canonical(loc)):
                        self._offer_dated(loc, day)
            except Exception as exc:  # ValueError for a non-sitemap or one too big; what was read is kept
                self.stats.failed("sitemap", url, str(exc))
                continue
            self.stats.succeeded(url)
        if queue and not self.exhausted:
            log.warning("discovery: stopped after %d sitemap files, %d left", len(done), len(queue))


def _base_href(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    return (absolute_url(url, base["href"]) or url) if base else url


def decompressed_chunks(body: bytes, limit: int) -> Iterator[bytes]:
    """The body (gunzipped when it is a .gz file), a chunk at a time, refusing more than `limit`
    bytes in all: a gzip bomb raises ValueError after at most `limit` bytes were produced."""
    produced = 0
    read = f"{limit} bytes (max_feed_bytes); what the first {limit} held was read"
    if not body.startswith(b"\x1f\x8b"):
        for start in range(0, min(len(body), limit), XML_CHUNK_BYTES):
            yield body[start:min(start + XML_CHUNK_BYTES, limit)]
        if len(body) > limit:
            raise ValueError(f"is more than {read}")
        return
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = body
    while data:
        try:
            chunk = inflater.decompress(data, min(XML_CHUNK_BYTES, limit + 1 - produced))
        except zlib.error as exc:
            raise ValueError(f"broken gzip data: {exc}") from None
        produced += len(chunk)
        if produced > limit:
            yield chunk[:-1]
            raise ValueError(f"decompresses to more than {read}")
        if chunk:
            yield chunk
        data = inflater.unconsumed_tail
        if not data and inflater.eof and inflater.unused_data.startswith(b"\x1f\x8b"):
            data, inflater = inflater.unused_data, zlib.decompressobj(16 + zlib.MAX_WBITS)  # another member


def gunzip_capped(body: bytes, limit: int) -> bytes:
    """A gzipped body (sitemap.xml.gz served as a file) decompressed, refusing gzip bombs."""
    return b"".join(decompressed_chunks(body, limit))


def _xml_records(body: bytes, what: str, limit: int, record_tags: frozenset[str],
                 roots: frozenset[str] | None = None):
    """(root local name, element) for each complete record element, parsed while the body decompresses;
    each element is freed once handed over, so memory does not grow with the file."""
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True, recover=True,
                                 huge_tree=False)
    root_name = None
    leading = True
    for chunk in decompressed_chunks(body, limit):
        if leading:
            chunk = chunk.lstrip()
            leading = not chunk
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"not a readable {what}: {exc}") from None
        for event, element in parser.read_events():
            if event == "start":
                if root_name is None:
                    root_name = _local(element.tag)
                    if roots is not None and root_name not in roots:
                        raise ValueError(f"not a {what}: root element <{root_name}>")
                continue
            if _local(element.tag) in record_tags:
                yield root_name, element
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    try:
        parser.close()
    except etree.XMLSyntaxError:
        pass  # a truncated tail: the complete records were handed over already
    if root_name is None:
        raise ValueError(f"not a readable {what}: empty or not XML")


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def iter_sitemap_entries(body: bytes, base_url: str, limit: int) -> Iterator[tuple[str, str, dt.date | None]]:
    """('sitemapindex' | 'urlset', absolute <loc> URL, <lastmod> date or None), in document order."""
    for kind, entry in _xml_records(body, "sitemap", limit, frozenset({"url", "sitemap"}),
                                    frozenset({"sitemapindex", "urlset"})):
        fields = {_local(child.tag): (child.text or "").strip() for child in entry}
        url = absolute_url(base_url, fields["loc"]) if fields.get("loc") else None
        if url:
            yield kind, url, _date(fields.get("lastmod"))


def sitemap_entries(body: bytes, base_url: str, limit: int = DEFAULT_MAX_FEED_BYTES
                    ) -> tuple[str, list[tuple[str, dt.date | None]]]:
    """('sitemapindex' | 'urlset', [(absolute <loc> URL, <lastmod> date or None)] in document order)."""
    entries, kind = [], "urlset"
    for kind, url, day in iter_sitemap_entries(body, base_url, limit):
        entries.append((url, day))
    return kind, entries


def iter_feed_entries(body: bytes, base_url: str, limit: int) -> Iterator[tuple[str, dt.date | None]]:
    """(item link, its date or None) of an RSS 1.0/2.0 or Atom feed, absolute, in document order."""
    for _, item in _xml_records(body, "feed", limit, frozenset({"item", "entry"})):
        name = _local(item.tag)
        link = None
        day = None
        for child in item:
            child_name = _local(child.tag)
            if child_name == "link":
                href = child.get("href")
                if href is not None:  # Atom: the alternate link (rel omitted means alternate)
                    if child.get("rel", "alternate") == "alternate" and link is None:
                        link = href
                elif child.text and child.text.strip():
                    link = child.text
            elif child_name == "guid" and child.get("isPermaLink", "true") == "true" and link is None and child.text:
                link = child.text
            elif child_name in _FEED_DATE_ELEMENTS and day is None:
                day = _date(child.text)
        if link is None and name == "item":
            link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")  # RSS 1.0
        url = absolute_url(base_url, link) if link else None
        if url:
            yield url, day


def feed_entries(body: bytes, base_url: str, limit: int = DEFAULT_MAX_FEED_BYTES) -> list[tuple[str, dt.date | None]]:
    return list(iter_feed_entries(body, base_url, limit))


# RSS pubDate, Atom published/updated, RSS 1.0 dc:date: the first one an item has.
_FEED_DATE_ELEMENTS = frozenset({"pubdate", "published", "updated", "date"})


def _date(text: str | None) -> dt.date | None:
    """A sitemap W3C datetime or a feed's RFC 822 / ISO 8601 date, as a date; None when unreadable."""
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
