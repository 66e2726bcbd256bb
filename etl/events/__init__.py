"""Events an article reports: name, type, dates, place, format, organizers, sessions, speakers.

Deterministic and pattern-based, English and Russian. Modules: `text` (quotes, sentences),
`kinds` (event types, session nouns, format words), `dates`, `places` (over `etl.geo`),
`names` (event names, occasions), `organizations` (organizers, the think-tank alias table),
`people` (speakers with roles), `sessions`, `counts`, and `builder`, which ties them together.
"""

from __future__ import annotations

import functools

from etl.record import EVENT_FIELDS as _EVENT_FIELDS
from etl.record import Article

EVENT_FIELDS = _EVENT_FIELDS  # declared with the record (etl/record.py)


def extract_events(article: Article) -> list[dict]:
    """The event the article reports, in the record's event shape; [] when it reports none.

    Reads all the evidence the page gives: the title ("Meeting with ...", "Visit to ..."), the
    lead, the date line, the place line (`article.place`) and the body. A language without a
    language pack (`etl.lang`) gets no events.
    """
    from etl.events.builder import Context, build_events
    from etl.events.dates import context_year, published_date
    from etl.events.text import detect_language, normalize
    from etl.lang import pack

    paragraphs = [normalize(p) for p in (article.body_paragraphs or []) if p and p.strip()]
    lead = normalize(article.lead) if getattr(article, "lead", None) else None
    if lead and not any(p.startswith(lead[:60]) for p in paragraphs[:3]):
        paragraphs.insert(0, lead)
    if not paragraphs:
        return []
    language = detect_language(article.language, paragraphs)
    language_pack = pack(language)
    if language_pack is None:
        return []  # no pack for the language: no other language's rules are guessed at
    filed_from, paragraphs[0] = _agency_dateline(paragraphs[0], language_pack)
    if not paragraphs[0]:
        paragraphs = paragraphs[1:] or [""]
    published = published_date(article.published_at)
    title = normalize(article.title) if article.title else None
    context = Context(
        language=language,
        year_source=functools.partial(context_year, paragraphs, language, published),
        published=published,
        dateline=getattr(article, "place", None),
        title=title,
        first_paragraph=paragraphs[0],
        date_line=published_date(getattr(article, "date_line", None)),
        pack=language_pack,
        filed_from=filed_from,
    )
    return build_events(title, paragraphs, context)


def _agency_dateline(paragraph: str, language_pack) -> tuple[str | None, str]:
    """A news agency's dateline opening the text ("МОСКВА, 3 декабря. /ТАСС/."): where the story
    was filed, not where the event was; cut from the text so that its date and city are not read
    as the event's."""
    match = language_pack.agency_dateline.match(paragraph)
    city = (match.group("city") or match.groupdict().get("city_after_date") or "") if match else ""
    if len(city) < 3 or match.end() >= len(paragraph):
        return None, paragraph
    from etl.geo import resolve_city

    if resolve_city(city.title(), language_pack.code) is None:
        return None, paragraph
    return city, paragraph[match.end():]
