"""Page -> Article: the article fields of one page (events and countries come later).

Stages, each in its own module:
  decode (decoding.py) -> parse and clean the tree (tree.py) -> page statements
  (metadata.PageMeta) -> main content (content.py; trafilatura when no container stands out)
  -> paragraphs -> metadata (title, alt titles, date, language, links).
`selectors` from a source's configuration override the generic detection.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from etl.extract import content as content_stage
from etl.extract import dates
from etl.extract import dateline as dateline_stage
from etl.extract import metadata
from etl.extract.content import normalize_text
from etl.extract.decoding import decode_html
from etl.extract.errors import ExtractionError
from etl.extract.language import detect_language
from etl.extract.tree import drop_boilerplate, drop_junk, parse_html, text_of
from etl.record import Article

__all__ = ["Article", "ExtractionError", "decode_html", "extract_article"]

# Elements that mark the whole article (headline, date, body) when the body container is
# nested inside them.
_ARTICLE_ITEMTYPES = ("article", "posting", "report")
_FALLBACK_MIN_GAIN = 1.2
_DATELINE_WITHIN = 3  # paragraphs from the top of the body


def extract_article(html_input: bytes | str, url: str | None = None,
                    selectors: dict | None = None) -> Article:
    """Extract the article fields of a page. Raises ExtractionError for unusable input."""
    text = _as_text(html_input)
    try:
        return _extract(text, url, selectors or {})
    except RecursionError as exc:
        raise ExtractionError("markup too deeply nested to process") from exc
    except (ValueError, etree.LxmlError) as exc:
        # Malformed markup the parser accepted but the tree cannot hold (odd characters...).
        raise ExtractionError(f"cannot process the markup: {exc}") from exc


def _as_text(html_input: bytes | str) -> str:
    if html_input is None:
        raise ExtractionError("empty input: no page given")
    if isinstance(html_input, (bytes, bytearray, memoryview)):
        text = decode_html(bytes(html_input))  # DecodingError is an ExtractionError
    else:
        text = html_input
    if not text.strip():
        raise ExtractionError("empty input: the page has no content")
    if "<" not in text[:100_000] or "\x00" in text[:4096]:
        raise ExtractionError("not HTML: no markup found in the input")
    return text


def _extract(text: str, url: str | None, selectors: dict) -> Article:
    root = _parse(text)
    page = metadata.PageMeta(root, text)
    # Place line, lead and date line are furniture to the body: read them first.
    place, lead, date_line = dateline_stage.page_statements(root)
    drop_junk(root)
    served_text_chars = content_stage.paragraph_chars(root)  # before any block is judged
    # Read before the furniture goes: captions and bylines are furniture for the body, but
    # they carry the headline in other languages and the date.
    headline_texts = metadata.headline_candidates(root)
    stated_dates = dates.date_candidates(root)
    drop_boilerplate(root, keep=frozenset(root.iter("h1")))

    body = _read_body(root, page, text, selectors, served_text_chars)
    if not body.paragraphs and not body.title:
        if root.get("data-etl-too-deep"):
            raise ExtractionError("markup too deeply nested: the parser stops at 256 levels "
                                  "and no headline or text comes before that depth")
        raise ExtractionError("no article found: the page has neither a headline nor text")
    language = detect_language(" ".join(body.paragraphs) or body.title or "", [
        page.html_lang, page.get("og:locale", "content-language", "language", "dc.language")])
    page_url = metadata.canonical_url(page, url)
    return Article(
        url=page_url,
        language=language,
        title=body.title,
        alt_titles=metadata.alt_titles(headline_texts, body.scope, body.title, language),
        published_at=_published_date(root, page, stated_dates, body, selectors, page_url or url,
                                     language, text),
        translation_of_url=metadata.translation_url(page, language, page_url),
        body_paragraphs=body.paragraphs,
        place=place,
        lead=lead,
        date_line=date_line,
    )


def _parse(text: str):
    try:
        return parse_html(text)
    except (ValueError, etree.ParserError) as exc:
        raise ExtractionError(f"not HTML: the markup cannot be parsed ({exc})") from exc


@dataclass
class _Body:
    blocks: list  # the content elements, in page order
    scope: object  # the element holding the whole article (headline, date, body), or None
    title: str | None
    paragraphs: list[str]
    dateline: str | None  # a date standing alone at the top of the body


def _read_body(root, page, text: str, selectors: dict, served_text_chars: int) -> _Body:
    """Main content (configured selector, else found generically, else trafilatura), its
    headline and its paragraphs."""
    configured = _select(root, selectors.get("body"))
    found = None if configured else content_stage.find_content(root)
    blocks = configured or (found.blocks if found is not None else [])
    for block in blocks:
        content_stage.drop_teaser_cards(block)
        content_stage.drop_author_boxes(block)
        content_stage.drop_link_lists(block)
    scope = _article_scope(blocks[0]) if blocks else None

    headline = _select_one(root, selectors.get("title"))
    if headline is None:
        headline = metadata.find_headline(root, scope, page)
    title = metadata.clean_title(headline, page)
    paragraphs = content_stage.without_labels(
        [p for p in content_stage.paragraphs_of(blocks) if p != title])
    if not configured and (found is None or not found.confident) and not _enough(paragraphs):
        paragraphs = _fallback_paragraphs(text, paragraphs, title)
    elif not configured and _missed_text(paragraphs, served_text_chars):
        paragraphs = _second_opinion(text, paragraphs, title)
    dateline, paragraphs = _split_dateline(paragraphs)
    return _Body(blocks, scope, title, paragraphs, dateline)


def _article_scope(container):
    """The element holding the whole article around the body container (headline, date)."""
    for el in container.iterancestors():
        if el.tag == "article":
            return el
        if any(kind in (el.get("itemtype") or "").lower() for kind in _ARTICLE_ITEMTYPES):
            return el
        if el.tag in ("main", "body"):
            break
    # No article element: the nearest ancestor that also holds the headline.
    for el in container.iterancestors():
        if el.tag == "body":
            break
        if next(el.iter("h1"), None) is not None:
            return el
    return container.getparent() if container.getparent() is not None else container


def _split_dateline(paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """A paragraph near the top that is only a date is the article's date line: a label for
    the body, the publication date for the metadata."""
    for index, paragraph in enumerate(paragraphs[:_DATELINE_WITHIN]):
        found = dates.dateline_date(paragraph)
        if found:
            return found, paragraphs[:index] + paragraphs[index + 1:]
    return None, paragraphs


def _enough(paragraphs: list[str]) -> bool:
    return sum(map(content_stage.text_length, paragraphs)) >= content_stage.CONFIDENT_CHARS


def _fallback_paragraphs(text: str, paragraphs: list[str], title: str | None) -> list[str]:
    """trafilatura's main text when no container stood out and it finds clearly more."""
    found = _trafilatura_paragraphs(text, title)
    if sum(map(len, found)) > sum(map(len, paragraphs)) * _FALLBACK_MIN_GAIN:
        return found
    return paragraphs


def _trafilatura_paragraphs(text: str, title: str | None, precision: bool = True) -> list[str]:
    try:
        import trafilatura

        extracted = trafilatura.extract(text, favor_precision=precision, include_comments=False,
                                        include_tables=True, deduplicate=False)
    except Exception:  # a second opinion must never turn a best-effort result into a crash
        return []
    found = [p for p in (normalize_text(line) for line in (extracted or "").split("\n")) if p]
    return [p for p in found if p != title]


# The page as served holds clearly more paragraph text than the body we found: this much
# more, and this many times as much.
_MISSED_MIN_CHARS = 1000
_MISSED_MIN_RATIO = 2.0
# A second opinion replaces our body when it holds ours (this share of our words) and
# clearly more: as much more again, and three times as much (twice is what a complete
# article plus the page's other prose often comes to).
_AGREEMENT = 0.6
_REPLACE_MIN_RATIO = 3.0


def _missed_text(paragraphs: list[str], served_text_chars: int) -> bool:
    """True when the page's paragraphs hold much more text than our body: a wrong block (a
    reference list, a teaser, a dialog) may have won, or the article was taken for furniture."""
    ours = sum(map(len, paragraphs))
    return served_text_chars - ours >= _MISSED_MIN_CHARS and \
        served_text_chars >= ours * _MISSED_MIN_RATIO


def _second_opinion(text: str, paragraphs: list[str], title: str | None) -> list[str]:
    """trafilatura's main text instead of ours when it agrees with ours (holds most of its
    words) and finds clearly more: ours was a part of the article, not all of it."""
    # Its default setting: what is looked for here is the text ours missed (recall).
    found = _trafilatura_paragraphs(text, title, precision=False)
    ours, theirs = sum(map(len, paragraphs)), sum(map(len, found))
    if theirs - ours < _MISSED_MIN_CHARS or theirs < ours * _REPLACE_MIN_RATIO:
        return paragraphs
    if _share_of_words_in(paragraphs, found) < _AGREEMENT:
        return paragraphs
    return found


_WORD = re.compile(r"\w+")


def _share_of_words_in(paragraphs: list[str], other: list[str]) -> float:
    words = Counter(_WORD.findall(" ".join(paragraphs).lower()))
    total = sum(words.values())
    if not total:
        return 1.0
    return sum((words & Counter(_WORD.findall(" ".join(other).lower()))).values()) / total


def _published_date(root, page, stated_dates, body: _Body, selectors: dict,
                    url: str | None, language: str | None, text: str) -> str | None:
    configured = _select_one(root, selectors.get("published_at"))
    if configured is not None:
        return dates.parse_date(configured.get("datetime") or configured.get("content")
                                or text_of(configured))
    # The article's text speaks of events, not of its own publication, and a page header
    # shows today's date: both out of the first search. The text comes back for a second
    # one when the rest of the page states no date (some pages state it only there).
    removed = []
    for block in [*body.blocks, *_page_headers(root, body.scope)]:
        parent = block.getparent()
        if parent is not None:
            removed.append((parent, parent.index(block), block))
            parent.remove(block)

    def with_text():
        for parent, index, block in reversed(removed):
            if block in body.blocks:
                parent.insert(index, block)
        return root

    return dates.published_date(page, stated_dates, body.scope, root, url, body.dateline,
                                with_text, language, text)


_HEADER_CLASS = re.compile(r"(?:^|[\s_-])(?:header|topbar|top-bar|site-head)", re.I)


def _page_headers(root, scope) -> list:
    """The page's own header blocks (logo, menu, today's date): header-named elements
    outside the article and outside main, holding no headline."""
    keep = (set(scope.iterancestors()) | {scope}) if scope is not None else set()
    found = []
    for el in root.iter("header", "div", "section"):
        if el in keep or not (el.tag == "header" or _HEADER_CLASS.search(
                el.get("class") or el.get("id") or "")):
            continue
        if any(a.tag in ("main", "article") or a is scope for a in el.iterancestors()):
            continue
        if next(el.iter("h1"), None) is None:
            found.append(el)
    return found


def _select(root, selector: str | None) -> list:
    if not selector:
        return []
    try:
        return root.cssselect(selector)
    except Exception as exc:  # cssselect raises its own SelectorError subclasses
        raise ExtractionError(f"bad CSS selector in the source configuration: {selector!r} "
                              f"({exc})") from exc


def _select_one(root, selector: str | None):
    found = _select(root, selector)
    return found[0] if found else None
