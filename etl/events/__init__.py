"""Events an article reports: name, type, dates, place, format, organizers, sessions, speakers."""

from __future__ import annotations

from etl.record import Article


def extract_events(article: Article) -> list[dict]:
    """The events the article reports, in the record's event shape; [] when it reports none."""
    return []
