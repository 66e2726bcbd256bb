"""Crawl a real site end to end: the en.kremlin.ru slice of shared/bench, served on 127.0.0.1.

    .venv/bin/python -m tests.bench.bench_crawl_kremlin [--site DIR] [--rps N] [--dsn DSN]

Serves `kremlin/site` (stored gzipped, served decompressed, with Last-Modified from the file and
conditional GET like a real server), writes a sources file with one entry starting at listing page 2,
and runs `python -m etl run` three times against a fresh database:

1. first run: every one of the 600 articles must be discovered, fetched and loaded;
2. second run: nothing changed, so no article may be fetched (only the first listing page is read);
3. `--refresh`: every article is asked for again with its validators; all must come back 304.

Prints a table of the figures and exits non-zero when a check fails. The database is a new one on
ETL_DATABASE_URL's server (or the embedded one), dropped at the end.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import psycopg

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SITE = PROJECT_DIR.parent / "shared" / "bench" / "kremlin" / "site"
ARTICLE_PATTERN = r"/events/president/news/\d+\.html$"
EXPECTED_ARTICLES = 600


def serve_gzipped_site(root: Path) -> tuple[http.server.ThreadingHTTPServer, Counter]:
    hits: Counter[str] = Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

        def do_GET(self):  # noqa: N802
            path = self.path.split("?", 1)[0]
            hits[path] += 1
            file = (root / path.lstrip("/")).with_name(Path(path).name + ".gz")
            if ".." in path or not file.is_file():
                return self._send(404, b"not found", {"Content-Type": "text/plain"})
            mtime = int(file.stat().st_mtime)
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    if parsedate_to_datetime(since).timestamp() >= mtime:
                        return self._send(304, b"", {})
                except (TypeError, ValueError):
                    pass
            body = gzip.decompress(file.read_bytes())
            self._send(200, body, {"Content-Type": "text/html; charset=utf-8",
                                   "Last-Modified": formatdate(mtime, usegmt=True)})

        def _send(self, status, body, headers):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            if not isinstance(sys.exc_info()[1], ConnectionError):  # the crawler closing keep-alive sockets
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    return server, hits


def write_sources(directory: Path, base_url: str, rps: float) -> Path:
    path = directory / "sources.kremlin.yaml"
    path.write_text(
        "sources:\n"
        "  - name: kremlin\n"
        "    language: en\n"
        f"    start_urls: ['{base_url}/events/president/news/page/2.html']\n"
        f"    article_url_pattern: '{ARTICLE_PATTERN}'\n"
        "    next_page: 'a[rel=next]'\n"
        "    max_listing_pages: 40\n"
        f"    requests_per_second: {rps}\n"
        "    allow_private_hosts: true\n",
        encoding="utf-8",
    )
    return path


def run_etl(config: Path, dsn: str, *extra: str) -> tuple[dict, float]:
    env = {**os.environ, "ETL_DATABASE_URL": dsn}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "etl", "run", "--config", str(config), "--source", "kremlin", "--json", *extra],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise SystemExit(f"etl run failed with status {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1]), elapsed


def crawl_only(config: Path) -> dict:
    """Discovery and fetching alone, in this process, no database: the crawler's own speed."""
    from etl.crawl import Crawler
    from etl.sources import get_source, load_sources

    source = get_source(load_sources(config), "kremlin")
    started = time.perf_counter()
    with Crawler(source) as crawler:
        urls = crawler.discover()
        discovered = time.perf_counter()
        outcomes = Counter(crawler.fetch(url).outcome for url in urls)
        fetched = time.perf_counter()
    return {"urls": len(urls), "discover_seconds": discovered - started, "fetch_seconds": fetched - discovered,
            "outcomes": dict(outcomes), "listing_pages": crawler.stats["discovery_listing_pages"]}


def warehouse_counts(dsn: str) -> dict:
    with psycopg.connect(dsn) as conn:
        articles = conn.execute("SELECT count(*) FROM core.articles WHERE source = 'kremlin'").fetchone()[0]
        pages = conn.execute("SELECT count(DISTINCT url) FROM raw.pages WHERE source = 'kremlin'").fetchone()[0]
    return {"articles": articles, "raw_pages": pages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=DEFAULT_SITE, help="the kremlin/site folder")
    parser.add_argument("--rps", type=float, default=200.0, help="requests_per_second of the source entry")
    parser.add_argument("--dsn", help="server to create the scratch database on (default: ETL_DATABASE_URL or "
                                      "the embedded PostgreSQL)")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        raise SystemExit(f"no site at {args.site}")
    articles_on_disk = {p.name.removesuffix(".gz") for p in (args.site / "events/president/news").glob("*.html.gz")}

    from etl.store.db import resolve_dsn, scratch_database

    server_dsn = resolve_dsn(args.dsn)
    server, hits = serve_gzipped_site(args.site)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    rows, failures = [], []
    try:
        with tempfile.TemporaryDirectory() as tmp, scratch_database(server_dsn, "bench_kremlin") as dsn:
            config = write_sources(Path(tmp), base_url, args.rps)
            for label, extra in (("first run", ()), ("second run", ()), ("--refresh", ("--refresh",))):
                hits.clear()
                summary, seconds = run_etl(config, dsn, *extra)
                article_requests = sum(n for path, n in hits.items() if path.rsplit("/", 1)[-1] in articles_on_disk
                                       and "/page/" not in path)
                listing_requests = sum(n for path, n in hits.items() if "/page/" in path)
                rows.append({"run": label, "seconds": round(seconds, 1), "discovered": summary.get("discovered", 0),
                             "fetched": summary.get("fetched", 0), "unchanged": summary.get("unchanged", 0),
                             "failed": summary.get("failed", 0), "listing requests": listing_requests,
                             "article requests": article_requests, **warehouse_counts(dsn)})
            crawl = crawl_only(config)
    finally:
        server.shutdown()
        server.server_close()

    first, second, refresh = rows
    if len(articles_on_disk) != EXPECTED_ARTICLES:
        failures.append(f"the corpus holds {len(articles_on_disk)} articles, expected {EXPECTED_ARTICLES}")
    if first["fetched"] != EXPECTED_ARTICLES or first["articles"] != EXPECTED_ARTICLES:
        failures.append(f"first run: fetched {first['fetched']}, loaded {first['articles']}, "
                        f"expected {EXPECTED_ARTICLES}")
    if second["article requests"] or second["fetched"]:
        failures.append(f"second run fetched {second['article requests']} articles, expected none")
    if refresh["unchanged"] != EXPECTED_ARTICLES or refresh["articles"] != EXPECTED_ARTICLES:
        failures.append(f"--refresh: {refresh['unchanged']} unchanged (304), expected {EXPECTED_ARTICLES}")

    columns = list(rows[0])
    print(" | ".join(columns))
    print(" | ".join("---" for _ in columns))
    for row in rows:
        print(" | ".join(str(row[c]) for c in columns))
    if first["seconds"]:
        print(f"\nfirst run: {first['fetched'] / first['seconds']:.1f} articles/s end to end "
              f"(discover + fetch + extract + load), requests_per_second {args.rps:g}")
    print(f"crawler alone (no database): discovered {crawl['urls']} URLs from {crawl['listing_pages']} listing "
          f"pages in {crawl['discover_seconds']:.1f}s, fetched them in {crawl['fetch_seconds']:.1f}s "
          f"({crawl['urls'] / max(crawl['fetch_seconds'], 1e-9):.0f} pages/s), outcomes {crawl['outcomes']}")
    if crawl["outcomes"].get("fetched") != EXPECTED_ARTICLES:
        failures.append(f"crawler alone fetched {crawl['outcomes']}, expected {EXPECTED_ARTICLES}")
    for failure in failures:
        print(f"FAIL: {failure}")
    print("OK" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
