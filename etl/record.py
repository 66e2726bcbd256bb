"""The record every page becomes (contract: shared/reference/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Longer URLs are neither followed nor stored: no site means one (browsers stop near 2,000
# characters), and a btree index entry could not hold it.
MAX_URL_LENGTH = 2048

# Order matters: `extract` and `export` print records with keys in this order.
RECORD_FIELDS = (
    "url",
    "source",
    "language",
    "title",
    "alt_titles",
    "published_at",
    "translation_of_url",
    "body_paragraphs",
    "countries_mentioned",
    "events",
)


def empty_record(url: str | None = None, source: str | None = None) -> dict:
    """A record with every field present and nothing known yet."""
    return {
        "url": url,
        "source": source,
        "language": None,
        "title": None,
        "alt_titles": {},
        "published_at": None,
        "translation_of_url": None,
        "body_paragraphs": [],
        "countries_mentioned": [],
        "events": [],
    }


@dataclass
class Article:
    """The article fields of a page, as the extractor found them (events come later)."""

    url: str | None
    language: str | None
    title: str | None
    alt_titles: dict[str, str] = field(default_factory=dict)
    published_at: str | None = None
    translation_of_url: str | None = None
    body_paragraphs: list[str] = field(default_factory=list)
    place: str | None = None  # the place the page's markup states for the article (a dateline), if any
    lead: str | None = None  # the lead / standfirst the markup states for the article, if any
    date_line: str | None = None  # ISO day of the article's date line when the markup declares it
