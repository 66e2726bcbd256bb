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

_MAX_LENGTH = 100
_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' p-location ')]",
    "//*[@itemprop='contentLocation' or @itemprop='locationCreated']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' dateline ')]",
)


def stated_place(root) -> str | None:
    """The place text a parsed page (an lxml element tree) states for its article, or None."""
    for xpath in _XPATHS:
        for element in root.xpath(xpath):
            text = _place_text(element)
            if text:
                return text
    return _json_ld_place(root)


def _place_text(element) -> str | None:
    named = element.xpath(".//*[@itemprop='name']")
    if named:
        element = named[0]
    value = element.get("content") if element.tag == "meta" else "".join(element.itertext())
    text = re.sub(r"\s+", " ", value or "").strip(" \t\n—–-:|")
    return text if 1 < len(text) <= _MAX_LENGTH else None


def _json_ld_place(root) -> str | None:
    for script in root.xpath("//script[@type='application/ld+json']"):
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


_LEAD_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' p-summary ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-summary ')]",
    "//article//*[@itemprop='description' and not(self::meta)]",
)
_MAX_LEAD = 1500


def stated_lead(root) -> str | None:
    """The lead (standfirst) the page marks up for its article: microformats `p-summary` /
    `entry-summary`, or a schema.org `description` element inside the article."""
    for xpath in _LEAD_XPATHS:
        for element in root.xpath(xpath):
            text = re.sub(r"\s+", " ", "".join(element.itertext())).strip()
            if 20 <= len(text) <= _MAX_LEAD:
                return text
    return None


_DATE_LINE_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')]"
    "//time[@itemprop='datePublished' or contains(concat(' ', normalize-space(@class), ' '), ' dt-published ')]",
    "//article//time[@itemprop='datePublished']",
)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def marked_date_line(root) -> str | None:
    """The article's date line when the markup declares it as the article's date (a `time`
    element of the h-entry or article with `datePublished` / `dt-published`): ISO day or None.
    A bare date paragraph or a meta tag is not one."""
    for xpath in _DATE_LINE_XPATHS:
        for element in root.xpath(xpath):
            match = _ISO_DAY.match((element.get("datetime") or "").strip())
            if match:
                return match.group(0)
    return None
