"""Stage 5: metadata — canonical URL, translation link, title, alt titles, publication date.

Everything here reads the page's own statements (link/meta tags, JSON-LD, the article's
markup). Dates are taken only from the article's scope or page-level metadata, never from
sidebars, teasers or the body text, which speak of other articles and of events.
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from typing import NamedTuple
from datetime import date
from urllib.parse import urljoin, urlsplit

from lxml import html

from etl.extract.content import normalize_text
from etl.extract.language import language_of_text, normalize_language_code
from etl.extract.quotes import repair_quotes
from etl.extract.tree import is_foreign

# ---------------------------------------------------------------- page-level statements


class PageMeta:
    """The <head> statements of a page and its JSON-LD, read once before cleaning."""

    def __init__(self, root: html.HtmlElement):
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, str, str | None]] = []  # (rel, href, hreflang)
        self.html_lang = normalize_language_code(root.get("lang") or root.get("xml:lang"))
        self.title_tag: str | None = None
        self.jsonld: list[dict] = []
        self.head = root.find("head")
        for el in root.iter("meta", "link", "title", "script"):
            if el.tag == "meta":
                # itemprop metas in the body describe their own item (a video, a photo):
                # they are read with the article's markup, in scope.
                if el.get("itemprop") is None or _in_head(el):
                    self._read_meta(el)
            elif el.tag == "link":
                rel = (el.get("rel") or "").lower()
                href = el.get("href")
                if rel and href:
                    self.links.append((rel, href.strip(), el.get("hreflang")))
            elif el.tag == "title":
                if self.title_tag is None:
                    self.title_tag = normalize_text(el.text_content()) or None
            elif (el.get("type") or "").lower() == "application/ld+json":
                self.jsonld.extend(_json_ld_objects(el.text or ""))

    def _read_meta(self, el) -> None:
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if key and value and value.strip():
            self.meta.setdefault(key.strip().lower(), value.strip())

    def get(self, *keys: str) -> str | None:
        for key in keys:
            if key in self.meta:
                return self.meta[key]
        return None


def _in_head(el) -> bool:
    return any(ancestor.tag == "head" for ancestor in el.iterancestors())


_JSONLD_FIELD = re.compile(r'"(@type|datePublished|dateCreated)"\s*:\s*"([^"]{1,100})"')


def _json_ld_objects(text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except ValueError:
        return [_json_ld_fields(text)]
    found: list[dict] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            found.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])
    return found


def _json_ld_fields(text: str) -> dict:
    """The first @type and dates of JSON-LD that is not valid JSON (trailing commas, ...)."""
    found: dict = {}
    for key, value in _JSONLD_FIELD.findall(text):
        found.setdefault(key, value)
    return found


# ---------------------------------------------------------------- URLs


def canonical_url(page: PageMeta, given_url: str | None) -> str | None:
    """<link rel=canonical>, else og:url, else the given URL; relative ones made absolute."""
    for rel, href, _ in page.links:
        if "canonical" in rel.split():
            return _absolute(href, given_url)
    og_url = page.get("og:url")
    if og_url:
        return _absolute(og_url, given_url)
    return given_url


def translation_url(page: PageMeta, language: str | None, base_url: str | None) -> str | None:
    """The first hreflang alternate in a language other than the page's, absolute."""
    for rel, href, hreflang in page.links:
        code = normalize_language_code(hreflang)
        if "alternate" in rel.split() and code and code != language and hreflang != "x-default":
            return _absolute(href, base_url)
    return None


def _absolute(href: str, base: str | None) -> str:
    return urljoin(base, href) if base else href


# ---------------------------------------------------------------- title

_TITLE_SEPARATOR = re.compile(r"\s+(?:[|•·:/\\»«~]|::|[-–—]{1,2})\s+")


def find_headline(root, scope) -> html.HtmlElement | None:
    """The article's h1: inside the article's scope when possible, else the page's only h1."""
    if scope is not None:
        for h1 in scope.iter("h1"):
            if normalize_text(h1.text_content()):
                return h1
    h1s = [h1 for h1 in root.iter("h1") if normalize_text(h1.text_content())]
    return h1s[0] if len(h1s) == 1 else None


def clean_title(headline, page: PageMeta) -> str | None:
    if headline is not None:
        return normalize_text(headline.text_content())
    og_title = page.get("og:title", "twitter:title")
    if og_title:
        return normalize_text(og_title)
    if page.title_tag:
        return strip_site_name(page.title_tag, page.get("og:site_name"))
    return None


def strip_site_name(title: str, site_name: str | None) -> str:
    """'Headline | Site' -> 'Headline' (the longest part when the site name is unknown)."""
    if site_name:
        match = re.search(_TITLE_SEPARATOR.pattern + re.escape(site_name) + r"\s*$", title)
        if match:
            return title[:match.start()].strip()
    parts = _TITLE_SEPARATOR.split(title)
    return max(parts, key=len).strip() if len(parts) > 1 else title


# ---------------------------------------------------------------- alt titles

_DIGITS = re.compile(r"\d+")


def headline_candidates(root) -> list[tuple[str, frozenset]]:
    """Texts that may repeat the headline (image alt/title, captions, top headings), each with
    its ancestors. Read before furniture is removed: captions are furniture for the body."""
    found = []
    for el in root.iter("img", "figcaption", "h1", "h2", "div", "span", "p"):
        texts = []
        if el.tag == "img":
            texts = [el.get("alt"), el.get("title")]
        elif el.tag in ("figcaption", "h1", "h2") or "caption" in (el.get("class") or ""):
            texts = [el.text_content()]
        for text in filter(None, (normalize_text(t or "") for t in texts)):
            if len(text) < 300 and len(text.split()) >= 3:
                found.append((text, frozenset(el.iterancestors())))
    return found


def alt_titles(candidates, scope, title: str | None, language: str | None) -> dict[str, str]:
    """Headlines in other languages inside the article, by language, quotes repaired.

    A candidate must look like the headline translated: another language, a comparable number
    of words and the same numbers. The most repeated one wins (alt, title and caption often
    all carry it).
    """
    if scope is None or not title or not language:
        return {}
    title_words = len(title.split())
    title_numbers = sorted(_DIGITS.findall(title))
    counts: dict[str, int] = {}
    for text, ancestors in candidates:
        if scope in ancestors:
            counts[text] = counts.get(text, 0) + 1
    found: dict[str, str] = {}
    for text in sorted(counts, key=lambda t: -counts[t]):  # stable: page order among ties
        code = language_of_text(text)
        if not code or code == language or code in found:
            continue
        if not title_words / 2 <= len(text.split()) <= title_words * 2:
            continue
        if sorted(_DIGITS.findall(text)) != title_numbers:
            continue
        found[code] = repair_quotes(text)
    return found


# ---------------------------------------------------------------- publication date

_DATE_META_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article.published", "published_time", "publishdate", "publish-date",
    "publish_date", "pubdate", "pub_date", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created",
    "dcterms.created", "citation_publication_date", "citation_date", "date",
    "article_date_original", "cxenseparse:recs:publishtime", "originalpublicationdate",
    "og:pubdate", "ya:ovs:upload_date", "release_date", "created",
)
_ARTICLE_TYPES = re.compile(r"article|posting|report|news|blog|webpage|creativework", re.I)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\D|$)")
_WORDY_DATE = re.compile(r"\b(\d{1,2})\.?\s+([^\W\d_]{3,})\.?,?\s+(\d{4})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DATE_CLASS = re.compile(r"date|publish|posted|pubtime|time", re.I)
# Month names by their first letters (Russian genitive and nominative share a stem).
_MONTH_STEMS = (
    ("jan", "янв"), ("feb", "фев"), ("mar", "мар"), ("apr", "апр"), ("may", "ма"),
    ("jun", "июн"), ("jul", "июл"), ("aug", "авг"), ("sep", "сен"), ("oct", "окт"),
    ("nov", "ноя"), ("dec", "дек"),
)


def _month_number(word: str) -> int | None:
    word = word.lower()
    for number, stems in enumerate(_MONTH_STEMS, start=1):
        if any(word.startswith(stem) for stem in stems):
            return number
    return None


class DateCandidate(NamedTuple):
    rank: int  # 0 itemprop=datePublished, 1 time[datetime], 2 an element classed as a date
    value: str
    ancestors: frozenset
    foreign: bool  # inside a sidebar, related-news block, menu, footer...


def date_candidates(root) -> list[DateCandidate]:
    """Dates stated in the page's markup, read before furniture is removed (bylines are
    furniture for the body but hold the date), each marked foreign or not."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        candidate = _date_candidate_value(el)
        if candidate is None:
            continue
        rank, value = candidate
        ancestors = list(el.iterancestors())
        foreign = is_foreign(el) or any(is_foreign(a) for a in ancestors)
        found.append(DateCandidate(rank, value, frozenset(ancestors), foreign))
    return found


def _date_candidate_value(el) -> tuple[int, str] | None:
    itemprop = (el.get("itemprop") or "").lower()
    if itemprop in ("datepublished", "datecreated"):
        if _describes_media(el):
            return None
        return 0, el.get("content") or el.get("datetime") or el.text_content()
    marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.getparent().get("class")
                                   if el.getparent() is not None else None))).lower()
    if "updat" in marks or "modif" in marks or "edit" in marks:
        return None
    if el.tag == "time" and el.get("datetime"):
        return 1, el.get("datetime")
    if _DATE_CLASS.search(el.get("class") or "") and len(el) <= 3:
        text = el.text_content()
        if 6 <= len(text.strip()) <= 80:
            return 2, text
    return None


_MEDIA_ITEMTYPES = re.compile(r"video|image|photo|media|audio|clip|comment|review", re.I)


def _describes_media(el) -> bool:
    """True when the nearest microdata item around `el` is a video, photo, comment..."""
    for ancestor in el.iterancestors():
        if ancestor.get("itemscope") is not None:
            return bool(_MEDIA_ITEMTYPES.search(ancestor.get("itemtype") or ""))
    return False


def dateline_date(paragraph: str) -> str | None:
    """The date when a paragraph is nothing but a date ("January 18, 2020", "18.01.2020")."""
    if len(paragraph) > 40 or len(paragraph.split()) > 6 or not _YEAR.search(paragraph):
        return None
    return parse_date(paragraph)


def published_date(page: PageMeta, candidates: list[DateCandidate], scope, page_without_text,
                   url: str | None, dateline: str | None = None) -> str | None:
    """ISO date of publication from the page's own statements, or None.

    `page_without_text` is the cleaned page (furniture with other articles' dates gone)
    without the article's text (which speaks of events): what htmldate may search.
    """
    found = date_from_url(url)
    if found:
        return found
    for finder in (_date_from_meta, _date_from_jsonld):
        found = finder(page)
        if found:
            return found
    if scope is not None:
        found = _date_from_markup(candidates, scope)
        if found:
            return found
    return dateline or _date_from_htmldate(page_without_text, url)


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)")


def date_from_url(url: str | None) -> str | None:
    """A full date in the URL path (/2020/04/13/, /20200413/): the site's own filing date,
    which is the local publication date where metadata often gives UTC."""
    if not url:
        return None
    path = urlsplit(url).path
    match = _URL_DATE.search(path)
    return _valid_date(*(int(g) for g in match.groups())) if match else None


def _date_from_meta(page: PageMeta) -> str | None:
    for key in _DATE_META_KEYS:
        value = page.meta.get(key)
        if value:
            found = parse_date(value)
            if found:
                return found
    return None


def _date_from_jsonld(page: PageMeta) -> str | None:
    fallback = None
    for item in page.jsonld:
        value = item.get("datePublished") or item.get("dateCreated")
        if not isinstance(value, str):
            continue
        found = parse_date(value)
        if not found:
            continue
        kind = item.get("@type")
        kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
        if _ARTICLE_TYPES.search(kinds):
            return found
        fallback = fallback or found
    return fallback


def _date_from_markup(candidates: list[DateCandidate], scope) -> str | None:
    """The best-ranked date stated inside the article, outside foreign blocks."""
    for candidate in sorted(candidates, key=lambda c: c.rank):  # stable: page order per rank
        if candidate.foreign or scope not in candidate.ancestors:
            continue
        found = parse_date(candidate.value)
        if found:
            return found
    return None


def _date_from_htmldate(root, url: str | None) -> str | None:
    """htmldate (markup, URL and text rules) on what is left of the page: no sidebars, no
    related news, no article text."""
    try:
        from htmldate import find_date

        found = find_date(root, url=url, extensive_search=True,
                          original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is a best-effort helper; a failure there is "no date"
        return None
    if not found or found.endswith("-01-01"):
        return None  # a year alone (a copyright line) is htmldate's last resort, not a date
    return found


def parse_date(value: str | None) -> str | None:
    """YYYY-MM-DD from an ISO/slashed/dotted/compact date string, if plausible."""
    if not value:
        return None
    value = value.strip()
    for pattern, order in ((_ISO_DATE, "ymd"), (_SLASH_DATE, "ymd"), (_DOTTED_DATE, "dmy"),
                           (_COMPACT_DATE, "ymd")):
        match = pattern.search(value)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups())))
            return _valid_date(parts["y"], parts["m"], parts["d"])
    return _parse_free_date(value)


def _parse_free_date(value: str) -> str | None:
    # Without a year dateutil fills in today's: only texts stating a year are dates.
    if len(value) > 80 or not re.search(r"\b\d{4}\b", value):
        return None
    value = normalize_text(value)
    match = _WORDY_DATE.search(value)
    if match:
        month = _month_number(match.group(2))
        if month:
            return _valid_date(int(match.group(3)), month, int(match.group(1)))
    try:
        from dateutil import parser as dateutil_parser

        with warnings.catch_warnings():  # unknown time zone names do not matter for a date
            warnings.simplefilter("ignore")
            parsed = dateutil_parser.parse(value, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    return _valid_date(parsed.year, parsed.month, parsed.day)


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if not 1990 <= found.year <= date.today().year + 1:
        return None
    return found.isoformat()
