"""Events an article reports: name, type, dates, place, format, organizers, sessions, speakers.

Deterministic and pattern-based, English and Russian. Modules: `text` (quotes, sentences),
`kinds` (event types, session nouns, format words), `dates`, `places` (over `etl.geo`),
`names` (event names, occasions), `organizations` (organizers, the think-tank alias table),
`people` (speakers with roles), `sessions`, `counts`, and `builder`, which ties them together.
"""

from __future__ import annotations

from etl.record import EVENT_FIELDS as _EVENT_FIELDS
from etl.record import Article

EVENT_FIELDS = _EVENT_FIELDS  # declared with the record (etl/record.py)


def extract_events(article: Article) -> list[dict]:
    """The events the article reports, in the record's event shape; [] when it reports none.

    Uses the body paragraphs, the title (a page titled "Meeting with ..." reports a meeting),
    the publication date (the year of dates written without one; "today") and, when the
    article carries one, the place the page states (`article.place`, a dateline).
    """
    from etl.events.builder import Context, build_events
    from etl.events.dates import context_year, published_date
    from etl.events.text import detect_language, normalize

    if article.language not in (None, "en", "ru"):
        return []  # the patterns are English and Russian; other languages are not guessed at
    paragraphs = [normalize(p) for p in (article.body_paragraphs or []) if p and p.strip()]
    if not paragraphs:
        return []
    language = detect_language(article.language, paragraphs)
    published = published_date(article.published_at)
    title = normalize(article.title) if article.title else None
    context = Context(
        language=language,
        default_year=context_year(paragraphs, language, published),
        published=published,
        dateline=getattr(article, "place", None),
        title=title,
        first_paragraph=paragraphs[0],
    )
    return build_events(title, paragraphs, context)
