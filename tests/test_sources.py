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
        allowed_env: [SITE, UNSET_SITE]
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


# -- hostile sources files (issue 12, items 10-13) ---------------------------------------------------------

def test_a_yaml_alias_bomb_is_refused_at_once_without_quoting_its_value(tmp_path):
    lines = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 9):
        lines.append(f"x-{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 9) + "]")
    lines.append("sources:\n- name: bomb\n  start_urls: [https://x.org/]\n  article_url_pattern: *i")
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert path.stat().st_size < 1000
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert "anchors and aliases" in message and str(path) in message and len(message) < 500


def test_anchors_are_refused_even_when_harmless_and_huge_values_are_never_quoted_whole(tmp_path):
    with pytest.raises(SourcesError, match="anchors and aliases"):
        load_sources(write(tmp_path, "x-common: &c 2\nsources:\n- name: a\n  start_urls: [https://x.org/]\n"
                                     "  article_url_pattern: x\n  max_listing_pages: *c\n"))
    huge = "[" + ", ".join(["[" + ", ".join(["word"] * 200) + "]"] * 200) + "]"
    with pytest.raises(SourcesError) as caught:
        load_sources(write(tmp_path, f"sources:\n- name: a\n  start_urls: [https://x.org/]\n"
                                     f"  article_url_pattern: x\n  max_listing_pages: {huge}\n"))
    assert "max_listing_pages" in str(caught.value) and len(str(caught.value)) < 500
    (tmp_path / "big.yaml").write_bytes(b"sources: []\n" + b"#" * (2 * 1024 * 1024))
    with pytest.raises(SourcesError, match="over"):
        load_sources(tmp_path / "big.yaml")


def test_a_pattern_with_catastrophic_backtracking_runs_in_linear_time(tmp_path):
    (source,) = load_sources(write(tmp_path, r"""
        sources:
        - name: a
          start_urls: [https://x.org/]
          article_url_pattern: '^https://x\.org/(a+)+$'
    """))
    # Python's `re` takes longer than the age of the universe on this 60-character link; asked in a
    # child process with a deadline, so a backtracking engine fails the test instead of hanging it.
    import subprocess
    import sys

    code = ("import sys; from etl.sources import load_sources; (s,) = load_sources(sys.argv[1]); "
            "print(s.is_article_url('https://x.org/' + 'a' * 46 + '!'), s.is_article_url('https://x.org/aaaa'))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "sources.yaml")], capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.split() == ["False", "True"], result.stderr[-500:]
    assert source.is_article_url("https://x.org/aaaa")


@pytest.mark.parametrize("pattern", [r"/(\w+)/\1/", r"/news/(?!draft)", r"(?<=x)y"])
def test_patterns_rE2_cannot_run_are_refused_at_load_naming_the_key(tmp_path, pattern):
    with pytest.raises(SourcesError, match="article_url_pattern.*RE2"):
        load_sources(write(tmp_path, f"sources:\n- name: a\n  start_urls: [https://x.org/]\n"
                                     f"  article_url_pattern: '{pattern}'\n"))


@pytest.mark.parametrize("cron", ["99 99 99 99 99", "0 25 * * *", "61 * * * *", "0 0 32 * *", "0 0 * 13 *",
                                  "0 0 * * 9", "*/0 * * * *", "a b c d e"])
def test_cron_strings_airflow_rejects_are_refused(tmp_path, cron):
    from airflow.exceptions import AirflowTimetableInvalid
    from airflow.timetables.trigger import CronTriggerTimetable

    with pytest.raises(AirflowTimetableInvalid):  # the test's premise: Airflow refuses it
        CronTriggerTimetable(cron, timezone="UTC").validate()
    with pytest.raises(SourcesError, match="schedule"):
        load_sources(write(tmp_path, f"sources:\n- name: a\n  start_urls: [https://x.org/]\n"
                                     f"  article_url_pattern: x\n  schedule: '{cron}'\n"))


@pytest.mark.parametrize("cron", ["0 6 * * *", "*/15 * * * 1-5", "0 0 1 */3 *", "30 2 * * MON", "@weekly"])
def test_cron_strings_airflow_accepts_load(tmp_path, cron):
    (source,) = load_sources(write(tmp_path, f"sources:\n- name: a\n  start_urls: [https://x.org/]\n"
                                             f"  article_url_pattern: x\n  schedule: '{cron}'\n"))
    assert source.schedule == cron


@pytest.mark.parametrize("variable", ["ETL_DATABASE_URL", "ETL_TEST_DATABASE_URL", "HOME", "PGPASSWORD",
                                      "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
def test_only_allowed_environment_variables_expand_and_no_value_is_printed(tmp_path, monkeypatch, variable):
    monkeypatch.setenv(variable, "postgresql://etl:S3crt99@db.internal/wh")
    path = write(tmp_path, f"""
        sources:
        - name: a
          start_urls: ["https://x.org/?q=${{{variable}}}"]
          article_url_pattern: x
    """)
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    assert variable in str(caught.value) and "S3crt99" not in str(caught.value)
    # Listing a credential under `allowed_env` does not make it usable.
    listed = write(tmp_path, f"allowed_env: [{variable}]\n" + path.read_text())
    if variable.startswith(("ETL_DATABASE", "ETL_TEST", "PGPASS", "AIRFLOW__DATABASE")):
        with pytest.raises(SourcesError, match="credentials"):
            load_sources(listed)
    else:
        (source,) = load_sources(listed)
        assert "S3crt99" in source.start_urls[0]


def test_an_expanded_value_is_never_quoted_in_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ETL_SITE_PREFIX", "not a url S3crt99")
    monkeypatch.setenv("ETL_SITE_PATTERN", "(S3crt99")
    with pytest.raises(SourcesError) as caught:
        load_sources(write(tmp_path, 'sources:\n- name: a\n  start_urls: ["${ETL_SITE_PREFIX}/news/"]\n'
                                     '  article_url_pattern: x\n'))
    assert "${ETL_SITE_PREFIX}/news/" in str(caught.value) and "S3crt99" not in str(caught.value)
    with pytest.raises(SourcesError) as caught:
        load_sources(write(tmp_path, 'sources:\n- name: a\n  start_urls: [https://x.org/]\n'
                                     '  article_url_pattern: "${ETL_SITE_PATTERN}"\n'))
    assert "article_url_pattern" in str(caught.value) and "S3crt99" not in str(caught.value)


# -- the `checks:` section: thresholds of the data quality warnings ---------------------------------------

_ONE_SOURCE = "sources: [{name: a, start_urls: [https://x.org/], article_url_pattern: x}]\n"


def test_check_thresholds_are_read_from_the_checks_section(tmp_path):
    from etl.sources import load_sources_file

    path = write(tmp_path, _ONE_SOURCE + "checks:\n  event_dates_out_of_range: {threshold: 20}\n"
                                        "  silent_sources: {threshold: 0}\n")
    settings = load_sources_file(path)
    assert settings.check_thresholds == {"event_dates_out_of_range": 20, "silent_sources": 0}
    assert [s.name for s in settings.sources] == ["a"] and load_sources(path) == settings.sources
    assert load_sources_file(write(tmp_path, _ONE_SOURCE)).check_thresholds == {}


@pytest.mark.parametrize("section, fragment", [
    ("checks: [event_dates_out_of_range]", "`checks` must be a mapping"),
    ("checks: {event_dates_out_of_range: 20}", "`checks.event_dates_out_of_range` must be a mapping with one key"),
    ("checks: {event_dates_out_of_range: {threshold: 5, severity: error}}", "with one key, `threshold`"),
    ("checks: {event_dates_out_of_range: {threshold: -1}}", "`checks.event_dates_out_of_range.threshold` must be"),
    ("checks: {event_dates_out_of_range: {threshold: 2.5}}", "must be a whole number"),
    ("checks: {event_dates_out_of_range: {threshold: true}}", "must be a whole number"),
    ("checks: {Bad Name: {threshold: 1}}", "is not a check name"),
])
def test_a_malformed_checks_section_is_refused_naming_the_key(tmp_path, section, fragment):
    path = write(tmp_path, _ONE_SOURCE + section + "\n")
    with pytest.raises(SourcesError, match=re.escape(fragment)) as caught:
        load_sources(path)
    assert str(path) in str(caught.value)
