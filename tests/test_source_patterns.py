"""The shipped sources against real URLs of their sites (tests/fixtures/source_urls.yaml).

Every source in dags/sources.yaml must have fixture URLs; its article pattern must match every
article URL (as quoted and once made canonical, as discovery sees it) and no navigation URL; its
listing pattern must follow the fixture's listing pages and never an article.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from etl.crawl.urls import canonical_url, registered_domain, same_site, site_spellings
from etl.sources import SHIPPED_SOURCES_FILE, load_sources

FIXTURE = Path(__file__).parent / "fixtures" / "source_urls.yaml"
URLS = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
SOURCES = {source.name: source for source in load_sources(SHIPPED_SOURCES_FILE)}
ARTICLE_KINDS = ("seen", "seen_with_tracking", "form")


def _cases(kinds):
    return [pytest.param(name, url, id=f"{name}:{url}") for name, entry in URLS.items()
            for kind in kinds for url in entry.get(kind) or ()]


def _canonical(name: str, url: str) -> str:
    return canonical_url(url, site_spellings(SOURCES[name].entry_urls))


def test_every_shipped_source_has_real_urls_and_every_fixture_a_source():
    assert set(URLS) == set(SOURCES)
    for name, entry in URLS.items():
        assert entry.get("not_articles"), name
        assert entry.get("seen") or entry.get("form"), name
    # Most sources have URLs seen verbatim on the site, not only URLs of an observed form.
    assert sum(bool(entry.get("seen")) for entry in URLS.values()) >= 9


@pytest.mark.parametrize("name, url", _cases(("seen", "form")))
def test_article_url_matches_as_quoted(name, url):
    assert SOURCES[name].is_article_url(url)


@pytest.mark.parametrize("name, url", _cases(ARTICLE_KINDS))
def test_article_url_matches_once_canonical(name, url):
    canonical = _canonical(name, url)
    assert SOURCES[name].is_article_url(canonical), canonical
    # ... and is on one of the source's sites, so discovery keeps it (its same-site rule).
    assert same_site(canonical, frozenset(registered_domain(h) for h in SOURCES[name].hosts))


@pytest.mark.parametrize("name, url", _cases(("not_articles",)))
def test_navigation_url_is_not_an_article(name, url):
    source = SOURCES[name]
    assert not source.is_article_url(url)
    assert not source.is_article_url(_canonical(name, url))


@pytest.mark.parametrize("name, url", _cases(("listings",)))
def test_listing_url_is_followed(name, url):
    assert SOURCES[name].is_listing_url(_canonical(name, url))


@pytest.mark.parametrize("name, url", _cases(ARTICLE_KINDS))
def test_an_article_is_never_taken_for_a_listing_page(name, url):
    assert not SOURCES[name].is_listing_url(_canonical(name, url))


@pytest.mark.parametrize("name", sorted(URLS))
def test_host_and_tracking_variants_of_an_article_are_one_url(name):
    """www., a trailing dot, host case, a default port and tracking parameters: the same article."""
    entry = URLS[name]
    hosts = SOURCES[name].hosts
    url = next(canonical for u in (entry.get("seen") or []) + (entry.get("form") or [])
               if (canonical := _canonical(name, u)).split("/")[2] in hosts)
    scheme, _, host, path = url.split("/", 3)
    bare = host[4:] if host.startswith("www.") else host
    variants = [
        f"{scheme}//{bare.upper()}./{path}",
        f"{scheme}//www.{bare}:{443 if scheme == 'https:' else 80}/{path}",
        f"http://www.{bare}/{path}{'&' if '?' in path else '?'}utm_source=telegram&utm_medium=social",
        f"{url}{'&' if '?' in url else '?'}sphrase_id=34650528&fbclid=IwAR0x",
        f"{url}#comments",
    ]
    assert {_canonical(name, variant) for variant in variants} == {url}


def test_canonical_urls_keep_the_query_that_names_the_page():
    spellings = site_spellings(["https://carnegieendowment.org/russia-eurasia/politika?lang=en"])
    assert canonical_url("http://www.carnegieendowment.org/russia-eurasia/politika?utm_campaign=x&lang=ru",
                         spellings) == "https://carnegieendowment.org/russia-eurasia/politika?lang=ru"
    # Another site, or the same host on another port, is not a variant of the source's site.
    assert canonical_url("http://www.example.org/a?gclid=1&page=2", spellings) == "http://www.example.org/a?page=2"
    assert canonical_url("https://carnegieendowment.org:8443/a", spellings) == "https://carnegieendowment.org:8443/a"
