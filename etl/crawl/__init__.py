"""Crawling: discover a source's article URLs and fetch them politely, safely and incrementally.

Modules: `client` (HTTP client, private-address guard, User-Agent), `robots` (robots.txt cache),
`ratelimit` (per-host rate limit), `discovery` (listings, feeds, sitemaps), `fetch` (one URL with
retries, redirects, size and type limits), `crawler` (the `Crawler` tying them together).
"""

from etl.crawl.crawler import Crawler
from etl.crawl.discovery import DateWindow
from etl.crawl.fetch import HTML_TYPES, OUTCOMES, FetchResult

__all__ = ["Crawler", "DateWindow", "FetchResult", "HTML_TYPES", "OUTCOMES"]
