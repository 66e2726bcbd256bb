"""Stage 5b: the publication date, from the page's own statements only.

Order: a full date in the URL (the site's filing date), page metadata (meta tags, JSON-LD,
RDF), dates marked up inside the article (itemprop, time, date-classed fields), a date line
at the top of the body, then htmldate on what is left of the page once sidebars, related
news and the article's text are gone. Never a date from a sidebar, a teaser, or the text
(which speaks of events), nor from the page's own header (today's date). Timestamps stated
in UTC become the publisher's local date when the page says where it is: the offset of its
other timestamps, its locale region, or its country domain.
"""

from __future__ import annotations

import re
import warnings
from contextlib import contextmanager
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple
from urllib.parse import urlsplit

from lxml import etree

from etl.extract.content import normalize_text
from etl.extract.metadata import PageMeta
from etl.extract.tree import is_foreign, text_of

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
_DOTTED_DATE = re.compile(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{4})\b")
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
    foreign_memo: dict = {}
    for el in _may_state_a_date(root):
        candidate = _date_candidate_value(el)
        if candidate is None:
            continue
        rank, value = candidate
        ancestors = list(el.iterancestors())
        foreign = any(_cached(foreign_memo, a) for a in (el, *ancestors))
        found.append(DateCandidate(rank, value, frozenset(ancestors), foreign))
    return found


def _cached(memo: dict, el) -> bool:
    if el not in memo:
        # A block that links nowhere cannot be a teaser of other pages: an aside holding
        # just the article's date is the article's own furniture.
        memo[el] = is_foreign(el) and next(el.iter("a"), None) is not None
    return memo[el]


_DATE_ITEMPROPS = frozenset({"datePublished", "dateCreated", "datepublished", "datecreated"})
_DATE_CLASS_WORDS = re.compile("date|Date|publish|posted|time|Time")  # case as written


def _may_state_a_date(root) -> list:
    """The few elements that can state a date, in page order: itemprop datePublished or
    dateCreated, time[datetime], or a class holding a date word. One pass reading two
    attributes: an XPath query with these predicates costs several times as much."""
    found = []
    for el in root.iter(etree.Element):  # elements only, not comments
        css_class = el.get("class")
        if (el.get("itemprop") in _DATE_ITEMPROPS
                or (el.tag == "time" and el.get("datetime") is not None)
                or (css_class and _DATE_CLASS_WORDS.search(css_class))):
            found.append(el)
    return found


def _date_candidate_value(el) -> tuple[int, str] | None:
    itemprop = (el.get("itemprop") or "").lower()
    if itemprop in ("datepublished", "datecreated"):
        if _describes_media(el):
            return None
        return 0, el.get("content") or el.get("datetime") or text_of(el)
    marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.getparent().get("class")
                                   if el.getparent() is not None else None))).lower()
    if "updat" in marks or "modif" in marks or "edit" in marks:
        return None
    if el.tag == "time" and el.get("datetime"):
        return 1, el.get("datetime")
    if _DATE_CLASS.search(el.get("class") or "") and len(el) <= 3:
        text = text_of(el)
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
                   url: str | None, dateline: str | None = None,
                   with_text=None, language: str | None = None,
                   served_page: str | None = None) -> str | None:
    """ISO date of publication from the page's own statements, or None.

    `page_without_text` is the cleaned page (furniture with other articles' dates gone)
    without the article's text (which speaks of events): what htmldate searches first;
    `with_text()` gives the cleaned page with the text back: when the URL gives the month
    and nothing else gives the day, the text's dates of that month are searched (elsewhere
    the text's dates are its events').
    A URL stating only a year and month (/2016/12/slug) does not give the date: it narrows
    the candidates to that month.
    """
    found = date_from_url(url)
    if found:
        return found
    month = month_from_url(url)
    zone = publisher_zone(page, url)
    stated = [lambda finder=finder: finder(page, zone)
              for finder in (_date_from_meta, _date_from_jsonld, _date_from_rdf)]
    if scope is not None:
        stated.append(lambda: _date_from_markup(candidates, scope, zone))
    stated.append(lambda: dateline)
    for finder in stated:
        found = finder()
        if found and within_month(found, month):
            return found
    # htmldate reads the URL too, and makes a month-only one the 1st: not given the URL then.
    htmldate_url = url if month is None else None
    found = _date_from_htmldate(page_without_text, htmldate_url, language=language)
    if found:
        return found
    if month is not None and with_text is not None:
        return _date_from_htmldate(with_text(), None, month, language)
    if served_page:
        return _served_page_date(served_page, htmldate_url, candidates, zone, language)
    return None


def _served_page_date(served_page: str, url: str | None, candidates: list[DateCandidate],
                      zone, language: str | None) -> str | None:
    """htmldate on the page as served (scripts and comments included: some pages state
    their date only there), unless its answer is a date that other content on the page
    states (a sidebar's, a teaser's): that is not this article's."""
    found = _date_from_htmldate(served_page, url, language=language)
    if found is None:
        return None
    foreign = {parse_date(c.value, zone) for c in candidates if c.foreign}
    return None if found in foreign else found


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])(?:/|$)")


def date_from_url(url: str | None) -> str | None:
    """A full date in the URL path (/2020/04/13/, /20200413/): the site's own filing date,
    which is the local publication date where metadata often gives UTC."""
    if not url:
        return None
    path = urlsplit(url).path
    match = _URL_DATE.search(path)
    return _valid_date(*(int(g) for g in match.groups())) if match else None


def month_from_url(url: str | None) -> tuple[int, int] | None:
    """(year, month) of a URL path that files the page by month only (/2016/12/slug)."""
    if not url:
        return None
    match = _URL_MONTH.search(urlsplit(url).path)
    if not match or not _valid_date(int(match.group(1)), int(match.group(2)), 1):
        return None
    return int(match.group(1)), int(match.group(2))


def within_month(found: str, month: tuple[int, int] | None) -> bool:
    return month is None or found[:7] == f"{month[0]:04d}-{month[1]:02d}"


def _date_from_meta(page: PageMeta, zone) -> str | None:
    """The publication date the page's meta tags state; when they state only when the page
    was last modified (no publication key at all), that date: it is what the page offers
    as its date (an evergreen guide kept up to date)."""
    for key in _DATE_META_KEYS:
        value = page.meta.get(key)
        if value:
            found = parse_date(value, zone)
            if found:
                return found
    for key in _MODIFIED_META_KEYS:
        found = parse_date(page.meta.get(key), zone)
        if found:
            return found
    return None


_MODIFIED_META_KEYS = ("article:modified_time", "og:updated_time")


def _date_from_rdf(page: PageMeta, zone) -> str | None:
    return parse_date(page.rdf_date, zone)


def _date_from_jsonld(page: PageMeta, zone) -> str | None:
    fallback = None
    for item in page.jsonld:
        value = item.get("datePublished") or item.get("dateCreated")
        if not isinstance(value, str):
            continue
        found = parse_date(value, zone)
        if not found:
            continue
        kind = item.get("@type")
        kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
        if _ARTICLE_TYPES.search(kinds):
            return found
        fallback = fallback or found
    return fallback


def _date_from_markup(candidates: list[DateCandidate], scope, zone) -> str | None:
    """The best-ranked date stated inside the article, outside foreign blocks."""
    for candidate in sorted(candidates, key=lambda c: c.rank):  # stable: page order per rank
        if candidate.foreign or scope not in candidate.ancestors:
            continue
        found = parse_date(candidate.value, zone)
        if found:
            return found
    return None


def _date_from_htmldate(page, url: str | None, month: tuple[int, int] | None = None,
                        language: str | None = None) -> str | None:
    """htmldate (markup, URL and text rules) on our cleaned tree or a page's text; within
    `month` if given."""
    bounds = {}
    if month is not None:
        year, number = month
        following = date(year + number // 12, number % 12 + 1, 1)
        bounds = {"min_date": f"{year:04d}-{number:02d}-01",
                  "max_date": (following - timedelta(days=1)).isoformat()}
    try:
        from htmldate import find_date

        # htmldate takes lxml.html trees or text; ours is a plain etree tree.
        if not isinstance(page, str):
            page = etree.tostring(page, encoding="unicode", method="html")
        with _dates_in_words_read_in(language):
            found = find_date(page, url=url, extensive_search=True,
                              original_date=True, outputformat="%Y-%m-%d", **bounds)
    except Exception:  # htmldate is a best-effort helper; a failure there is "no date"
        return None
    if not found or found.endswith("-01-01") or not within_month(found, month):
        return None  # a year alone (a copyright line) is htmldate's last resort, not a date
    return found


@contextmanager
def _dates_in_words_read_in(language: str | None):
    """htmldate parses a date in words ("17 de marzo de 2020") with dateparser, asking every
    one of its ~200 locales whether it applies, and compiling their patterns anew on each
    such date (seconds per date). The page's language is known: ask that one (and English,
    the web's lingua franca). Swapped for the call only; htmldate's own parser is restored."""
    from htmldate import extractors

    original = extractors.get_external_parser
    extractors.get_external_parser = lambda: _date_parser(language)
    try:
        yield
    finally:
        extractors.get_external_parser = original


@lru_cache(maxsize=32)
def _date_parser(language: str | None):
    from dateparser import DateDataParser

    languages = ["en"] if language in (None, "en") else [language, "en"]
    try:
        return DateDataParser(languages=languages, settings=_DATEPARSER_SETTINGS)
    except ValueError:  # a language dateparser does not know
        return DateDataParser(languages=["en"], settings=_DATEPARSER_SETTINGS)


# htmldate's own settings for dateparser.
_DATEPARSER_SETTINGS = {
    "NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past", "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True,
}


def parse_date(value: str | None, zone=None) -> str | None:
    """YYYY-MM-DD from an ISO/slashed/dotted/compact date string, if plausible.

    A timestamp in UTC becomes the date in `zone` (the publisher's), when given.
    """
    if not value:
        return None
    value = value.strip()
    if zone is not None:
        local = _local_date_of_utc_stamp(value, zone)
        if local:
            return local
    for pattern, order in ((_ISO_DATE, "ymd"), (_SLASH_DATE, "ymd"), (_DOTTED_DATE, "dmy"),
                           (_COMPACT_DATE, "ymd")):
        match = pattern.search(value)
        if match:
            numbers = (int(g) for g in match.groups() if g.isdigit())  # not the separator
            parts = dict(zip(order, numbers))
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


# ---------------------------------------------------------------- the publisher's time zone

_UTC_STAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{1,2}(?:\.\d+)?)?"
                        r"\s*(Z|[+-]00:?00|UTC|GMT)$", re.I)
# One zone per country: the capital's, or the most populous one's for countries spanning
# several (a publication date is the date where most of the readers are).
_COUNTRY_ZONES = {
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo", "AR": "America/Argentina/Buenos_Aires", "CL": "America/Santiago",
    "CO": "America/Bogota", "PE": "America/Lima", "VE": "America/Caracas",
    "GB": "Europe/London", "IE": "Europe/Dublin", "FR": "Europe/Paris", "DE": "Europe/Berlin",
    "IT": "Europe/Rome", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "NL": "Europe/Amsterdam",
    "BE": "Europe/Brussels", "CH": "Europe/Zurich", "AT": "Europe/Vienna", "PL": "Europe/Warsaw",
    "CZ": "Europe/Prague", "SE": "Europe/Stockholm", "NO": "Europe/Oslo", "DK": "Europe/Copenhagen",
    "FI": "Europe/Helsinki", "GR": "Europe/Athens", "RO": "Europe/Bucharest", "BG": "Europe/Sofia",
    "HU": "Europe/Budapest", "RS": "Europe/Belgrade", "HR": "Europe/Zagreb", "BA": "Europe/Sarajevo",
    "UA": "Europe/Kyiv", "BY": "Europe/Minsk", "RU": "Europe/Moscow", "TR": "Europe/Istanbul",
    "KZ": "Asia/Almaty", "UZ": "Asia/Tashkent", "KG": "Asia/Bishkek", "TJ": "Asia/Dushanbe",
    "AZ": "Asia/Baku", "GE": "Asia/Tbilisi", "AM": "Asia/Yerevan", "IL": "Asia/Jerusalem",
    "EG": "Africa/Cairo", "SA": "Asia/Riyadh", "AE": "Asia/Dubai", "IR": "Asia/Tehran",
    "IN": "Asia/Kolkata", "PK": "Asia/Karachi", "CN": "Asia/Shanghai", "TW": "Asia/Taipei",
    "HK": "Asia/Hong_Kong", "JP": "Asia/Tokyo", "KR": "Asia/Seoul", "ID": "Asia/Jakarta",
    "MY": "Asia/Kuala_Lumpur", "SG": "Asia/Singapore", "PH": "Asia/Manila", "TH": "Asia/Bangkok",
    "VN": "Asia/Ho_Chi_Minh", "AU": "Australia/Sydney", "NZ": "Pacific/Auckland",
    "ZA": "Africa/Johannesburg", "NG": "Africa/Lagos", "KE": "Africa/Nairobi",
}
# Country-code domains used as generic ones: they say nothing about where a site is.
_GENERIC_CCTLDS = frozenset({"io", "co", "tv", "me", "fm", "ai", "cc", "ly", "ws", "to", "gg",
                             "la", "am", "nu", "su"})
_LOCALE_REGION = re.compile(r"^[a-z]{2,3}[-_]([A-Za-z]{2})\b")
# Facebook's pan-regional locales: the "region" is not a country.
_PSEUDO_LOCALES = frozenset({"ar_ar", "es_la"})
_OFFSET = re.compile(r"T\d{2}:\d{2}(?::\d{1,2}(?:\.\d+)?)?\s*([+-])(\d{2}):?(\d{2})$")


def publisher_zone(page: PageMeta, url: str | None):
    """The publisher's time zone: the offset its other timestamps state, else the zone of
    the page's locale region, else of its country domain."""
    stated = _stated_offset(page)
    if stated is not None:
        return stated
    country = None
    for locale in (page.get("og:locale"), page.html_lang_raw):
        if (locale or "").lower() in _PSEUDO_LOCALES:
            continue
        match = _LOCALE_REGION.match(locale or "")
        if match:
            country = match.group(1).upper()
            break
    if country is None and url:
        suffix = (urlsplit(url).hostname or "").rsplit(".", 1)[-1].lower()
        if len(suffix) == 2 and suffix not in _GENERIC_CCTLDS:
            country = "GB" if suffix == "uk" else suffix.upper()
    name = _COUNTRY_ZONES.get(country or "")
    if name is None:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # no time zone database on this machine: dates stay as stated
        return None


def _stated_offset(page: PageMeta):
    """A non-zero UTC offset stated by one of the page's own timestamps, as a zone."""
    values = [page.meta.get(key) for key in _DATE_META_KEYS]
    values += [item.get(key) for item in page.jsonld for key in ("datePublished", "dateModified")]
    for value in values:
        match = _OFFSET.search(value) if isinstance(value, str) else None
        if match:
            sign, hours, minutes = match.groups()
            offset = timedelta(hours=int(hours), minutes=int(minutes))
            if offset:
                return timezone(offset if sign == "+" else -offset)
    return None


def _local_date_of_utc_stamp(value: str, zone) -> str | None:
    """The date in `zone` of a UTC stamp. A stamp written with the offset +00:00 (not "Z")
    may be the publisher's local time with its own offset: it is converted only when the
    page's other stamps state a different offset, not on a zone guessed from its locale or
    domain."""
    match = _UTC_STAMP.match(value)
    if not match:
        return None
    if match.group(6)[0] in "+-" and not isinstance(zone, timezone):
        return None
    year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
    try:
        stamp = datetime(year, month, day, hour, minute, tzinfo=timezone.utc)
    except ValueError:
        return None
    local = stamp.astimezone(zone)
    return _valid_date(local.year, local.month, local.day)
