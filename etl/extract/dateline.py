"""What a page states about its article beside the body, from standard markup: the place line
(`stated_place`), the lead or standfirst (`stated_lead`) and whether the page's date line is
marked up as the article's own date (`marked_date_line`).

Place sources, in order: microformats2 `p-location` inside an h-entry, schema.org microdata
`contentLocation` / `locationCreated` (its `name` when it is an item), JSON-LD
`contentLocation` / `locationCreated`, and elements whose class names a dateline. The article
extractor calls these on the parsed page (before boilerplate removal) to fill `Article.place`,
`Article.lead` and `Article.date_line`; event extraction reads the main event from them.
"""

from __future__ import annotations

import json
import re

from lxml import etree

_MAX_LENGTH = 100


def page_statements(root) -> tuple[str | None, str | None, str | None]:
    """(place, lead, date line) the page states, from one pass over its elements."""
    marked = _Marked(root)
    return _place(marked), _lead(marked), _date_line(marked)


def stated_place(root) -> str | None:
    """The place text a parsed page (an lxml element tree) states for its article, or None."""
    return _place(_Marked(root))


def stated_lead(root) -> str | None:
    """The lead (standfirst) the page marks up for its article: microformats `p-summary` /
    `entry-summary`, or a schema.org `description` element inside the article."""
    return _lead(_Marked(root))


def marked_date_line(root) -> str | None:
    """The article's date line when the markup declares it as the article's date (a `time`
    element of the h-entry or article with `datePublished` / `dt-published`): ISO day or None.
    A bare date paragraph or a meta tag is not one."""
    return _date_line(_Marked(root))


# XPath's normalize-space() white space: what separates class names.
_CLASS_SEPARATORS = re.compile(r"[ \t\r\n]+")


def _has_class(css_class: str | None, name: str) -> bool:
    return bool(css_class) and name in css_class and name in _CLASS_SEPARATORS.split(css_class)


class _Marked:
    """The elements the place, lead and date line are read from, in page order, found in one
    pass over the tree (an XPath query per statement walks the whole tree each time and
    costs several times as much)."""

    def __init__(self, root):
        self.place_classed, self.place_items, self.dateline_classed = [], [], []
        self.summaries, self.entry_summaries, self.descriptions = [], [], []
        self.times, self.jsonld = [], []
        for el in root.iter(etree.Element):  # elements only, not comments
            tag = el.tag
            if tag == "time":
                self.times.append(el)
            elif tag == "script" and el.get("type") == "application/ld+json":
                self.jsonld.append(el)
            css_class, itemprop = el.get("class"), el.get("itemprop")
            if css_class and ("p-" in css_class or "dateline" in css_class
                              or "entry-summary" in css_class):  # most classes: none
                if _has_class(css_class, "p-location"):
                    self.place_classed.append(el)
                if _has_class(css_class, "dateline"):
                    self.dateline_classed.append(el)
                if _has_class(css_class, "p-summary"):
                    self.summaries.append(el)
                if _has_class(css_class, "entry-summary"):
                    self.entry_summaries.append(el)
            if itemprop in ("contentLocation", "locationCreated"):
                self.place_items.append(el)
            elif itemprop == "description" and tag != "meta" and _within(el, "article"):
                self.descriptions.append(el)


def _within(el, tag: str) -> bool:
    return any(ancestor.tag == tag for ancestor in el.iterancestors())


def _place(marked: _Marked) -> str | None:
    for elements in (marked.place_classed, marked.place_items, marked.dateline_classed):
        for element in elements:
            text = _place_text(element)
            if text:
                return text
    return _json_ld_place(marked.jsonld)


def _place_text(element) -> str | None:
    named = element.xpath(".//*[@itemprop='name']")
    if named:
        element = named[0]
    value = element.get("content") if element.tag == "meta" else "".join(element.itertext())
    text = re.sub(r"\s+", " ", value or "").strip(" \t\n—–-:|")
    return text if 1 < len(text) <= _MAX_LENGTH else None


def _json_ld_place(scripts) -> str | None:
    for script in scripts:
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            for key in ("contentLocation", "locationCreated"):
                place = item.get(key)
                if isinstance(place, dict):
                    place = place.get("name")
                if isinstance(place, str) and 1 < len(place.strip()) <= _MAX_LENGTH:
                    return place.strip()
    return None


_MAX_LEAD = 1500


def _lead(marked: _Marked) -> str | None:
    for elements in (marked.summaries, marked.entry_summaries, marked.descriptions):
        for element in elements:
            text = re.sub(r"\s+", " ", "".join(element.itertext())).strip()
            if 20 <= len(text) <= _MAX_LEAD:
                return text
    return None


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _date_line(marked: _Marked) -> str | None:
    in_entry = [el for el in marked.times
                if (el.get("itemprop") == "datePublished" or _has_class(el.get("class"), "dt-published"))
                and any(_has_class(a.get("class"), "h-entry") for a in el.iterancestors())]
    in_article = [el for el in marked.times
                  if el.get("itemprop") == "datePublished" and _within(el, "article")]
    for elements in (in_entry, in_article):
        for element in elements:
            match = _ISO_DAY.match((element.get("datetime") or "").strip())
            if match:
                return match.group(0)
    return None
