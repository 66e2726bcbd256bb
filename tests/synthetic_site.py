"""A site of any size made of real pages: N articles under distinct URLs, on 127.0.0.1.

Article i is template i mod len(templates), served at /news/{i}.html with its canonical URL (and
og:url) rewritten to that address, so every copy is an article of its own; listing pages
/list/{p}.html link `per_listing` articles each and the next page (rel=next). Every request is logged
(arrival time, path): tests and benchmarks read the per-host rate the server saw from it.

Used by the Celery smoke test (the sample site's pages) and the scale benchmark (the kremlin slice).
"""

from __future__ import annotations

import http.server
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

ARTICLE_PATTERN = r"/news/\d+\.html$"
_CANONICAL = re.compile(rb"""(<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["'])[^"']*(["'])""", re.I)
_CANONICAL_HREF_FIRST = re.compile(rb"""(<link\b[^>]*\bhref=["'])[^"']*(["'][^>]*\brel=["']?canonical)""", re.I)
_OG_URL = re.compile(rb"""(<meta\b[^>]*\bproperty=["']og:url["'][^>]*\bcontent=["'])[^"']*(["'])""", re.I)


@dataclass
class MirrorSite:
    templates: Sequence[bytes]
    count: int
    per_listing: int = 100
    requests: list[tuple[float, str]] = field(default_factory=list)
    base_url: str = ""

    @property
    def article_paths(self) -> list[str]:
        return [f"/news/{i}.html" for i in range(self.count)]

    @property
    def listing_pages(self) -> int:
        return max(1, -(-self.count // self.per_listing))

    def start_url(self) -> str:
        return f"{self.base_url}/list/1.html"

    def article(self, i: int) -> bytes:
        url = f"{self.base_url}/news/{i}.html".encode()
        body = self.templates[i % len(self.templates)]
        body = _CANONICAL.sub(lambda m: m.group(1) + url + m.group(2), body)
        body = _CANONICAL_HREF_FIRST.sub(lambda m: m.group(1) + url + m.group(2), body)
        return _OG_URL.sub(lambda m: m.group(1) + url + m.group(2), body)

    def listing(self, page: int) -> bytes:
        first = (page - 1) * self.per_listing
        links = "".join(f'<li><a href="/news/{i}.html">Article {i}</a></li>\n'
                        for i in range(first, min(first + self.per_listing, self.count)))
        after = f'<a rel="next" href="/list/{page + 1}.html">Next</a>' if page < self.listing_pages else ""
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>News, page {page}</title>"
                f"</head><body><main><h1>News</h1><ul class=\"news-list\">\n{links}</ul>{after}</main></body></html>"
                ).encode()

    def response(self, path: str) -> tuple[int, bytes]:
        match = re.fullmatch(r"/news/(\d+)\.html", path)
        if match and int(match.group(1)) < self.count:
            return 200, self.article(int(match.group(1)))
        match = re.fullmatch(r"/list/(\d+)\.html", path)
        if match and 1 <= int(match.group(1)) <= self.listing_pages:
            return 200, self.listing(int(match.group(1)))
        return 404, b"not found"

    def max_requests_per_window(self, seconds: float = 1.0) -> int:
        """The most requests that arrived within any `seconds` (robots.txt included)."""
        times = sorted(t for t, _ in self.requests)
        best, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= seconds:
                start += 1
            best = max(best, end - start + 1)
        return best

    @contextmanager
    def serve(self) -> Iterator[MirrorSite]:
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self):  # noqa: N802
                path = self.path.split("?", 1)[0]
                site.requests.append((time.monotonic(), path))
                status, body = site.response(path)
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # noqa: A002
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                import sys

                if not isinstance(sys.exc_info()[1], ConnectionError):
                    super().handle_error(request, client_address)

        server = Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


def sources_yaml(name: str, site: MirrorSite, requests_per_second: float, schedule: str = "@daily") -> str:
    return (
        "sources:\n"
        f"  - name: {name}\n"
        "    language: en\n"
        f"    start_urls: ['{site.start_url()}']\n"
        f"    article_url_pattern: '{ARTICLE_PATTERN}'\n"
        "    next_page: 'a[rel=next]'\n"
        f"    max_listing_pages: {site.listing_pages + 1}\n"
        f"    requests_per_second: {requests_per_second}\n"
        f"    schedule: '{schedule}'\n"
        "    allow_private_hosts: true\n"
    )
