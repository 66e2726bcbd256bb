"""Events in the warehouse: load -> export round trip, idempotent reloads, replacement,
organization aliases, and people linked across a translation pair. Real PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from conftest import REFERENCE
from etl.store import db
from etl.store.export import export_records
from etl.store.identity_keys import refresh_keys
from etl.extract import EXTRACTOR_VERSION, extract_record
from etl.store.load import load_records
from etl.store.load_events import EventsError, events_for_articles, replace_events
from etl.store.migrate import migrate

T0 = dt.datetime(2021, 12, 11, 9, 0, tzinfo=dt.timezone.utc)


def _gold(language: str) -> dict:
    return json.loads((REFERENCE / f"expected.{language}.json").read_text(encoding="utf-8"))


def _reference_record(language: str) -> dict:
    gold = _gold(language)
    html = (REFERENCE / f"page.{language}.html").read_bytes()
    return extract_record(html, gold["url"])


def _snapshot(conn) -> dict:
    """Every events-related table, rows in key order, plus the serials' positions."""
    tables = {
        "events": "SELECT * FROM core.events ORDER BY event_id",
        "organizers": "SELECT * FROM core.event_organizers ORDER BY event_id, position",
        "sessions": "SELECT * FROM core.event_sessions ORDER BY event_id, position",
        "speakers": "SELECT * FROM core.event_speakers ORDER BY event_id, position",
        "organizations": "SELECT * FROM core.organizations ORDER BY organization_id",
        "aliases": "SELECT * FROM core.organization_aliases ORDER BY alias_folded",
        "people": "SELECT * FROM core.people ORDER BY person_id",
        "links": "SELECT * FROM core.person_links ORDER BY person_id, other_person_id",
        "organization_links": "SELECT * FROM core.organization_links ORDER BY organization_id, other_organization_id",
        "serials": """SELECT (SELECT last_value FROM core.events_event_id_seq),
                             (SELECT last_value FROM core.people_person_id_seq),
                             (SELECT last_value FROM core.organizations_organization_id_seq)""",
    }
    return {name: conn.execute(sql).fetchall() for name, sql in tables.items()}


def _article_id(conn, url: str) -> int:
    return conn.execute("SELECT article_id FROM core.articles WHERE url = %s", (url,)).fetchone()[0]


def test_reference_events_round_trip_and_link_across_languages(database_url):
    migrate(database_url)
    records = {lang: _reference_record(lang) for lang in ("en", "ru")}
    for lang in ("en", "ru"):
        assert records[lang]["events"] == _gold(lang)["events"]

    with db.connect(database_url) as conn:
        load_records(conn, [(None, T0, T0, records["en"])], EXTRACTOR_VERSION)
        load_records(conn, [(None, T0, T0, records["ru"])], EXTRACTOR_VERSION)
        for lang in ("en", "ru"):
            exported = list(export_records(conn, url=records[lang]["url"]))
            assert len(exported) == 1
            assert exported[0]["events"] == _gold(lang)["events"]

        # BISR (speaker's affiliation, EN) and БИСИ (RU) are one organization; so are the
        # curated KISI's English and Russian names among the organizers.
        bisr = conn.execute("""SELECT DISTINCT organization_id FROM core.event_speakers""").fetchall()
        assert len(bisr) == 1
        assert conn.execute("SELECT key, curated FROM core.organizations WHERE organization_id = %s",
                            bisr[0]).fetchone() == ("bisr", True)
        kisi = conn.execute("""SELECT DISTINCT o.key FROM core.event_organizers eo
                               JOIN core.organizations o USING (organization_id) WHERE eo.position = 0""").fetchall()
        assert kisi == [("kisi",)]

        # Oleg Makarov = Олег Макаров: the same speaker position of the same event in a translation pair.
        links = conn.execute("""SELECT p1.name, p2.name, l.evidence FROM core.person_links l
                                JOIN core.people p1 ON p1.person_id = l.person_id
                                JOIN core.people p2 ON p2.person_id = l.other_person_id""").fetchall()
        assert sorted([tuple(sorted(link[:2])) + (link[2],) for link in links]) == \
            [("Oleg Makarov", "Олег Макаров", "translation_pair")]

        # Organizers at the same positions are linked across languages, unless one row already
        # holds both spellings (the curated KISI).
        org_links = conn.execute("""SELECT o1.name_en, o2.name_ru FROM core.organization_links l
                                    JOIN core.organizations o1 ON o1.organization_id = l.organization_id
                                    JOIN core.organizations o2 ON o2.organization_id = l.other_organization_id
                                    ORDER BY 1""").fetchall()
        assert org_links == [
            ("Library of the First President of the Republic of Kazakhstan — Elbasy",
             "Библиотека Первого Президента Республики Казахстан – Елбасы"),
            ("Nursultan Nazarbayev Foundation", "Фонд Нурсултана Назарбаева"),
        ]

        # Loading the same records again, and replacing events with the same events, changes nothing.
        before = _snapshot(conn)
        load_records(conn, [(None, T0, T0 + dt.timedelta(days=1), records["en"])], EXTRACTOR_VERSION)
        with conn.transaction():
            replace_events(conn, _article_id(conn, records["en"]["url"]), records["en"]["events"])
            replace_events(conn, _article_id(conn, records["ru"]["url"]), records["ru"]["events"])
        assert _snapshot(conn) == before


def test_reload_replaces_events_and_deleting_article_removes_them(database_url):
    migrate(database_url)
    record = _reference_record("en")
    with db.connect(database_url) as conn:
        load_records(conn, [(None, T0, T0, record)], EXTRACTOR_VERSION)
        article_id = _article_id(conn, record["url"])
        first_event_id = conn.execute("SELECT event_id FROM core.events WHERE article_id = %s",
                                      (article_id,)).fetchone()[0]

        # A second event appears and the first one changes: the first keeps its id, is updated in
        # place, and its children are rewritten; nothing is duplicated.
        changed = copy.deepcopy(record["events"])
        changed[0]["participants_count"] = 600
        changed[0]["speakers"] = []
        second = {**copy.deepcopy(record["events"][0]), "name": "Another", "type": "round table",
                  "organizers": [{"name": "Belarusian Institute of Strategic Research", "acronym": "BISR"}],
                  "sessions": [], "speakers": []}
        with conn.transaction():
            replace_events(conn, article_id, changed + [second])
        stored = events_for_articles(conn, [article_id])[article_id]
        assert stored == changed + [second]
        assert conn.execute("SELECT event_id FROM core.events WHERE article_id = %s AND position = 0",
                            (article_id,)).fetchone()[0] == first_event_id
        assert conn.execute("SELECT count(*) FROM core.event_speakers").fetchone()[0] == 0
        # The alias table joins the written-out name with the acronym the earlier speaker used.
        assert conn.execute("""SELECT count(DISTINCT organization_id) FROM core.organization_aliases
                               WHERE alias_folded IN ('bisr', 'belarusian institute of strategic research', 'ббиси', 'биси')
                            """).fetchone()[0] == 1

        with conn.transaction():
            replace_events(conn, article_id, [second])
        assert events_for_articles(conn, [article_id])[article_id] == [second]
        assert conn.execute("SELECT count(*) FROM core.events").fetchone()[0] == 1

        with conn.transaction():
            replace_events(conn, article_id, [])
        assert events_for_articles(conn, [article_id]) == {}

        with conn.transaction():
            replace_events(conn, article_id, record["events"])
        conn.execute("DELETE FROM core.articles WHERE article_id = %s", (article_id,))
        assert conn.execute("SELECT count(*) FROM core.events").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM core.event_sessions").fetchone()[0] == 0


@pytest.mark.parametrize("bad, message", [
    ({"start_date": "10 December 2021"}, "start_date is not an ISO date"),
    ({"format": "virtual"}, "format must be"),
    ({"participants_count": "500"}, "participants_count must be"),
    ({"country": "Kazakhstan"}, "country must be"),
    ({"venue": "Hall A"}, "unknown fields"),
])
def test_bad_events_are_refused_with_a_clear_error_and_nothing_changes(database_url, bad, message):
    migrate(database_url)
    record = _reference_record("en")
    with db.connect(database_url) as conn:
        load_records(conn, [(None, T0, T0, record)], EXTRACTOR_VERSION)
        article_id = _article_id(conn, record["url"])
        before = _snapshot(conn)
        with pytest.raises(EventsError, match=message):
            with conn.transaction():
                replace_events(conn, article_id, [{**record["events"][0], **bad}])
        assert _snapshot(conn) == before


def test_spellings_linked_in_a_chain_are_one_organization_and_one_person(database_url):
    """The keys are stored: links written outside the loader take effect once refresh_keys runs
    (the loader runs it for every link it adds or removes)."""
    migrate(database_url)
    with db.connect(database_url) as conn, conn.cursor() as cur:
        ids = [cur.execute("INSERT INTO core.organizations (key, name_en, name_ru, acronyms) VALUES (%s, %s, %s, %s) "
                           "RETURNING organization_id", (key, en, ru, acr)).fetchone()[0]
               for key, en, ru, acr in (("a", None, "Казахстанский институт", ["КИСИ"]), ("b", "KazISS", None, []),
                                        ("c", "KISI", None, ["KISI"]), ("d", "IISS", None, []))]
        people = [cur.execute("INSERT INTO core.people (name, name_folded, script) VALUES (%s, %s, %s) "
                              "RETURNING person_id", (name, name.casefold(), script)).fetchone()[0]
                  for name, script in (("Алексей Иванов", "Cyrl"), ("Alexei Ivanov", "Latn"), ("Aleksei Ivanov", "other"))]

        def keys():
            orgs = {i: (k, n, a) for i, k, n, a in cur.execute(
                """SELECT organization_id, organization_key, name,
                          ARRAY(SELECT acronym FROM core.organization_acronyms a
                                WHERE a.organization_key = k.organization_key ORDER BY 1)
                   FROM core.organization_keys k""")}
            persons = {i: (k, n) for i, k, n in cur.execute("SELECT person_id, person_key, name FROM core.person_keys")}
            return [orgs[i] for i in ids], [persons[i] for i in people]

        # New rows are their own group.
        assert keys()[0][3] == (ids[3], "IISS", [])
        # Links A-B and B-C (never A-C): one organization, one person.
        for table, columns, (x, y, z) in (("organization_links", "organization_id, other_organization_id", ids[:3]),
                                          ("person_links", "person_id, other_person_id", people)):
            for left, right in ((x, y), (y, z)):
                cur.execute(f"INSERT INTO core.{table} ({columns}, evidence) VALUES (%s, %s, 'test')",
                            (min(left, right), max(left, right)))
        refresh_keys(cur, organization_ids=ids[:3], person_ids=people)
        orgs, persons = keys()
        # The smallest id is the key; the name is English (the first English row), acronyms all of them.
        assert orgs == [(ids[0], "KazISS", ["KISI", "КИСИ"])] * 3 + [(ids[3], "IISS", [])]  # IISS is another
        assert persons == [(people[0], "Alexei Ivanov")] * 3

        # B-C goes: C is an organization (person) of its own again.
        cur.execute("DELETE FROM core.organization_links WHERE organization_id = %s AND other_organization_id = %s",
                    (min(ids[1], ids[2]), max(ids[1], ids[2])))
        cur.execute("DELETE FROM core.person_links WHERE person_id = %s AND other_person_id = %s",
                    (min(people[1], people[2]), max(people[1], people[2])))
        refresh_keys(cur, organization_ids=ids[1:3], person_ids=people[1:])
        orgs, persons = keys()
        assert orgs[:3] == [(ids[0], "KazISS", ["КИСИ"])] * 2 + [(ids[2], "KISI", ["KISI"])]
        assert persons == [(people[0], "Alexei Ivanov")] * 2 + [(people[2], "Aleksei Ivanov")]


def test_a_long_chain_of_links_is_one_group_and_refreshing_it_is_cheap(database_url):
    """6,000 spellings linked in one chain (the size that took the recursive view 99 s per query)."""
    migrate(database_url)
    n = 6000
    with db.connect(database_url) as conn, conn.cursor() as cur:
        ids = [r[0] for r in cur.execute(
            "INSERT INTO core.organizations (key, name_ru) SELECT 'k' || g, 'Орг ' || g FROM generate_series(1, %s) g "
            "RETURNING organization_id", (n,))]
        ids.sort()
        cur.execute("""INSERT INTO core.organization_links (organization_id, other_organization_id, evidence)
                       SELECT a, b, 'test' FROM unnest(%s::bigint[], %s::bigint[]) AS l(a, b)""", (ids[:-1], ids[1:]))
        refresh_keys(cur, organization_ids=ids)
        assert cur.execute("SELECT count(DISTINCT organization_key), min(organization_key) FROM core.organization_keys"
                           ).fetchone() == (1, ids[0])
        # One link in the middle goes: two groups, found from the stored keys (not by walking the chain).
        cur.execute("DELETE FROM core.organization_links WHERE organization_id = %s", (ids[n // 2],))
        refresh_keys(cur, organization_ids=[ids[n // 2], ids[n // 2 + 1]])
        assert cur.execute("SELECT organization_key, count(*) FROM core.organization_keys GROUP BY 1 ORDER BY 1"
                           ).fetchall() == [(ids[0], n // 2 + 1), (ids[n // 2 + 1], n - n // 2 - 1)]


def test_links_an_old_version_of_the_events_made_go_when_the_events_change(database_url):
    migrate(database_url)
    records = {lang: _reference_record(lang) for lang in ("en", "ru")}
    with db.connect(database_url) as conn:
        load_records(conn, [(None, T0, T0, records["en"]), (None, T0, T0, records["ru"])], EXTRACTOR_VERSION)
        # The Russian report is corrected: another speaker at that position.
        changed = copy.deepcopy(records["ru"]["events"])
        changed[0]["speakers"][0]["name"] = "Иван Петров"
        with conn.transaction():
            replace_events(conn, _article_id(conn, records["ru"]["url"]), changed)
        links = conn.execute("""SELECT p1.name, p2.name FROM core.person_links l
                                JOIN core.people p1 ON p1.person_id = l.person_id
                                JOIN core.people p2 ON p2.person_id = l.other_person_id""").fetchall()
    assert [tuple(sorted(link)) for link in links] == [("Oleg Makarov", "Иван Петров")]
