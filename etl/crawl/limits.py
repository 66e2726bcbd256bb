"""Every size and time limit of the crawler, in one place, with its default.

A limit is a setting, not a constant buried where it is used: a source may set the per-run ones in the
sources file (`max_urls_per_run`, `max_feed_bytes`); the rest are the crawler's arguments.
"""

from __future__ import annotations

# Per-source settings (the sources file may set them); their defaults are declared with the file's keys.
from etl.sources import DEFAULT_MAX_FEED_BYTES, DEFAULT_MAX_URLS_PER_RUN  # noqa: F401 - re-exported

MiB = 1024 * 1024

DEFAULT_MAX_BYTES = 5 * MiB            # one article page, decoded (every Content-Encoding layer)
ROBOTS_PARSE_BYTES = 500 * 1024        # RFC 9309 2.5: parse at least the first 500 KiB; we parse exactly that
XML_CHUNK_BYTES = 256 * 1024           # a sitemap or feed is decompressed and parsed this much at a time
MAX_SITEMAP_FILES = 200                # sitemap files one run reads (an index names the rest)
DEFAULT_TIMEOUT = 20.0                 # seconds per socket operation (connect, each read)
DEFAULT_REQUEST_DEADLINE = 120.0       # seconds for a whole request: connect, headers and body

