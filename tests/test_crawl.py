"""The crawler against real HTTP servers on 127.0.0.1 that the tests script (no mocks)."""

from __future__ import annotations

import datetime as dt
import gzip
import http.server
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest

from etl.crawl import Crawler, DateWindow
from etl.crawl.client import non_public_reason
from etl.crawl.fetch import DEFAULT_MAX_BYTES, parse_retry_after
from etl.progress import Progress
from etl.sources import Source

ARTICLE = r"/articles/\d+\.html$"


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0
    chunked: bool = False


class Site:
    """A scripted web site: each path serves its replies in turn (the last one repeats)."""

    def __init__(self):
        self.routes: dict[str, list] = {}
        self.hits: Counter[str] = Counter()
        self.request_headers: dict[str, list[dict]] = {}
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self):  # noqa: N802 - http.server's naming
                path = self.path
                site.hits[path] += 1
                site.request_headers.setdefault(path, []).append(dict(self.headers))
                replies = site.routes.get(path)
                if replies is None:
                    reply = Reply(404, b"not found")
                else:
                    reply = replies[min(site.hits[path], len(replies)) - 1]
                    if callable(reply):
                        reply = reply(self)
                time.sleep(reply.delay)
                body = reply.body.encode() if isinstance(reply.body, str) else reply.body
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.chunked:
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        for start in range(0, len(body), 65536):
                            piece = body[start:start + 65536]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler hung up on purpose (size limit, timeout)

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def serve(self, path: str, *replies) -> str:
        self.routes[path] = list(replies)
        return self.url(path)

    def page(self, path: str, html: str, **headers) -> str:
        return self.serve(path, Reply(200, html, {"Content-Type": "text/html; charset=utf-8", **headers}))

    def url(self, path: str) -> str:
        return self.base + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def make_source(site: Site, **overrides) -> Source:
    values = dict(name="test", start_urls=(site.url("/news/"),), article_url_pattern=ARTICLE,
                  allow_private_hosts=True, requests_per_second=1000.0)
    values.update(overrides)
    return Source(**values)


def crawler_for(site: Site, **kwargs) -> Crawler:
    source = kwargs.pop("source", None) or make_source(site)
    kwargs.setdefault("backoff_base", 0.01)
    return Crawler(source, **kwargs)


def listing(*hrefs: str, next_href: str | None = None) -> str:
    links = "".join(f'<li><a href="{h}">{h}</a></li>' for h in hrefs)
    nxt = f'<a rel="next" href="{next_href}">Older</a>' if next_href else ""
    return f"<html><body><nav><a href='/about.html'>About</a></nav><ul>{links}</ul>{nxt}</body></html>"


# -- discovery ---------------------------------------------------------------------------------------

def test_listing_pagination_follows_next_and_stops_at_known_articles(site):
    site.page("/news/", listing("/articles/1.html", "../articles/2.html#comments", "/articles/2.html",
                                next_href="/news/page/2"))
    site.page("/news/page/2", listing("/articles/3.html", "/articles/4.html", next_href="/news/page/3"))
    site.page("/news/page/3", listing("/articles/5.html", next_href="/news/page/4"))
    site.page("/news/page/4", listing("/articles/6.html"))

    with crawler_for(site, source=make_source(site, max_listing_pages=3)) as crawler:
        urls = crawler.discover()
    assert urls == [site.url(f"/articles/{n}.html") for n in (1, 2, 3, 4, 5)]  # page 4 is past the limit
    assert site.hits["/news/page/4"] == 0
    assert crawler.stats["discovery_listing_pages"] == 3

    # Next run: page 2 holds only known articles, so paging stops there and page 3 is not asked for.
    site.hits.clear()
    site.page("/news/", listing("/articles/7.html", "/articles/1.html", next_href="/news/page/2"))
    known = {site.url(f"/articles/{n}.html") for n in range(1, 7)}
    with crawler_for(site) as crawler:
        assert crawler.discover(is_known=known.__contains__) == [site.url("/articles/7.html")]
    assert site.hits["/news/page/2"] == 1 and site.hits["/news/page/3"] == 0
    # --refresh: the caller says nothing is known, every article comes back.
    with crawler_for(site, source=make_source(site, max_listing_pages=2)) as crawler:
        assert crawler.discover(is_known=lambda url: False) == [site.url(f"/articles/{n}.html") for n in (7, 1, 3, 4)]


def test_listing_url_pattern_and_failed_listing_page_is_counted_not_raised(site):
    site.page("/news/", listing("/articles/1.html", "/news/archive/a", "/news/archive/b"))
    site.page("/news/archive/a", listing("/articles/2.html"))
    site.serve("/news/archive/b", Reply(500, "boom"))
    source = make_source(site, listing_url_pattern=r"/news/archive/\w+$")
    with crawler_for(site, source=source, max_retries=1) as crawler:
        urls = crawler.discover()
    assert urls == [site.url("/articles/1.html"), site.url("/articles/2.html")]
    assert crawler.stats["discovery_errors"] == 1
    assert "HTTP 500" in crawler.stats["discovery_error_samples"][0]
    assert site.hits["/news/archive/b"] == 2  # retried once, then given up


def test_rss_and_atom_feeds(site):
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>a</title><link>{site.url('/articles/10.html')}</link></item>
      <item><title>b</title><guid isPermaLink="true">{site.url('/articles/11.html')}</guid></item>
      <item><title>not an article</title><link>{site.url('/events/1')}</link></item>
    </channel></rss>"""
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>c</title><link rel="enclosure" href="/files/x.pdf"/><link href="/articles/12.html"/></entry>
      <entry><title>d</title><link rel="alternate" href="/articles/10.html"/></entry>
    </feed>"""
    site.serve("/feed.rss", Reply(200, rss, {"Content-Type": "application/rss+xml"}))
    site.serve("/feed.atom", Reply(200, atom, {"Content-Type": "application/atom+xml"}))
    source = make_source(site, start_urls=(), feeds=(site.url("/feed.rss"), site.url("/feed.atom")))
    with crawler_for(site, source=source) as crawler:
        urls = crawler.discover()
    assert urls == [site.url(f"/articles/{n}.html") for n in (10, 11, 12)]


def test_sitemap_index_with_gzipped_sitemap(site):
    index = f"""<?xml version="1.0" encoding="UTF-8"?>
      <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>{site.url('/sitemap-1.xml.gz')}</loc></sitemap>
        <sitemap><loc>{site.url('/sitemap-2.xml')}</loc></sitemap>
        <sitemap><loc>http://elsewhere.example/sitemap.xml</loc></sitemap>
      </sitemapindex>"""

    def urlset(*paths):
        locs = "".join(f"<url><loc>{site.url(p)}</loc><lastmod>2024-01-01</lastmod></url>" for p in paths)
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'

    site.serve("/sitemap.xml", Reply(200, index, {"Content-Type": "application/xml"}))
    site.serve("/sitemap-1.xml.gz", Reply(200, gzip.compress(urlset("/articles/1.html", "/about").encode()),
                                          {"Content-Type": "application/x-gzip"}))
    site.serve("/sitemap-2.xml", Reply(200, gzip.compress(urlset("/articles/2.html", "/articles/1.html").encode()),
                                       {"Content-Type": "application/xml", "Content-Encoding": "gzip"}))
    source = make_source(site, start_urls=(), sitemaps=(site.url("/sitemap.xml"),))
    with crawler_for(site, source=source) as crawler:
        urls = crawler.discover()
    assert urls == [site.url("/articles/1.html"), site.url("/articles/2.html")]
    assert crawler.stats["discovery_sitemaps"] == 3 and crawler.stats["discovery_read"] == 3
    assert crawler.stats["discovery_errors"] == 0


def test_a_backfill_window_bounds_dated_feed_and_sitemap_entries_and_walks_listings_past_known(site):
    site.page("/news/", listing("/articles/1.html", next_href="/news/page/2"))
    site.page("/news/page/2", listing("/articles/2.html"))
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><link>{site.url('/articles/20.html')}</link><pubDate>Tue, 14 Mar 2023 09:00:00 +0300</pubDate></item>
      <item><link>{site.url('/articles/21.html')}</link><pubDate>Mon, 01 Jan 2024 09:00:00 +0000</pubDate></item>
      <item><link>{site.url('/articles/22.html')}</link></item>
    </channel></rss>"""
    index = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>{site.url('/sitemap-2022.xml')}</loc><lastmod>2022-12-31</lastmod></sitemap>
      <sitemap><loc>{site.url('/sitemap-2023.xml')}</loc><lastmod>2023-12-31T23:00:00+00:00</lastmod></sitemap>
    </sitemapindex>"""
    urlset = f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>{site.url('/articles/30.html')}</loc><lastmod>2023-03-15</lastmod></url>
      <url><loc>{site.url('/articles/31.html')}</loc><lastmod>2023-04-01</lastmod></url>
    </urlset>"""
    site.serve("/feed.rss", Reply(200, rss, {"Content-Type": "application/rss+xml"}))
    site.serve("/sitemap.xml", Reply(200, index, {"Content-Type": "application/xml"}))
    site.serve("/sitemap-2023.xml", Reply(200, urlset, {"Content-Type": "application/xml"}))
    source = make_source(site, feeds=(site.url("/feed.rss"),), sitemaps=(site.url("/sitemap.xml"),))
    known = {site.url("/articles/1.html")}

    with crawler_for(site, source=source) as crawler:
        urls = crawler.discover(is_known=known.__contains__, window=DateWindow(dt.date(2023, 3, 1), dt.date(2023, 4, 1)))
    # Undated entries are kept; dated ones outside March 2023 are not; the 2022 sitemap is not even read;
    # a listing page of known articles does not stop a backfill.
    assert urls == [site.url(f"/articles/{n}.html") for n in (2, 20, 22, 30)]
    assert site.hits["/sitemap-2022.xml"] == 0
    assert crawler.stats["discovery_out_of_window"] == 2

    with crawler_for(site, source=source) as crawler:  # a scheduled run: no window, usual stop rule
        assert crawler.discover(is_known=known.__contains__) == [site.url(f"/articles/{n}.html") for n in (20, 21, 22, 30, 31)]


def test_url_normalisation_makes_one_spelling_per_page():
    from etl.crawl.urls import absolute_url, registered_domain

    base = "HTTP://Example.ORG:80/ru/news/"
    assert absolute_url(base, "статья-1?тема=мир#comments") == absolute_url(
        base, "/ru/news/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F-1?%D1%82%D0%B5%D0%BC%D0%B0=%D0%BC%D0%B8%D1%80")
    assert absolute_url(base, "../a b.html") == "http://example.org/ru/a%20b.html"
    assert absolute_url(base, "https://user:pw@example.org:443/x") == "https://example.org/x"
    assert absolute_url(base, "mailto:info@example.org") is None and absolute_url(base, "#top") is None
    assert absolute_url(base, "http://кремль.рф/") == "http://" + "кремль.рф".encode("idna").decode() + "/"
    assert registered_domain("www.bisr.gov.by") == "bisr.gov.by" and registered_domain("en.kremlin.ru") == "kremlin.ru"
    assert registered_domain("127.0.0.1") == "127.0.0.1"


# -- fetching ----------------------------------------------------------------------------------------

def test_robots_txt_disallow_is_recorded_not_fetched_and_read_once(site):
    site.serve("/robots.txt", Reply(200, "User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    site.page("/private/articles/1.html", "<p>secret</p>")
    site.page("/articles/1.html", "<p>public</p>")
    with crawler_for(site) as crawler:
        blocked = crawler.fetch(site.url("/private/articles/1.html"))
        allowed = crawler.fetch(site.url("/articles/1.html"))
    assert blocked.outcome == "skipped_robots" and "robots.txt" in blocked.error and blocked.body is None
    assert site.hits["/private/articles/1.html"] == 0
    assert allowed.outcome == "fetched" and allowed.body == b"<p>public</p>"
    assert site.hits["/robots.txt"] == 1
    ua = site.request_headers["/articles/1.html"][0]["User-Agent"]
    assert ua.startswith("thinktank-etl/") and "+http" in ua


def test_robots_crawl_delay_slows_the_host_down(site):
    site.serve("/robots.txt", Reply(200, "User-agent: *\nCrawl-delay: 3\n", {"Content-Type": "text/plain"}))
    site.page("/articles/1.html", "<p>one</p>")
    site.page("/articles/2.html", "<p>two</p>")
    slept = []
    with crawler_for(site, sleep=slept.append) as crawler:  # the waits are recorded, not slept
        assert crawler.fetch(site.url("/articles/1.html")).outcome == "fetched"
        assert crawler.fetch(site.url("/articles/2.html")).outcome == "fetched"
    assert len([s for s in slept if s > 2.5]) == 2  # before each article: robots.txt, article 1


def test_unreachable_robots_txt_means_disallowed(site):
    site.serve("/robots.txt", Reply(503, "maintenance"))
    site.page("/articles/1.html", "<p>public</p>")
    with crawler_for(site, max_retries=1) as crawler:
        result = crawler.fetch(site.url("/articles/1.html"))
    assert result.outcome == "skipped_robots" and "unreachable" in result.error
    assert site.hits["/articles/1.html"] == 0 and site.hits["/robots.txt"] == 2

    # A run keeps a definite robots.txt for its later stages, never an unreachable one: the next
    # stage (or a retry) asks again and, the site being back, fetches.
    class RunMemo(dict):
        def get(self, key):
            return super().get(key)

        def put(self, key, status, text):
            self[key] = (status, text)

    memo = RunMemo()
    with crawler_for(site, max_retries=1, robots_memo=memo) as crawler:
        assert crawler.fetch(site.url("/articles/1.html")).outcome == "skipped_robots"
    assert memo == {}
    site.serve("/robots.txt", Reply(200, "User-agent: *\nDisallow: /private/\n"))
    for _ in range(2):  # a second crawler of the same run reads the kept file, not the site
        with crawler_for(site, robots_memo=memo) as crawler:
            assert crawler.fetch(site.url("/articles/1.html")).outcome == "fetched"
    assert site.hits["/robots.txt"] == 2 + 2 + 1 and list(memo.values())[0][0] == 200


def test_429_with_retry_after_then_success(site):
    site.serve("/articles/1.html", Reply(429, "slow down", {"Retry-After": "2"}), Reply(200, "<p>ok</p>"))
    site.serve("/articles/2.html", Reply(429, "go away", {"Retry-After": "7200"}))
    slept = []
    with crawler_for(site, sleep=slept.append) as crawler:
        result = crawler.fetch(site.url("/articles/1.html"))
        assert result.outcome == "fetched" and result.status == 200 and result.attempts == 2
        assert max(slept) >= 2.0  # waited what the server asked for (recorded, not slept, in this test)
        slept.clear()
        refused = crawler.fetch(site.url("/articles/2.html"))
    assert refused.outcome == "failed" and refused.status == 429 and refused.attempts == 1
    assert "Retry-After 7200s" in refused.error and max(slept, default=0) < 1
    assert parse_retry_after("5") == 5.0 and parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_500_then_success_and_a_page_that_keeps_failing(site):
    site.serve("/articles/1.html", Reply(500, "oops"), Reply(200, "<p>ok</p>"))
    site.serve("/articles/2.html", Reply(503, "down"))
    with crawler_for(site, max_retries=2) as crawler:
        ok = crawler.fetch(site.url("/articles/1.html"))
        down = crawler.fetch(site.url("/articles/2.html"))
    assert ok.outcome == "fetched" and ok.attempts == 2 and ok.body == b"<p>ok</p>"
    assert down.outcome == "failed" and down.status == 503 and down.attempts == 3
    assert "HTTP 503" in down.error and "gave up after 3 attempts" in down.error


def test_connection_refused_is_retried_then_recorded():
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = Source(name="t", start_urls=(f"http://127.0.0.1:{port}/news/",), article_url_pattern=ARTICLE,
                    allow_private_hosts=True, requests_per_second=1000.0)
    with Crawler(source, backoff_base=0.01, max_retries=2) as crawler:
        result = crawler.fetch(f"http://127.0.0.1:{port}/articles/1.html")
        assert crawler.discover() == []
        assert crawler.stats["discovery_errors"] == 1 and crawler.stats["discovery_read"] == 0  # site down
    # robots.txt could not be fetched either: by RFC 9309 the site counts as disallowed, no article request
    assert result.outcome == "skipped_robots" and "ConnectError" in result.error


def test_timeout_is_retried_then_recorded(site):
    site.serve("/articles/1.html", Reply(200, "<p>late</p>", delay=1.5))
    with crawler_for(site, timeout=0.3, max_retries=1) as crawler:
        result = crawler.fetch(site.url("/articles/1.html"))
    assert result.outcome == "failed" and result.attempts == 2
    assert "timeout" in result.error and result.body is None


def test_redirects_same_site_followed_loop_and_off_site_recorded(site):
    site.serve("/old/1", Reply(301, "", {"Location": "/articles/1.html"}))
    site.page("/articles/1.html", "<p>moved</p>")
    site.serve("/loop/a", Reply(302, "", {"Location": "/loop/b"}))
    site.serve("/loop/b", Reply(302, "", {"Location": site.url("/loop/a")}))
    # Same server, other host name: off the source's registered domain, so not followed.
    site.serve("/away", Reply(302, "", {"Location": f"http://localhost:{site.port}/articles/1.html"}))
    with crawler_for(site) as crawler:
        moved = crawler.fetch(site.url("/old/1"))
        loop = crawler.fetch(site.url("/loop/a"))
        away = crawler.fetch(site.url("/away"))
    assert moved.outcome == "fetched" and moved.final_url == site.url("/articles/1.html")
    assert loop.outcome == "skipped_redirect" and "loop" in loop.error and loop.status == 302
    assert site.hits["/loop/a"] == 1 and site.hits["/loop/b"] == 1
    assert away.outcome == "skipped_redirect" and "localhost" in away.error
    assert site.hits["/articles/1.html"] == 1  # only through the allowed redirect


def test_oversized_page_is_cut_off(site):
    big = b"<p>" + b"x" * (DEFAULT_MAX_BYTES + 10) + b"</p>"
    site.serve("/articles/1.html", Reply(200, big))  # declares its length
    site.serve("/articles/2.html", Reply(200, big, chunked=True))  # does not: cut off while streaming
    with crawler_for(site) as crawler:
        declared = crawler.fetch(site.url("/articles/1.html"))
        streamed = crawler.fetch(site.url("/articles/2.html"))
    for result in (declared, streamed):
        assert result.outcome == "skipped_size" and result.body is None and "limit" in result.error
    assert crawler.stats["bytes"] == 0


def test_pdf_is_recorded_with_its_type_not_parsed(site):
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
    site.serve("/articles/1.html", Reply(200, pdf, {"Content-Type": "application/pdf"}))
    site.serve("/articles/2.html", Reply(200, pdf, {}))  # no Content-Type: sniffed
    with crawler_for(site) as crawler:
        typed = crawler.fetch(site.url("/articles/1.html"))
        sniffed = crawler.fetch(site.url("/articles/2.html"))
    assert typed.outcome == "skipped_type" and typed.content_type == "application/pdf" and typed.body is None
    assert sniffed.outcome == "skipped_type" and sniffed.content_type == "application/pdf"


def test_windows_1251_page_keeps_its_bytes_and_declared_charset(site):
    html = "<html><head><title>Новости</title></head><body><p>Беларусь и Россия</p></body></html>"
    site.serve("/articles/1.html", Reply(200, html.encode("cp1251"), {"Content-Type": "text/html; charset=windows-1251"}))
    site.serve("/articles/2.html", Reply(200, gzip.compress(html.encode("cp1251")),
                                         {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    with crawler_for(site) as crawler:
        declared = crawler.fetch(site.url("/articles/1.html"))
        undeclared = crawler.fetch(site.url("/articles/2.html"))
    assert declared.outcome == "fetched" and declared.charset == "windows-1251"
    assert declared.body.decode(declared.charset) == html
    assert undeclared.charset is None and undeclared.body == html.encode("cp1251")  # gzip undone, bytes kept


def test_conditional_get_gives_not_modified(site):
    def conditional(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304, b"", {"ETag": '"v1"'})
        return Reply(200, "<p>v1</p>", {"Content-Type": "text/html", "ETag": '"v1"',
                                        "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

    site.serve("/articles/1.html", conditional, conditional)
    with crawler_for(site) as crawler:
        first = crawler.fetch(site.url("/articles/1.html"))
        second = crawler.fetch(site.url("/articles/1.html"), etag=first.etag, last_modified=first.last_modified)
    assert first.outcome == "fetched" and first.etag == '"v1"'
    assert first.last_modified == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert second.outcome == "not_modified" and second.status == 304 and second.body is None
    sent = site.request_headers["/articles/1.html"][1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == first.last_modified


def test_private_addresses_and_other_schemes_are_refused(site):
    site.page("/articles/1.html", "<p>internal</p>")
    with Crawler(make_source(site, allow_private_hosts=False)) as crawler:
        loopback = crawler.fetch(site.url("/articles/1.html"))
        named = crawler.fetch(f"http://localhost:{site.port}/articles/1.html")
        ftp = crawler.fetch("ftp://example.org/articles/1.html")
        assert crawler.discover() == []
    assert loopback.outcome == "refused_url" and "loopback" in loopback.error
    assert named.outcome == "refused_url"
    assert ftp.outcome == "refused_url"
    assert site.hits["/articles/1.html"] == 0 and site.hits["/robots.txt"] == 0
    # The same rule applies to every address a name resolves to, and again on each redirect hop.
    for address in ("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "::ffff:127.0.0.1",
                    "fe80::1", "100.64.0.1", "0.0.0.0"):
        assert non_public_reason(address), address
    assert non_public_reason("93.184.216.34") is None and non_public_reason("2a00:1450:4001:80b::200e") is None


def test_progress_summary_and_log_lines(caplog):
    import io
    import logging

    ticks = iter(range(100))
    progress = Progress(total=4, label="fetch test", discovered=5, stream=io.StringIO(), log_every=2,
                        clock=lambda: next(ticks))
    with caplog.at_level(logging.INFO, logger="etl.progress"):
        for outcome in ("fetched", "not_modified", "skipped_robots", "failed"):
            progress.advance(outcome)
        summary = progress.finish()
    assert summary["discovered"] == 5 and summary["fetched"] == 1 and summary["unchanged"] == 1
    assert summary["skipped"] == 1 and summary["skipped_robots"] == 1 and summary["failed"] == 1
    lines = [r.getMessage() for r in caplog.records]
    assert any("4/4 pages" in line and "1 errors so far" in line for line in lines)
    assert lines[-1].startswith("fetch test done: discovered 5, fetched 1")

    terminal = io.StringIO()
    bar = Progress(total=2, stream=terminal, tty=True)
    bar.advance("fetched")
    assert "[##############--------------] fetch: 1/2 pages" in terminal.getvalue()


# -- incremental runs through the pipeline ------------------------------------------------------------

def article_html(n: int) -> str:
    return (f"<html lang='en'><head><title>Report {n}</title></head><body><article><h1>Report number {n}</h1>"
            f"<p>The institute held round table number {n} in Minsk on regional security and trade.</p>"
            f"<p>Experts from Belarus and Kazakhstan discussed cooperation for the coming years.</p>"
            f"</article></body></html>")


RUSSIAN_1251 = ("<html><head><title>Новости</title></head><body><article><h1>Круглый стол в Минске</h1>"
                "<p>Эксперты из Беларуси и Казахстана обсудили сотрудничество в сфере безопасности.</p>"
                "<p>Участники договорились продолжить диалог.</p></article></body></html>").encode("cp1251")


def test_second_run_fetches_no_article_and_refresh_revalidates(site, database_url):
    import psycopg

    from etl.store.migrate import migrate
    from etl.pipeline import run_source

    def versioned(n):
        # Article 3 is a Russian page in windows-1251 that declares no charset anywhere.
        body, content_type = (RUSSIAN_1251, "text/html") if n == 3 else (article_html(n), "text/html; charset=utf-8")

        def reply(handler):
            if handler.headers.get("If-None-Match") == f'"a{n}"':
                return Reply(304, b"", {"ETag": f'"a{n}"'})
            return Reply(200, body, {"Content-Type": content_type, "ETag": f'"a{n}"'})
        return reply

    site.page("/news/", listing("/articles/1.html", "/articles/2.html", next_href="/news/page/2"))
    site.page("/news/page/2", listing("/articles/3.html"))
    for n in (1, 2, 3):
        site.serve(f"/articles/{n}.html", versioned(n))
    source = make_source(site)
    migrate(database_url)

    first = run_source(source, database_url)
    assert first["discovered"] == 3 and first["fetched"] == 3
    assert site.hits["/robots.txt"] == 1  # once per run: the fetch stage reuses what discover read
    with psycopg.connect(database_url) as conn:
        titles = dict(conn.execute("SELECT url, title FROM core.articles").fetchall())
    assert len(titles) == 3 and titles[site.url("/articles/3.html")] == "Круглый стол в Минске"

    site.hits.clear()
    second = run_source(source, database_url)
    assert second["discovered"] == 0 and not second.get("fetched")
    assert site.hits["/news/"] == 1 and site.hits["/news/page/2"] == 0  # first listing page only
    assert sum(site.hits[f"/articles/{n}.html"] for n in (1, 2, 3)) == 0

    site.hits.clear()
    refreshed = run_source(source, database_url, refresh=True)
    assert refreshed["discovered"] == 3 and refreshed.get("unchanged") == 3 and not refreshed.get("fetched")
    assert all(site.request_headers[f"/articles/{n}.html"][-1]["If-None-Match"] == f'"a{n}"' for n in (1, 2, 3))
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM core.articles").fetchone()[0] == 3
