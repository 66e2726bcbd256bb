"""Finding article URLs: listing pages (with paging), RSS/Atom feeds and sitemaps (index, gzip)."""

from __future__ import annotations

import logging
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from lxml import etree

from etl.crawl.fetch import FetchResult
from etl.crawl.urls import absolute_url, same_site
from etl.sources import Source

log = logging.getLogger(__name__)

MAX_SITEMAP_FILES = 200
MAX_SITEMAP_BYTES = 60 * 1024 * 1024  # the protocol allows 50 MB uncompressed per file
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass
class DiscoveryStats:
    listing_pages: int = 0
    feeds: int = 0
    sitemaps: int = 0
    read: int = 0    # listing pages, feeds and sitemaps fetched and read
    errors: int = 0  # ... and those that could not be (logged; 0 read with errors > 0: the site is down)
    error_samples: list[str] = field(default_factory=list)  # the first few, for the run's log
    found: int = 0   # article URLs seen, known or not
    new: int = 0     # of which not known

    def failed(self, what: str, url: str, reason: str | None) -> None:
        self.errors += 1
        message = f"{what} {url}: {reason}"
        if len(self.error_samples) < 20:
            self.error_samples.append(message)
        log.warning("discovery: %s", message)


class Discovery:
    """One discovery pass over a source. `fetch(url) -> FetchResult` does the HTTP (any content type)."""

    def __init__(self, source: Source, fetch: Callable[[str], FetchResult], site_domains: frozenset[str],
                 stats: DiscoveryStats | None = None):
        self.source = source
        self._fetch = fetch
        self._site_domains = site_domains
        self.stats = stats or DiscoveryStats()
        self._seen: set[str] = set()
        self._new: list[str] = []

    def run(self, is_known: Callable[[str], bool]) -> list[str]:
        self._is_known = is_known
        self._follow_listings()
        for feed in self.source.feeds:
            self._read_feed(feed)
        self._read_sitemaps()
        return list(self._new)

    def _offer(self, url: str) -> bool:
        """Record an article URL; True when it is new (not seen in this pass, not known from before)."""
        if url in self._seen:
            return False
        self._seen.add(url)
        self.stats.found += 1
        if self._is_known(url):
            return False
        self._new.append(url)
        self.stats.new += 1
        return True

    # -- listing pages ------------------------------------------------------------------------------

    def _follow_listings(self) -> None:
        """Each start URL begins a chain of listing pages, at most `max_listing_pages` long.

        A listing page that yields no new article ends its branch: listings are newest first, so
        everything behind it was seen by an earlier run.
        """
        queued: set[str] = set()
        queue: deque[tuple[str, int]] = deque()
        pages_per_chain: dict[int, int] = {}
        for chain, url in enumerate(self.source.start_urls):
            normal = absolute_url(url, url)
            if normal and normal not in queued:
                queued.add(normal)
                queue.append((normal, chain))
        while queue:
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
                self.stats.read += 1
            except Exception as exc:  # one unreadable listing page is one lost page, not a lost run
                self.stats.failed("listing page", url, f"cannot read: {type(exc).__name__}: {exc}")

    def _read_listing(self, url: str, chain: int, result: FetchResult, queue: deque, queued: set[str]) -> None:
        soup = BeautifulSoup(result.body, "lxml", from_encoding=result.charset)
        base = _base_href(soup, result.final_url or url)
        links = [link for a in soup.find_all("a", href=True) if (link := absolute_url(base, a["href"]))]
        if self.source.is_article_url(url):
            links.insert(0, url)
        new = sum(self._offer(link) for link in links if self.source.is_article_url(link))
        if not new:
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
        result = self._fetch(url)
        self.stats.feeds += 1
        if result.outcome != "fetched":
            self.stats.failed("feed", url, result.error)
            return
        try:
            links = feed_links(result.body, result.final_url or url)
        except Exception as exc:  # ValueError for a non-feed; anything else is still one lost feed
            self.stats.failed("feed", url, str(exc))
            return
        self.stats.read += 1
        for link in links:
            if self.source.is_article_url(link):
                self._offer(link)

    # -- sitemaps -------------------------------------------------------------------------------------

    def _read_sitemaps(self) -> None:
        queue = deque(self.source.sitemaps)
        done: set[str] = set()
        while queue and len(done) < MAX_SITEMAP_FILES:
            url = queue.popleft()
            if url in done:
                continue
            done.add(url)
            result = self._fetch(url)
            self.stats.sitemaps += 1
            if result.outcome != "fetched":
                self.stats.failed("sitemap", url, result.error)
                continue
            try:
                kind, locations = sitemap_entries(result.body, result.final_url or url)
            except Exception as exc:  # ValueError for a non-sitemap; anything else is still one lost file
                self.stats.failed("sitemap", url, str(exc))
                continue
            self.stats.read += 1
            if kind == "sitemapindex":
                # The protocol keeps a sitemap on its own site; elsewhere is not ours to crawl.
                queue.extend(loc for loc in locations if same_site(loc, self._site_domains))
            else:
                for loc in locations:
                    if self.source.is_article_url(loc):
                        self._offer(loc)
        if queue:
            log.warning("discovery: stopped after %d sitemap files, %d left", len(done), len(queue))


def _base_href(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    return (absolute_url(url, base["href"]) or url) if base else url


def _parse_xml(body: bytes, what: str):
    body = gunzip_capped(body, MAX_SITEMAP_BYTES)
    try:
        root = etree.fromstring(body.lstrip(), parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not a readable {what}: {exc}") from exc
    if root is None:
        raise ValueError(f"not a readable {what}: empty or not XML")
    return root


def gunzip_capped(body: bytes, limit: int) -> bytes:
    """A gzipped body (sitemap.xml.gz served as a file) decompressed, refusing gzip bombs."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise ValueError(f"broken gzip data: {exc}") from exc
    if len(data) > limit:
        raise ValueError(f"decompresses to more than {limit} bytes")
    return data


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def sitemap_entries(body: bytes, base_url: str) -> tuple[str, list[str]]:
    """('sitemapindex' | 'urlset', absolute <loc> URLs in document order)."""
    root = _parse_xml(body, "sitemap")
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise ValueError(f"not a sitemap: root element <{kind}>")
    locations = []
    for element in root.iter():
        if _local(element.tag) == "loc" and element.text:
            url = absolute_url(base_url, element.text)
            if url:
                locations.append(url)
    return kind, locations


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Item links of an RSS 1.0/2.0 or Atom feed, absolute, in document order."""
    root = _parse_xml(body, "feed")
    links = []
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        link = None
        for child in item:
            child_name = _local(child.tag)
            if child_name == "link":
                href = child.get("href")
                if href is not None:  # Atom: the alternate link (rel omitted means alternate)
                    if child.get("rel", "alternate") == "alternate" and link is None:
                        link = href
                elif child.text and child.text.strip():
                    link = child.text
                    break
            elif child_name == "guid" and child.get("isPermaLink", "true") == "true" and link is None and child.text:
                link = child.text
        if link is None and name == "item":
            link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")  # RSS 1.0
        url = absolute_url(base_url, link) if link else None
        if url:
            links.append(url)
    return links
