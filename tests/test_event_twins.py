"""Stored event twins (sql/053_event_twins.sql): the reports of one event in an article and its
translation, kept by triggers whatever writes the articles and events. Real PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt

from etl.store import db
from etl.extract import EXTRACTOR_VERSION
from etl.store.load import load_records
from etl.store.migrate import migrate
from test_events_warehouse import _reference_record

T0 = dt.datetime(2021, 12, 11, 9, 0, tzinfo=dt.timezone.utc)


def stale_twins(conn) -> list[tuple]:
    """Stored rows that differ from pairing every event again (either way): none when the triggers
    kept the table."""
    return conn.execute(
        """(SELECT 'stored', * FROM core.event_twins
            EXCEPT SELECT 'stored', * FROM core.event_twins_of(ARRAY(SELECT article_id FROM core.articles)))
           UNION ALL
           (SELECT 'computed', * FROM core.event_twins_of(ARRAY(SELECT article_id FROM core.articles))
            EXCEPT SELECT 'computed', * FROM core.event_twins)""").fetchall()


def load(conn, *records) -> None:
    load_records(conn, [(None, T0, T0, r) for r in records], EXTRACTOR_VERSION)


def test_twins_follow_loads_reloads_and_deletes(database_url):
    migrate(database_url)
    en, ru = _reference_record("en"), _reference_record("ru")
    with db.connect(database_url) as conn:
        # The Russian report alone: no twin, its own name.
        load(conn, ru)
        assert conn.execute("SELECT count(*) FROM core.event_twins").fetchone()[0] == 0
        # Its translation arrives later: one event in two reports, named in English in both.
        load(conn, en)
        assert stale_twins(conn) == [] and conn.execute("SELECT count(*) FROM core.event_twins").fetchone()[0] > 0
        title = "Leadership. Stability. Progress"
        assert [(lang, title_) for lang, _, _, title_ in reports_at(conn)] == [("en", title), ("ru", title)]
        assert sorted(first for _, _, first, _ in reports_at(conn)) == [False, True]
        # The English page changes the event's date: no longer the same event.
        moved = copy.deepcopy(en)
        moved["events"][0].update(start_date="2021-12-11", end_date="2021-12-11")
        moved["title"] = en["title"] + " (corrected)"
        load(conn, moved)
        assert stale_twins(conn) == []
        assert [first for _, _, first, _ in reports_at(conn)] == [True, True]
        assert reports_at(conn)[1][3] == ru["events"][0]["name"]
        # Back to the same date, then the English article goes: the Russian report stands alone again.
        load(conn, en)
        assert stale_twins(conn) == [] and sorted(first for _, _, first, _ in reports_at(conn)) == [False, True]
        conn.execute("DELETE FROM core.articles WHERE url = %s", (en["url"],))
        assert stale_twins(conn) == [] and conn.execute("SELECT count(*) FROM core.event_twins").fetchone()[0] == 0
        # A URL edited in place (by hand) pairs again too.
        load(conn, en)
        conn.execute("UPDATE core.articles SET url = url || '?moved' WHERE url = %s", (ru["url"],))
        assert stale_twins(conn) == []
        conn.execute("UPDATE core.articles SET url = %s WHERE url = %s", (ru["url"], ru["url"] + "?moved"))
        assert stale_twins(conn) == [] and conn.execute("SELECT count(*) FROM core.event_twins").fetchone()[0] > 0


def reports_at(conn) -> list[tuple]:
    """(language, is its own key, first report, title) of each report of the first event, by language."""
    return conn.execute(
        """SELECT r.language, r.event_key = r.event_id, r.first_report, r.event_title
           FROM reporting.events r JOIN core.events e USING (event_id)
           WHERE e.position = 0 ORDER BY r.language""").fetchall()
