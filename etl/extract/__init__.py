"""Page -> record. Stages: decode -> article fields -> countries -> events.

`extract_record` is the one entry point used by the CLI, the pipeline and the DAG.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from etl.record import empty_record

# Bump when extraction output can change for the same input: reprocessing keys on it.
EXTRACTOR_VERSION = "0.1.0"


def extract_record(html: bytes | str, url: str | None = None, source: str | None = None,
                   sources=None, *, charset: str | None = None, selectors: dict | None = None,
                   with_events: bool = True) -> dict:
    """Extract the record of one page. Never raises for bad input: the record gets `error`.

    `url` is where the page was fetched (or given on the command line); the record's `url`
    is the page's canonical URL when it states one. `source` names the configured source; when
    it is None it is looked up in `sources` by the URL's host, else the host itself is used.
    `charset` is the one the HTTP response declared; `selectors` a source's CSS overrides.
    """
    from etl.extract.article import ExtractionError, decode_html, extract_article

    try:
        if isinstance(html, bytes) and charset:
            html = decode_html(html, charset)
        article = extract_article(html, url, selectors=selectors)
    except ExtractionError as exc:
        record = empty_record(url, _source_name(url, source, sources))
        record["error"] = str(exc)
        return record

    record = empty_record(article.url or url, _source_name(article.url or url, source, sources))
    record.update(
        language=article.language,
        title=article.title,
        alt_titles=article.alt_titles,
        published_at=article.published_at,
        translation_of_url=article.translation_of_url,
        body_paragraphs=article.body_paragraphs,
    )
    from etl.geo import countries_mentioned

    record["countries_mentioned"] = countries_mentioned(article.body_paragraphs, article.language)
    if with_events:
        from etl.events import extract_events

        record["events"] = extract_events(article)
    return record


def _source_name(url: str | None, source: str | None, sources) -> str | None:
    if source:
        return source
    if not url:
        return None
    if sources is not None:
        from etl.sources import source_for_url

        match = source_for_url(sources, url)
        if match is not None:
            return match.name
    return urlsplit(url).hostname
