"""Crawling: discover a source's article URLs and fetch them politely, safely and incrementally.

Modules: `transport` (the only one speaking HTTP: connection pool, private-address guard, the
request's wall-clock deadline, bodies read within a size limit at every Content-Encoding layer); the
policies over it, each small: `retry`, `redirect`, `robots`, `ratelimit`, `limits` (every size and
time limit); `discovery` (listings, feeds, sitemaps), `fetch` (one URL through the policies),
`crawler` (the `Crawler` tying them together). `client` re-exports the transport's old names.
"""

from etl.crawl.crawler import Crawler
from etl.crawl.discovery import DateWindow
from etl.crawl.fetch import HTML_TYPES, OUTCOMES, FetchResult

__all__ = ["Crawler", "DateWindow", "FetchResult", "HTML_TYPES", "OUTCOMES"]
