"""The analysts' three questions (issue 15), each one query on a documented view, as the README
gives them."""

from __future__ import annotations

import copy
import datetime as dt
import re

import psycopg
import pytest

from conftest import PROJECT_DIR
from etl.store import db
from etl.extract import EXTRACTOR_VERSION
from etl.store.load import load_records
from etl.store.migrate import migrate
from test_events_warehouse import _reference_record
from test_reporting import EN_REPORT, RU_REPORT, loaded_sample, rows  # noqa: F401 - the fixture

T0 = dt.datetime(2022, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


def readme_query(title: str) -> str:
    """The example query under the comment line `-- {title}` of the README."""
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^-- {re.escape(title)}\n(.*?;)$", readme, re.M | re.S)
    assert match, f"no README example query titled {title!r}"
    return match.group(1)


def test_which_events_bisr_organized_where_with_which_speakers(database_url):
    migrate(database_url)
    en, ru = _reference_record("en"), _reference_record("ru")
    # The conference as if BISR had co-organized it: BISR in the English report, БИСИ in the Russian one.
    en["events"][0]["organizers"].append({"name": "BISR"})
    ru["events"][0]["organizers"].append({"name": "Белорусский институт стратегических исследований"})
    with db.connect(database_url) as conn:
        load_records(conn, [(None, T0, T0, en), (None, T0, T0, ru)], EXTRACTOR_VERSION)
        answer = rows(conn, readme_query("Which events did BISR organize, where, with which speakers?"))
        speakers = rows(conn, readme_query("The speakers of one event with their roles, organizations and sessions"))
        sessions = rows(conn, "SELECT language, session, kind, format, speakers FROM reporting.event_sessions "
                              "ORDER BY language, position")
    # Both reports name him: one row, from the English report, his organization by canonical name.
    assert speakers == [{"speaker": "Oleg Makarov", "role": "Director",
                         "organization": "Belarusian Institute of Strategic Research",
                         "session": "Priorities for further development"}]
    assert [(r["session"], r["kind"], r["format"]) for r in sessions if r["language"] == "en"] == [
        ("Frontiers and Milestones of Independence", "plenary", None), ("History Lessons", "panel", "online"),
        ("Society and Values", "panel", "online"), ("Priorities for further development", "panel", "online")]
    assert [r["speakers"] for r in sessions if r["language"] == "en"] == [[], [], [], ["Oleg Makarov"]]
    assert len(sessions) == 8  # the Russian report's four too
    # One row: the event once (not once per report), its speakers by canonical (Latin) name.
    assert answer == [{"start_date": dt.date(2021, 12, 10), "event": "Leadership. Stability. Progress",
                       "city": "Astana", "country": "KZ", "organization": "Belarusian Institute of Strategic Research",
                       "speakers": ["Oleg Makarov"]}]


def test_bisr_events_in_the_sample_site(loaded_sample):  # noqa: F811
    with psycopg.connect(loaded_sample) as conn:
        answer = rows(conn, readme_query("Which events did BISR organize, where, with which speakers?"))
    assert [(r["start_date"], r["event"], r["city"]) for r in answer] == [
        (dt.date(2022, 3, 15), "Regional Security in Eastern Europe", "Minsk")]


def test_events_by_an_organizer_s_english_name_include_reports_only_in_russian(database_url):
    migrate(database_url)
    en, ru = _reference_record("en"), _reference_record("ru")
    # Another event, reported only in Russian, organized by the foundation under its Russian name.
    ru_only = copy.deepcopy(ru)
    ru_only.update(url=ru["url"] + "-vtoroe", translation_of_url=None)
    ru_only["events"] = [{**ru["events"][0], "start_date": "2022-05-20", "end_date": "2022-05-20",
                          "name": "Вторая конференция",
                          "organizers": [{"name": "Фонд Нурсултана Назарбаева"}]}]
    with db.connect(database_url) as conn:
        load_records(conn, [(None, T0, T0, en), (None, T0, T0, ru)], EXTRACTOR_VERSION)
        load_records(conn, [(None, T0, T0, ru_only)], EXTRACTOR_VERSION)
        answer = rows(conn, readme_query("Every event an organizer held, by its English name, whatever the language of the report"))
    assert [(r["start_date"].isoformat(), r["language"]) for r in answer] == [("2021-12-10", "en"), ("2022-05-20", "ru")]
    assert answer[1]["name"] == "Вторая конференция"


def test_who_spoke_at_which_events_for_whom(loaded_sample):  # noqa: F811
    with psycopg.connect(loaded_sample) as conn:
        answer = rows(conn, readme_query("Who spoke at which events, for whom (spellings merged)"))
    makarov = [r for r in answer if r["name"] == "Oleg Makarov"]
    # Reported in English and in Russian: one event, listed by its English name.
    assert makarov == [{"name": "Oleg Makarov", "spellings": ["Oleg Makarov", "Олег Макаров"], "events": 1,
                        "event_names": ["2021-12-10 Leadership. Stability. Progress"],
                        "roles": ["Director", "Директор"], "organizations": ["Belarusian Institute of Strategic Research"]}]


def readme_example_queries() -> dict[str, str]:
    """Every query of the README's **Example queries.** block, by its comment title."""
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("**Example queries.**"):]
    block = block[block.index("```sql"):block.index("```\n", block.index("```sql") + 6)]
    return dict(re.findall(r"^-- ([^\n]+)\n(.*?;)$", block, re.M | re.S))


def test_every_readme_example_query_runs_and_answers_on_the_sample(loaded_sample):  # noqa: F811
    """Each example query of the README, as an analyst runs it (role etl_analyst), on the sample site;
    a query added to the README without an expectation here fails this test."""
    queries = readme_example_queries()
    # The history query names an article by a placeholder: asked about one the sample holds.
    queries["How an article changed"] = queries["How an article changed"].replace("https://bisr.gov.by/en/...", EN_REPORT)
    with psycopg.connect(loaded_sample) as conn:
        conn.execute("SET ROLE etl_analyst")
        answers = {title: rows(conn, sql) for title, sql in queries.items()}
    by_month = answers.pop("Events per month since 2021 (an event reported in EN and RU counts once)")
    assert [(r["month"].isoformat(), r["events"], r["reports"]) for r in by_month] == [
        ("2021-12-01", 1, 2), ("2022-03-01", 1, 1)]
    active = answers.pop("The most active organizers, and where they hold events")
    assert "Nursultan Nazarbayev Foundation" in [r["organization"] for r in active]
    assert all(r["events_organized"] == 1 for r in active) and len(active) >= 4
    english = answers.pop('Full-text search, English (stemmed: "conferences" finds "conference"), with an excerpt')
    assert [r["url"] for r in english] == [EN_REPORT] and "<b>conference</b>" in english[0]["excerpt"]
    russian = answers.pop('... and Russian (inflected forms match: "конференция" finds "конференции")')
    assert [r["url"] for r in russian] == [RU_REPORT]
    assert answers.pop("Event types per year in one country") == [{"year": 2021.0, "type": "conference", "events": 1}]
    attention = answers.pop("Which sources need attention")
    assert [(r["source"], r["pages_failing_now"], r["last_error"]) for r in attention] == [("sample", 1, "HTTP 404")]
    history = answers.pop("How an article changed")
    assert len(history) == 1 and history[0]["valid_to"] is None and history[0]["title"].startswith('"Leadership.')
    # The analyst questions, checked in detail by the tests above.
    assert answers.pop("Which events did BISR organize, where, with which speakers?")[0]["city"] == "Minsk"
    assert [r["language"] for r in answers.pop(
        "Every event an organizer held, by its English name, whatever the language of the report")] == ["en"]
    assert answers.pop("Who spoke at which events, for whom (spellings merged)")[0]["name"] == "Oleg Makarov"
    assert [r["speaker"] for r in answers.pop(
        "The speakers of one event with their roles, organizations and sessions")] == ["Oleg Makarov"]
    assert answers == {}, f"README example queries without an expectation here: {sorted(answers)}"


def test_an_organization_named_twice_in_one_report_is_read_from_its_first_mention(database_url):
    """BISR and its full name in one report: one row of reporting.event_organizers, as the report
    names it first (chosen by article order, not by whichever row the plan met first)."""
    migrate(database_url)
    en = _reference_record("en")
    first = len(en["events"][0]["organizers"])
    for names in (["Belarusian Institute of Strategic Research", "BISR"],
                  ["BISR", "Belarusian Institute of Strategic Research"]):
        en["events"][0]["organizers"] = en["events"][0]["organizers"][:first] + [{"name": n} for n in names]
        with db.connect(database_url) as conn:
            load_records(conn, [(None, T0, T0, en)], EXTRACTOR_VERSION)
            answer = rows(conn, "SELECT name_as_written, position FROM reporting.event_organizers "
                                "WHERE 'BISR' = ANY (acronyms)")
        assert answer == [{"name_as_written": names[0], "position": first}]
