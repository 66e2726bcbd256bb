"""The place a page states for its article (a dateline), from standard markup.

Sources, in order: microformats2 `p-location` inside an h-entry, schema.org microdata
`contentLocation` / `locationCreated` (its `name` when it is an item), JSON-LD
`contentLocation` / `locationCreated`, and elements whose class names a dateline. The article
extractor calls this on the parsed page (before boilerplate removal) to fill `Article.place`;
event extraction then takes the article's main event city from it.
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
