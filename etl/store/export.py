"""Records back out of the warehouse, in the same shape as `extract` prints them."""

from __future__ import annotations

from collections.abc import Iterator

from etl.record import RECORD, RECORD_FIELDS

# The record's fields stored as core.articles columns (etl/record.py); events come from their tables.
_COLUMNS = ("article_id", *RECORD.columns())


def export_records(conn, url: str | None = None, source: str | None = None) -> Iterator[dict]:
    from etl.store.load_events import events_for_articles

    rows = conn.execute(
        f"""SELECT {', '.join(_COLUMNS)} FROM core.articles
            WHERE (%(url)s::text IS NULL OR url = %(url)s) AND (%(source)s::text IS NULL OR source = %(source)s)
            ORDER BY source, url""",
        {"url": url, "source": source},
    ).fetchall()
    events = events_for_articles(conn, [row[0] for row in rows])
    for row in rows:
        values = dict(zip(_COLUMNS, row))
        article_id = values.pop("article_id")
        for name in RECORD.columns(("date",)):
            if values[name] is not None:
                values[name] = values[name].isoformat()
        values["events"] = events.get(article_id, [])
        yield {key: values[key] for key in RECORD_FIELDS}
