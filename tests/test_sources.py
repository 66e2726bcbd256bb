"""The sources file: the shipped one loads; every bad key or value is refused, naming source and key."""

from __future__ import annotations

import re
import textwrap

import pytest

from etl.sources import (
    DEFAULT_NEXT_PAGE, SHIPPED_SOURCES_FILE, SourcesError, get_source, load_sources, source_for_url,
)


def write(tmp_path, text: str):
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_shipped_sources_file_lists_the_think_tanks():
    sources = load_sources(SHIPPED_SOURCES_FILE)
    names = [s.name for s in sources]
    assert {"bisr", "kisi", "valdai", "riac"} <= set(names) and len(names) >= 8
    assert "could not be checked from here" in SHIPPED_SOURCES_FILE.read_text()
    for source in sources:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", source.name)
        assert not source.allow_private_hosts
        assert source.start_urls or source.feeds or source.sitemaps
        # Every listing page the file names is on the source's own site and is not itself an "article".
        for url in source.start_urls:
            assert url.startswith("https://") and not source.is_article_url(url), (source.name, url)
    bisr = get_source(sources, "bisr")
    reference = "https://bisr.gov.by/en/uchastie-v-meropriyatiyakh/liderstvo-stabilnost-progress-na-polyakh-evrazii-gorizonty-razvitiya"
    assert bisr.is_article_url(reference) and bisr.is_article_url(reference.replace("/en/", "/"))
    assert source_for_url(sources, reference) is bisr


def test_defaults_and_environment_expansion(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE", "http://127.0.0.1:8123")
    monkeypatch.delenv("UNSET_SITE", raising=False)
    path = write(tmp_path, """
        sources:
          - name: local
            start_urls: ["${SITE}/news/", "${UNSET_SITE:-http://localhost:9}/news/"]
            article_url_pattern: '/news/\\d+$'
            allow_private_hosts: true
            selectors: {title: "h1.title", published_at: "time[datetime]"}
    """)
    (source,) = load_sources(path)
    assert source.start_urls == ("http://127.0.0.1:8123/news/", "http://localhost:9/news/")
    assert source.next_page == DEFAULT_NEXT_PAGE == "a[rel=next]"
    assert source.requests_per_second == 1.0 and source.max_listing_pages == 20
    assert source.schedule == "@daily" and source.feeds == () and source.sitemaps == ()
    assert source.selectors == {"title": "h1.title", "published_at": "time[datetime]"}
    assert source.allow_private_hosts is True
    assert source.hosts == {"127.0.0.1", "localhost"}
    hash(source)  # usable as a key


@pytest.mark.parametrize("entry, key", [
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  colour: red", "colour"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: '(['", "article_url_pattern"),
    ("start_urls: [ftp://x.org/]\n  article_url_pattern: x", "start_urls"),
    ("start_urls: [https://x.org/]", "article_url_pattern"),
    ("article_url_pattern: x", "start_urls"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  listing_url_pattern: '*'", "listing_url_pattern"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  next_page: 'a[rel='", "next_page"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  max_listing_pages: 0", "max_listing_pages"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  max_listing_pages: true", "max_listing_pages"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  requests_per_second: -1", "requests_per_second"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  requests_per_second: fast", "requests_per_second"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  feeds: https:/nohost", "feeds"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  sitemaps: [42]", "sitemaps"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  schedule: '@sometimes'", "schedule"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  schedule: 'every day'", "schedule"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  language: English", "language"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  selectors: {headline: h1}", "selectors"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  selectors: {body: '>>'}", "selectors.body"),
    ("start_urls: [https://x.org/]\n  article_url_pattern: x\n  allow_private_hosts: 'yes'", "allow_private_hosts"),
])
def test_bad_keys_and_values_are_refused_naming_source_and_key(tmp_path, entry, key):
    path = write(tmp_path, "sources:\n- name: site_a\n  " + entry + "\n")
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert "'site_a'" in message and key in message and str(path) in message


@pytest.mark.parametrize("text, fragment", [
    ("", "`sources` list"),
    ("sources: {name: a}", "`sources` list"),
    ("sources: []", "the `sources` list is empty"),
    ("sources: [{name: a, start_urls: [https://x.org/], article_url_pattern: x}]\nsourses: []",
     "unknown top-level key(s): sourses"),
    ("sources:\n- name: Bad-Name\n  start_urls: [https://x.org/]\n  article_url_pattern: x", "`name`"),
    ("sources:\n- name: a\n  start_urls: [https://x.org/]\n  article_url_pattern: x\n"
     "- name: a\n  start_urls: [https://y.org/]\n  article_url_pattern: y", "duplicate source names: a"),
    ("sources: [\n", "cannot read"),
])
def test_malformed_files_are_refused(tmp_path, text, fragment):
    with pytest.raises(SourcesError, match=re.escape(fragment)):
        load_sources(write(tmp_path, text))
