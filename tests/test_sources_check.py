"""`python -m etl sources check` against a local site over real HTTP, and canonical URLs end to end:
a site linking one article under tracking parameters and host variants stores it once."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import psycopg

from conftest import PROJECT_DIR

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{canonical}
<meta property="article:published_time" content="2024-05-0{day}T10:00:00+03:00"></head>
<body><nav><a href="/about/">About</a></nav><article><h1>{title}</h1>
<p>MINSK, 1 May. The {title} gathered experts of strategic research institutes from Belarus, Russia
and Kazakhstan, who discussed regional security, economic cooperation and the outlook for Eurasia.</p>
<p>The participants agreed to meet again next year and to publish the proceedings of the meeting in
both languages, the organisers said after the closing session of the two-day programme.</p>
</article></body></html>"""


@contextlib.contextmanager
def local_site(files: dict[str, str]):
    """Serve `files` ({path: text}; {base} and {port} name the site) on 127.0.0.1 over real HTTP.

    Yields (base URL, the paths requested, in order)."""
    requested: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            requested.append(self.path)
            super().do_GET()

        def log_message(self, format, *args):  # noqa: A002
            pass

    with tempfile.TemporaryDirectory() as root:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
        port = server.server_address[1]
        base = f"http://127.0.0.1:{port}"
        for path, text in files.items():
            target = Path(root) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text.replace("{base}", base).replace("{port}", str(port)), encoding="utf-8")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield base, requested
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


SITE = {
    "robots.txt": "User-agent: *\nDisallow: /private/\n",
    "news/index.html": """<html><body>
        <a href="/news/forum-opens-in-minsk/?utm_source=telegram&amp;utm_medium=social">Forum</a>
        <a href="http://WWW.127.0.0.1.:{port}/news/forum-opens-in-minsk/?sphrase_id=34650528">Forum again</a>
        <a href="/news/round-table-on-security/#comments">Round table</a>
        <a href="/stories/experts-met-in-astana-last-week">moved section</a>
        <a href="/about/">About</a><a href="/news/">News</a>
        <a href="/files/annual-report-2024-final.pdf">report</a>
        <a rel="next" href="/news/page2.html">older</a></body></html>""",
    "news/page2.html": """<html><body><a href="/news/older-seminar-on-trade/">Seminar</a>
        <a href="https://elsewhere.example/news/not-ours-at-all/">off site</a></body></html>""",
    "private/news/index.html": """<html><body><a href="/news/secret-meeting-report/">x</a></body></html>""",
    "feed.xml": """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
        <item><link>{base}/news/forum-opens-in-minsk/?utm_campaign=rss</link><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>
        <item><link>{base}/blog/2024/05/a-post-the-pattern-misses</link></item></channel></rss>""",
    "sitemap.xml": """<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>{base}/news/conference-in-brest/</loc></url><url><loc>{base}/about/</loc></url>
        <url><loc>{base}/events/2024/round-table-in-gomel</loc></url></urlset>""",
    "about/index.html": "<html><body><a href='/news/'>News</a></body></html>",
}


def sources_file(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(f"""sources:
  - name: local
    start_urls: ["{base}/news/", "{base}/private/news/"]
    feeds: ["{base}/feed.xml"]
    sitemaps: ["{base}/sitemap.xml"]
    article_url_pattern: '^http://127\\.0\\.0\\.1:\\d+/news/[a-z-]+/$'
    listing_url_pattern: '/news/page\\d+\\.html$'
    allow_private_hosts: true
    requests_per_second: 50
  - name: nothing_here
    start_urls: ["{base}/about/"]
    article_url_pattern: '/no-such-section/'
    allow_private_hosts: true
    requests_per_second: 50
""", encoding="utf-8")
    return path


def etl_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=PROJECT_DIR, capture_output=True,
                          text=True, timeout=120)



def test_sources_check_reports_what_each_source_finds_and_honours_robots(tmp_path):
    with local_site(SITE) as (base, requested):
        config = sources_file(tmp_path, base)
        result = etl_cli("sources", "check", "--config", str(config), "--source", "local")
        robots_requests = requested.count("/robots.txt")
        paths = set(requested)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("local: ok: 4 article URLs matched, 2 listing pages, 1 feeds and 1 sitemaps read")
    # Matched, once each, in their canonical form: tracking parameters, the www./trailing-dot host
    # variant and the fragment do not make another article.
    for slug in ("forum-opens-in-minsk", "round-table-on-security", "older-seminar-on-trade", "conference-in-brest"):
        assert out.count(f"{base}/news/{slug}/\n") == 1, slug
    assert "utm_" not in out and "sphrase_id" not in out and "WWW." not in out
    # Links shaped like articles that no pattern matches are pointed out; navigation, files, the
    # listing sections themselves and other sites are not.
    unmatched = out.split("looked like articles but matched no pattern (3):\n", 1)[1]
    for url in (f"{base}/stories/experts-met-in-astana-last-week", f"{base}/blog/2024/05/a-post-the-pattern-misses",
                f"{base}/events/2024/round-table-in-gomel"):
        assert url in unmatched
    for url in ("/about/", ".pdf", "elsewhere.example"):
        assert url not in unmatched
    # robots.txt: read once, honoured (the disallowed listing page is reported, never requested).
    assert robots_requests == 1
    assert "/private/news/" not in paths and "secret-meeting-report" not in out
    assert f"listing page {base}/private/news/:" in out and "robots" in out.split(f"{base}/private/news/:", 1)[1]
    # A check reads listings, feeds and sitemaps only: no article page is fetched.
    assert not any(p.startswith("/news/") and p.rstrip("/").count("/") == 2 and not p.endswith(".html")
                   for p in paths if p != "/news/")


def test_sources_check_exits_non_zero_for_a_source_that_yields_no_article(tmp_path):
    with local_site(SITE) as (base, _):
        config = sources_file(tmp_path, base)
        one = etl_cli("sources", "check", "--config", str(config), "--source", "nothing_here")
        both = etl_cli("sources", "check", "--config", str(config), "--json")
    assert one.returncode == 1
    assert one.stdout.startswith("nothing_here: NO ARTICLE FOUND: 0 article URLs matched, 1 listing pages")
    assert "no article found for 1 of 1 sources: nothing_here" in one.stderr
    assert both.returncode == 1
    reports = {r["source"]: r for r in map(json.loads, both.stdout.splitlines())}
    assert reports["local"]["ok"] and len(reports["local"]["articles"]) == 4
    assert not reports["nothing_here"]["ok"] and reports["nothing_here"]["listing_pages"] == [f"{base}/about/"]


def test_sources_check_is_bounded_per_source(tmp_path):
    with local_site(SITE) as (base, requested):
        config = sources_file(tmp_path, base)
        result = etl_cli("sources", "check", "--config", str(config), "--source", "local", "--max-requests", "2")
        served = list(requested)
    # Two discovery URLs asked (the second one robots.txt refuses), the rest reported as not read.
    assert served == ["/robots.txt", "/news/"]
    assert "not read (" in result.stdout and "--max-requests" in result.stdout
    assert result.returncode == 0  # the first listing page already yields articles


def test_sources_check_names_an_unknown_source(tmp_path):
    config = sources_file(tmp_path, "http://127.0.0.1:9")
    result = etl_cli("sources", "check", "--config", str(config), "--source", "nope")
    assert result.returncode == 1 and "no source named 'nope'" in result.stderr and "Traceback" not in result.stderr


DUPLICATES_SITE = {
    "robots.txt": "User-agent: *\nAllow: /\n",
    "news/index.html": """<html><body>
        <a href="/news/forum-opens-in-minsk/?utm_source=telegram&amp;utm_medium=social">Forum</a>
        <a href="http://WWW.127.0.0.1.:{port}/news/forum-opens-in-minsk/?sphrase_id=34650528">Forum again</a>
        <a href="/news/forum-opens-in-minsk/?fbclid=IwAR0">Forum, shared</a>
        <a href="/news/round-table-on-security/#comments">Round table</a>
        <a href="/news/round-table-reprint/?gclid=x">Round table, reprinted</a></body></html>""",
    # States its canonical URL with a host variant and a campaign tag.
    "news/forum-opens-in-minsk/index.html": ARTICLE.format(
        title="Forum of think tanks opens in Minsk", day=1,
        canonical='<link rel="canonical" href="http://www.127.0.0.1.:{port}/news/forum-opens-in-minsk/?utm_campaign=x">'),
    "news/round-table-on-security/index.html": ARTICLE.format(
        title="Round table on regional security", day=2, canonical=""),
    # The same article at a second address, whose canonical link names the first one in a variant.
    "news/round-table-reprint/index.html": ARTICLE.format(
        title="Round table on regional security", day=2,
        canonical='<link rel="canonical" href="http://WWW.127.0.0.1.:{port}/news/round-table-on-security/?fbclid=1">'),
}


def test_an_article_linked_under_tracking_parameters_and_host_variants_is_stored_once(tmp_path, database_url):
    from etl.store.migrate import migrate
    from etl.pipeline import run_source
    from etl.sources import load_sources

    with local_site(DUPLICATES_SITE) as (base, requested):
        config = tmp_path / "sources.yaml"
        config.write_text(f"""sources:
  - name: local
    start_urls: ["{base}/news/"]
    article_url_pattern: '^http://127\\.0\\.0\\.1:\\d+/news/[a-z-]+/$'
    allow_private_hosts: true
    requests_per_second: 50
""", encoding="utf-8")
        (source,) = load_sources(config)
        migrate(database_url)
        first = run_source(source, database_url)
        second = run_source(source, database_url)
        fetched_pages = [p for p in requested if p.startswith("/news/") and p != "/news/"]
    assert first["discovered"] == 3 and first["fetched"] == 3, first
    assert sorted(fetched_pages) == ["/news/forum-opens-in-minsk/", "/news/round-table-on-security/",
                                     "/news/round-table-reprint/"]
    assert second["discovered"] == 0
    with psycopg.connect(database_url) as conn:
        articles = [r[0] for r in conn.execute("SELECT url FROM core.articles ORDER BY url")]
        page_urls = [r[0] for r in conn.execute("SELECT url FROM raw.pages ORDER BY url")]
    assert articles == [f"{base}/news/forum-opens-in-minsk/", f"{base}/news/round-table-on-security/"]
    assert not any("utm_" in u or "clid" in u or "sphrase" in u or "www." in u.lower() for u in page_urls)


def test_sources_check_of_a_site_that_is_down_says_so_and_fails(tmp_path):
    with local_site({}) as (base, _):
        pass  # a port that was just listening and no longer is
    config = sources_file(tmp_path, base)
    result = etl_cli("sources", "check", "--config", str(config), "--source", "local")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith("local: NO ARTICLE FOUND: 0 article URLs matched, 0 listing pages")
    assert "could not read (" in result.stdout and f"listing page {base}/news/:" in result.stdout
