"""Every size and time limit of the crawler, in one place, with its default.

A limit is a setting, not a constant buried where it is used: a source may set the per-run ones in the
sources file (`max_urls_per_run`, `max_feed_bytes`); the rest are the crawler's arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024

DEFAULT_MAX_BYTES = 5 * MiB            # one article page, decoded (every Content-Encoding layer)
ROBOTS_PARSE_BYTES = 500 * 1024        # RFC 9309 2.5: parse at least the first 500 KiB; we parse exactly that
DEFAULT_MAX_FEED_BYTES = 50 * MiB      # one sitemap or feed, decompressed (the sitemap protocol's own limit)
DEFAULT_MAX_URLS_PER_RUN = 50_000      # article URLs one run reads from a source's listings, feeds and sitemaps
MAX_SITEMAP_FILES = 200                # sitemap files one run reads (an index names the rest)
DEFAULT_TIMEOUT = 20.0                 # seconds per socket operation (connect, each read)
DEFAULT_REQUEST_DEADLINE = 120.0       # seconds for a whole request: connect, headers and body


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_feed_bytes: int = DEFAULT_MAX_FEED_BYTES
    max_urls_per_run: int = DEFAULT_MAX_URLS_PER_RUN
    timeout: float = DEFAULT_TIMEOUT
    request_deadline: float = DEFAULT_REQUEST_DEADLINE

    def __post_init__(self):
        for name in ("max_bytes", "max_feed_bytes", "max_urls_per_run", "timeout", "request_deadline"):
            if getattr(self, name) <= 0:
                raise ValueError(f"limit {name} must be positive")
