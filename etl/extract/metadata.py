"""Stage 5: metadata — page statements, canonical URL, translation link, title, alt titles.

Everything here reads the page's own statements (link/meta tags, JSON-LD, the article's
markup). The publication date has its own module (dates.py).
"""

from __future__ import annotations

import difflib
import html as html_entities
import json
import re
from urllib.parse import urljoin

from lxml import etree

from etl.extract.content import normalize_text
from etl.extract.tree import text_of
from etl.extract.language import language_of_text, normalize_language_code
from etl.extract.quotes import repair_quotes

# ---------------------------------------------------------------- page-level statements


class PageMeta:
    """The <head> statements of a page and its JSON-LD, read once before cleaning."""

    def __init__(self, root: etree._Element, text: str = ""):
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, str, str | None]] = []  # (rel, href, hreflang)
        self.html_lang_raw = (root.get("lang") or root.get("xml:lang") or "").strip()
        self.html_lang = normalize_language_code(self.html_lang_raw)
        self.title_tag: str | None = None
        self.jsonld: list[dict] = []
        self.head = root.find("head")
        # Blog engines state the date in an RDF block inside an HTML comment (trackback).
        rdf = _RDF_DATE.search(text) if "rdf:Description" in text else None
        self.rdf_date = rdf.group(1) if rdf else None
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
                    self.title_tag = normalize_text(text_of(el)) or None
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


_RDF_DATE = re.compile(r'<rdf:Description[^>]{0,2000}?dc:date="([^"]{8,40})"', re.S)
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


def find_headline(root, scope, page: PageMeta) -> etree._Element | None:
    """The article's h1: inside the article's scope when possible, else the page's only h1.

    An h1 unlike the page's stated title (og:title, <title>) may be the site's logo or a
    section name: a heading that does resemble the stated title wins, and a short label-like
    h1 gives way to the stated title.
    """
    headline = _first_h1(root, scope)
    stated = stated_title(page)
    if headline is None or not stated or _resembles(text_of(headline), stated):
        return headline
    for heading in root.iter("h1", "h2", "h3"):
        if _resembles(text_of(heading), stated):
            return heading
    return None if _is_label(normalize_text(text_of(headline)), stated, page) else headline


def _first_h1(root, scope):
    if scope is not None:
        for h1 in scope.iter("h1"):
            if normalize_text(text_of(h1)):
                return h1
    h1s = [h1 for h1 in root.iter("h1") if normalize_text(text_of(h1))]
    return h1s[0] if len(h1s) == 1 else None


def stated_title(page: PageMeta) -> str | None:
    """The title the page states in its metadata, without the site's name."""
    og_title = page.get("og:title", "twitter:title")
    if og_title:
        return strip_site_name(normalize_text(og_title), page.get("og:site_name"),
                               guess=False)
    if page.title_tag:
        return strip_site_name(page.title_tag, page.get("og:site_name"))
    return None


def _resembles(text: str, stated: str) -> bool:
    text, stated = normalize_text(text).lower(), stated.lower()
    if not text:
        return False
    if stated in text or (text in stated and len(text) * 2 >= len(stated)):
        return True  # a short h1 inside a long title is the site name in its suffix
    return difflib.SequenceMatcher(None, text, stated).ratio() >= _RESEMBLANCE


_RESEMBLANCE = 0.6
_LABEL_MAX_WORDS = 3


def _is_label(text: str, stated: str, page: PageMeta) -> bool:
    """A site name or section label standing in an h1 where the headline should be."""
    site_name = (page.get("og:site_name", "application-name") or "").lower()
    if site_name and (text.lower() in site_name or site_name in text.lower()):
        return True
    return len(text.split()) <= _LABEL_MAX_WORDS < len(stated.split())


def clean_title(headline, page: PageMeta) -> str | None:
    if headline is not None:
        title = normalize_text(text_of(headline))
    else:
        title = stated_title(page)
    return _unescape_leftover_entities(title) if title else None


_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")


def _unescape_leftover_entities(text: str) -> str:
    """CMSs that escape twice leave '&#039;' in headlines: decode what is left."""
    return html_entities.unescape(text) if _ENTITY.search(text) else text


def strip_site_name(title: str, site_name: str | None, guess: bool = True) -> str:
    """'Headline | Site' -> 'Headline'; with `guess`, the longest part when the site name is
    unknown (for <title>, which nearly always carries it)."""
    if site_name:
        match = re.search(_TITLE_SEPARATOR.pattern + re.escape(site_name) + r"\s*$", title)
        if match:
            return title[:match.start()].strip()
    if not guess:
        return title
    parts = _TITLE_SEPARATOR.split(title)
    return max(parts, key=len).strip() if len(parts) > 1 else title


# ---------------------------------------------------------------- alt titles

_DIGITS = re.compile(r"\d+")


# How much one occurrence counts as evidence of a headline: a heading is one by itself; an
# image text or caption only when repeated (a CMS copying the headline into alt, title and
# caption), since a single caption in another language is usually just a caption.
_HEADING_WEIGHT = 2
_IMAGE_TEXT_WEIGHT = 1
_ALT_TITLE_MIN_WEIGHT = 2


def headline_candidates(root) -> list[tuple[str, frozenset, int]]:
    """Texts that may repeat the headline (image alt/title, captions, top headings), each with
    its ancestors and weight. Read before furniture is removed: captions are furniture."""
    found = []
    for el in root.iter("img", "figcaption", "h1", "h2", "div", "span", "p"):
        texts = []
        weight = _IMAGE_TEXT_WEIGHT
        if el.tag == "img":
            texts = [el.get("alt"), el.get("title")]
        elif el.tag in ("h1", "h2"):
            texts, weight = [text_of(el)], _HEADING_WEIGHT
        elif el.tag == "figcaption" or "caption" in (el.get("class") or ""):
            texts = [text_of(el)]
        for text in filter(None, (normalize_text(t or "") for t in texts)):
            if len(text) < 300 and len(text.split()) >= 3:
                found.append((text, frozenset(el.iterancestors()), weight))
    return found


def alt_titles(candidates, scope, title: str | None, language: str | None) -> dict[str, str]:
    """Headlines in other languages inside the article, by language, quotes repaired.

    A candidate must look like the headline translated: another language, a comparable number
    of words and the same numbers, and be stated as a heading or repeated. The most repeated
    one wins (alt, title and caption often all carry it).
    """
    if scope is None or not title or not language:
        return {}
    title_words = len(title.split())
    title_numbers = sorted(_DIGITS.findall(title))
    counts: dict[str, int] = {}
    for text, ancestors, weight in candidates:
        if scope in ancestors:
            counts[text] = counts.get(text, 0) + weight
    found: dict[str, str] = {}
    for text in sorted(counts, key=lambda t: -counts[t]):  # stable: page order among ties
        if counts[text] < _ALT_TITLE_MIN_WEIGHT:
            break
        code = language_of_text(text)
        if not code or code == language or code in found:
            continue
        if not title_words / 2 <= len(text.split()) <= title_words * 2:
            continue
        if sorted(_DIGITS.findall(text)) != title_numbers:
            continue
        found[code] = repair_quotes(text)
    return found
