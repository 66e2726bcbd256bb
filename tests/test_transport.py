"""Hostile responses on loopback (issue 12, items 5, 6 and 8): stacked encodings, trickled headers,
a huge robots.txt. Real sockets; memory is measured as a child process's peak RSS."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import threading
import time
import zlib

import pytest

from conftest import PROJECT_DIR
from etl.crawl import Crawler
from etl.crawl.limits import ROBOTS_PARSE_BYTES
from etl.crawl.transport import Transport, TransportFailure
from etl.sources import Source

MEMORY_LIMIT_KB = 600 * 1024


class RawServer:
    """A loopback TCP server: `respond(path, sock)` writes whatever bytes it likes, as slowly as it likes."""

    def __init__(self, respond):
        self.respond = respond
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.closed = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        with conn:
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    data = conn.recv(4096)
                    if not data:
                        return
                    request += data
                path = request.split(b" ", 2)[1].decode()
                self.respond(path, conn, self.closed)
            except OSError:
                pass

    def close(self):
        self.closed.set()
        self.sock.close()


@pytest.fixture
def raw_server():
    servers = []

    def start(respond) -> RawServer:
        servers.append(RawServer(respond))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def http_response(body: bytes, headers: dict[str, str] | None = None, status: str = "200 OK") -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def gzip_of_zeros(size: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [z.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + z.flush()


@pytest.fixture(scope="module")
def double_gzip_bomb() -> bytes:
    """Under 10 KB on the wire, 1 GiB once both gzip layers are undone."""
    bomb = gzip.compress(gzip_of_zeros(1024 * 1024 * 1024), 9)
    assert len(bomb) < 10_000
    return bomb


def source_for(base: str) -> Source:
    return Source(name="hostile", start_urls=(base + "/news/",), article_url_pattern=r"/a/",
                  allow_private_hosts=True, requests_per_second=1000.0)


# The child's own peak RSS: VmHWM belongs to the memory of the program the child runs, whereas
# getrusage's ru_maxrss keeps the high-water mark of the forked copy of this (large) test process.
PRINT_PEAK_RSS_KIB = (
    "print(next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:')))\n"
)


def fetch_in_child(base: str, path: str, **crawler_args) -> tuple[str, str, int]:
    """(outcome, error, peak RSS in KiB) of one fetch in a fresh process."""
    code = (
        "import sys\n"
        "from etl.crawl import Crawler\n"
        "from etl.sources import Source\n"
        f"source = Source(name='hostile', start_urls=({base!r} + '/news/',), article_url_pattern='/a/',"
        " allow_private_hosts=True, requests_per_second=1000.0)\n"
        f"with Crawler(source, max_retries=0, **{crawler_args!r}) as crawler:\n"
        f"    result = crawler.fetch({base!r} + {path!r})\n"
        "print(result.outcome)\nprint(result.error)\n"
        + PRINT_PEAK_RSS_KIB
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=300, env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)))
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) >= 3, result.stderr[-2000:]
    return lines[0], lines[1], int(lines[-1])


@pytest.mark.parametrize("headers", [{"Content-Encoding": "gzip, gzip"},
                                     {"Content-Encoding": "gzip", "Content-encoding": "gzip"}])
def test_stacked_gzip_bomb_is_cut_off_within_the_size_limit_and_bounded_memory(raw_server, double_gzip_bomb,
                                                                            headers):
    def respond(path, conn, closed):
        head = [f"HTTP/1.1 200 OK", "Content-Type: text/html", f"Content-Length: {len(double_gzip_bomb)}",
                "Connection: close"] + [f"{k}: {v}" for k, v in headers.items()]
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + double_gzip_bomb)

    server = raw_server(respond)
    outcome, error, peak_kb = fetch_in_child(server.base, "/a/bomb")
    assert outcome == "skipped_size" and "limit" in error
    assert peak_kb < MEMORY_LIMIT_KB, f"peak RSS {peak_kb} KiB"


def test_stacked_gzip_within_the_limit_is_decoded_layer_by_layer(raw_server):
    page = b"<html><body><p>" + b"stacked encodings " * 1000 + b"</p></body></html>"
    body = gzip.compress(zlib.compress(gzip.compress(page)))

    def respond(path, conn, closed):
        conn.sendall(http_response(body, {"Content-Type": "text/html", "Content-Encoding": "gzip, deflate, gzip"}))

    server = raw_server(respond)
    with Crawler(source_for(server.base), max_retries=0) as crawler:
        result = crawler.fetch(server.base + "/a/ok")
    assert result.outcome == "fetched" and result.body == page


def test_slow_headers_are_cut_off_by_the_wall_clock_deadline(raw_server):
    def respond(path, conn, closed):
        if path == "/robots.txt":
            conn.sendall(http_response(b"", status="404 Not Found"))
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while not closed.is_set():  # one header byte a second, forever
            conn.sendall(b"X")
            time.sleep(1)

    server = raw_server(respond)
    outcome = {}

    def run():
        with Crawler(source_for(server.base), max_retries=0, timeout=20, max_fetch_seconds=3) as crawler:
            outcome["result"] = crawler.fetch(server.base + "/a/slow")

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)  # the read timeout (20 s) is never reached by a byte a second: only the deadline ends it
    assert not worker.is_alive(), "the request outlived its deadline"
    result = outcome["result"]
    assert result.outcome == "failed" and "timeout" in result.error and "deadline" in result.error


def test_a_trickled_body_is_cut_off_by_the_same_deadline(raw_server):
    def respond(path, conn, closed):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        while not closed.is_set():
            conn.sendall(b"<p>")
            time.sleep(0.5)

    server = raw_server(respond)
    transport = Transport(user_agent="test", timeout=20, allow_private=True)
    started = time.monotonic()
    try:
        with pytest.raises(TransportFailure) as caught:
            with transport.open(server.base + "/a/trickle", {}, deadline_seconds=2) as response:
                response.read(1_000_000)
    finally:
        transport.close()
    assert caught.value.timeout and time.monotonic() - started < 30


def test_robots_txt_over_500_kib_is_read_up_to_the_limit_not_ignored(raw_server):
    robots = b"User-agent: *\nDisallow: /\n" + b"# padding of a generated robots.txt\n" * 20_000
    assert len(robots) > 512 * 1024 > ROBOTS_PARSE_BYTES

    def respond(path, conn, closed):
        if path == "/robots.txt":
            conn.sendall(http_response(robots, {"Content-Type": "text/plain"}))
        else:
            conn.sendall(http_response(b"<html><body>article</body></html>", {"Content-Type": "text/html"}))

    server = raw_server(respond)
    with Crawler(source_for(server.base), max_retries=0) as crawler:
        result = crawler.fetch(server.base + "/a/1")
    assert result.outcome == "skipped_robots", (result.outcome, result.error)


def test_robots_rules_past_500_kib_are_not_applied(raw_server):
    robots = b"User-agent: *\nDisallow: /private/\n" + b"# padding\n" * 60_000 + b"Disallow: /a/\n"

    def respond(path, conn, closed):
        if path == "/robots.txt":
            conn.sendall(http_response(robots, {"Content-Type": "text/plain"}))
        else:
            conn.sendall(http_response(b"<html><body>article</body></html>", {"Content-Type": "text/html"}))

    server = raw_server(respond)
    with Crawler(source_for(server.base), max_retries=0) as crawler:
        assert crawler.fetch(server.base + "/a/1").outcome == "fetched"
        assert crawler.fetch(server.base + "/private/1").outcome == "skipped_robots"


# -- sitemaps and feeds (item 7) ----------------------------------------------------------------------------

class SitemapSite:
    """A sitemap index naming `children` gzipped sitemaps of `per_child` article URLs each."""

    def __init__(self, raw_server, children: int, per_child: int):
        self.children, self.per_child, self.hits = children, per_child, []
        self._cache: dict[str, bytes] = {}
        self.server = raw_server(self.respond)
        self.base = self.server.base

    def body(self, path: str) -> bytes:
        if path not in self._cache:
            if path == "/sitemap.xml":
                locs = "".join(f"<sitemap><loc>{self.base}/sitemap-{n}.xml.gz</loc></sitemap>"
                               for n in range(self.children))
                self._cache[path] = (f"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/"
                                     f"schemas/sitemap/0.9'>{locs}</sitemapindex>").encode()
            else:
                child = path.split("-")[1].split(".")[0]
                parts = ["<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"]
                parts += [f"<url><loc>{self.base}/a/{child}/{n}</loc></url>" for n in range(self.per_child)]
                parts.append("</urlset>")
                self._cache[path] = gzip.compress("".join(parts).encode(), 6)
        return self._cache[path]

    def respond(self, path, conn, closed):
        self.hits.append(path)
        if path == "/robots.txt":
            conn.sendall(http_response(b"", status="404 Not Found"))
        elif path.startswith("/sitemap"):
            conn.sendall(http_response(self.body(path), {"Content-Type": "application/xml"}))
        else:
            conn.sendall(http_response(b"", status="404 Not Found"))


def sitemap_source(base: str, **settings) -> Source:
    return Source(name="maps", start_urls=(), sitemaps=(base + "/sitemap.xml",), article_url_pattern=r"/a/",
                  allow_private_hosts=True, requests_per_second=1000.0, **settings)


def test_a_run_takes_at_most_max_urls_per_run_from_a_huge_sitemap_index(raw_server):
    site = SitemapSite(raw_server, children=10, per_child=3000)
    with Crawler(sitemap_source(site.base, max_urls_per_run=4000), max_retries=0) as crawler:
        urls = crawler.discover()
        stats = crawler.stats
    assert len(urls) == 4000 and stats["discovery_capped"] == 1
    assert sum(p.startswith("/sitemap-") for p in site.hits) == 2  # the rest waits: not even fetched
    # A later run with the URLs known takes the next ones only if the cap allows; the setting is per source.
    with Crawler(sitemap_source(site.base, max_urls_per_run=100_000), max_retries=0) as crawler:
        assert len(crawler.discover()) == 30_000 and crawler.stats["discovery_capped"] == 0


def test_a_sitemap_over_max_feed_bytes_gives_what_it_held_before_the_limit_and_an_error(raw_server):
    site = SitemapSite(raw_server, children=1, per_child=20_000)
    with Crawler(sitemap_source(site.base, max_feed_bytes=100_000), max_retries=0) as crawler:
        urls = crawler.discover()
        failures = crawler.discovery_stats.failures
    assert 0 < len(urls) < 20_000
    assert [f.what for f in failures] == ["sitemap"] and "max_feed_bytes" in failures[0].reason


def test_a_sitemap_index_of_millions_of_urls_stays_in_bounded_memory(raw_server):
    # 40 gzipped files of 100,000 URLs: four million URLs. Measured in a child process at default
    # settings: the run stops at max_urls_per_run, parsing each file as it decompresses.
    site = SitemapSite(raw_server, children=40, per_child=100_000)
    code = (
        "import sys\n"
        "from etl.crawl import Crawler\n"
        "from etl.sources import Source\n"
        f"source = Source(name='maps', start_urls=(), sitemaps=({site.base!r} + '/sitemap.xml',),"
        " article_url_pattern='/a/', allow_private_hosts=True, requests_per_second=1000.0)\n"
        "with Crawler(source, max_retries=0) as crawler:\n"
        "    urls = crawler.discover()\n"
        "print(len(urls), crawler.stats['discovery_capped'])\n"
        + PRINT_PEAK_RSS_KIB
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=600, env=dict(os.environ, PYTHONPATH=str(PROJECT_DIR)))
    lines = result.stdout.split("\n")
    assert result.returncode == 0, result.stderr[-2000:]
    from etl.sources import DEFAULT_MAX_URLS_PER_RUN
    assert lines[0].split() == [str(DEFAULT_MAX_URLS_PER_RUN), "1"]
    assert int(lines[1]) < MEMORY_LIMIT_KB, f"peak RSS {lines[1]} KiB"
