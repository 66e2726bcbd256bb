"""Crawling: discover a source's article URLs and fetch them politely, safely and incrementally.

Modules: `transport` (the only one speaking HTTP: connection pool, private-address guard, the
request's wall-clock deadline, bodies read within a size limit at every Content-Encoding layer); the
policies over it, each small: `retry`, `redirect`, `robots`, `ratelimit`, `limits` (every size and
time limit); `discovery` (listings, feeds, sitemaps), `fetch` (one URL through the policies),
`crawler` (the `Crawler` tying them together). `client` re-exports the transport's old names.
"""

from __future__ import annotations

import importlib

# Loaded on first use (PEP 562): importing `etl.crawl.urls`, as the extractor does for canonical
# URLs, must not pull in the HTTP client and the parsers; every extract task, a process of its own
# under Airflow, paid ~0.2 s for them.
_EXPORTS = {"Crawler": "etl.crawl.crawler", "DateWindow": "etl.crawl.discovery", "FetchResult": "etl.crawl.fetch",
            "HTML_TYPES": "etl.crawl.fetch", "OUTCOMES": "etl.crawl.fetch"}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'etl.crawl' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
