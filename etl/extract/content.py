"""Stages 3 and 4: find the main content container, turn it into paragraphs.

The container is found generically: an explicit articleBody marker, else content-density
scoring in the spirit of Readability (paragraph text credited to its ancestors, class/id
words as a prior, link density as a penalty), plus sibling blocks that score like the
winner and containers of the same class elsewhere (articles split around ads and embeds).
The result says how sure it is, so the caller can fall back to a general-purpose extractor
when no container stands out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from etl.extract.tree import BOILERPLATE_CLASS, CONTENT_CLASS, UNSPACED_MARK, UNSPACED_SCRIPT, \
    text_of

PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "td", "dd", "li", "h2", "h3", "h4"})
BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "section",
    "article", "header", "footer", "figure", "figcaption", "address", "hr", "br", "main",
    "center", "details", "summary", "caption", "body", "html",
})
# Inside the body these are not article text: the headline (read separately), the article
# header (headline, byline, date), images with their captions.
SKIPPED_IN_BODY = frozenset({"h1", "header", "figure", "figcaption", "picture", "img"})

MIN_PARAGRAPH_CHARS = 25
# A container this short is not convincing on its own: the caller may fall back.
CONFIDENT_CHARS = 400
MARKED_MIN_CHARS = 50
SPLIT_PART_MIN_CHARS = 300


# Scripts written without spaces (Chinese, Japanese): one character carries about what a word
# does in a spaced script, so length thresholds made for Latin text count each one as three.
UNSPACED_WEIGHT = 3


def text_length(text: str) -> int:
    """The length of a text for thresholds: characters, those of unspaced scripts weighed as
    a short word each (a 40-character Japanese paragraph is no shorter than 120 Latin ones)."""
    if text.isascii():
        return len(text)
    return len(text) + (UNSPACED_WEIGHT - 1) * len(UNSPACED_SCRIPT.findall(text))


def length_measure(root):
    """`text_length` on a page holding an unspaced script, else plain `len` (much cheaper,
    and the same there): `parse_html` marks such pages."""
    return text_length if root.getroottree().getroot().get(UNSPACED_MARK) else len


def normalize_text(text: str) -> str:
    """NFC, white space collapsed (non-breaking and zero-width spaces included), stripped."""
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\xad", "")
    # split() and the regex's \s agree on what white space is; splitting costs less.
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Content:
    """The main content: its blocks (container first) and whether it stood out clearly."""

    blocks: list
    confident: bool


def find_content(root: etree._Element) -> Content | None:
    """The main content container(s) of a cleaned tree, or None when there is no text."""
    marked = _marked_article_body(root)
    if marked is not None:
        return Content([marked], confident=True)
    scores = _score_candidates(root)
    if not scores:
        return None
    best, best_score = max(scores.items(), key=lambda item: item[1])
    blocks = _with_same_class_blocks(_with_sibling_blocks(best, best_score, scores), best, root)
    blocks = _where_the_prose_is(root, blocks)
    text_chars = sum(text_length(text_of(b)) for b in blocks)
    return Content(blocks, confident=text_chars >= CONFIDENT_CHARS)


# A winner holding less than this share of the page's prose (paragraphs of some length)
# is a list of short items, and the article is elsewhere.
_LIST_PROSE_SHARE = 0.1
_PROSE_SHARE = 0.5


def _where_the_prose_is(root, blocks: list) -> list:
    """The blocks, or the element holding most of the page's prose when they hold little of
    it: a dense list of short items (references, signatories, teasers) outscores an
    article whose paragraphs are spread over many nested sections, each scoring little."""
    prose = {p: chars for p, chars in _prose_paragraphs(root)}
    total = sum(prose.values())
    chosen = set(blocks)
    inside = sum(chars for p, chars in prose.items()
                 if p in chosen or any(a in chosen for a in p.iterancestors()))
    if total - inside < _MISSED_PROSE_CHARS or inside >= total * _LIST_PROSE_SHARE:
        return blocks
    held: dict = {}
    for p, chars in prose.items():
        for ancestor in p.iterancestors():
            held[ancestor] = held.get(ancestor, 0) + chars
    # Elements holding more than half the prose form one chain: take its deepest.
    chain = [el for el, chars in held.items() if chars > total * _PROSE_SHARE
             and el.tag not in ("html", "body")]
    if not chain:
        return blocks
    return [max(chain, key=lambda el: sum(1 for _ in el.iterancestors()))]


_MISSED_PROSE_CHARS = 1500


# XPath's translate(): ASCII letters only.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _marked_article_body(root: etree._Element):
    """The element marked itemprop=articleBody, when there is one with real text."""
    # A Python pass reading one attribute costs less than the XPath query.
    marked = [el for el in root.iter(etree.Element)
              if "articlebody" in (el.get("itemprop") or "").translate(_ASCII_LOWER)]
    if not marked:
        return None
    best = max(marked, key=lambda el: len(text_of(el)))
    # An explicit marker is strong evidence: a short notice is still the article.
    return best if len(normalize_text(text_of(best))) >= MARKED_MIN_CHARS else None


def _score_candidates(root: etree._Element) -> dict:
    """Readability-style content scores of the ancestors of paragraph-like elements."""
    scores: dict = {}
    measure = length_measure(root)
    for el in root.iter(*PARAGRAPH_TAGS, "div"):
        if el.tag == "div" and not _has_own_text(el):
            continue
        text = text_of(el)
        length = measure(text.strip())
        if length < MIN_PARAGRAPH_CHARS:
            continue
        points = 1.0 + text.count(",") + text.count("，") + text.count("、") + \
            min(length / 100.0, 3.0)
        for level, ancestor in enumerate(el.iterancestors()):
            if level > 2:
                break
            if ancestor.tag in ("html", "body"):
                break
            if ancestor not in scores:
                scores[ancestor] = _prior(ancestor)
            scores[ancestor] += points / (1 if level == 0 else level * 2)
    linked = _linked_chars(root, scores)
    return {el: score * (1.0 - _density(len(text_of(el)), linked.get(el, 0)))
            for el, score in scores.items()}


def _linked_chars(root, elements) -> dict:
    """Link text characters inside each of `elements` (links within links counted apiece, as
    link_density does), from one pass over the page's links: reading every link of every
    candidate again costs a serialisation per link and candidate."""
    linked: dict = {}
    for a in root.iter("a"):
        chars = None
        for el in (a, *a.iterancestors()):
            if el in elements:
                if chars is None:
                    chars = len(text_of(a))
                linked[el] = linked.get(el, 0) + chars
    return linked


def _has_own_text(el) -> bool:
    if el.text and el.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in el)


def _prior(el) -> float:
    score = {"article": 10.0, "main": 5.0, "div": 5.0, "section": 3.0, "pre": 3.0,
             "td": 3.0, "blockquote": 3.0}.get(el.tag, 0.0)
    marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
    if marks:
        if CONTENT_CLASS.search(marks):
            score += 25.0
        elif BOILERPLATE_CLASS.search(marks):
            score -= 25.0
    return score


_PARAGRAPH_MIN_CHARS = 80


def paragraph_chars(root) -> int:
    """Characters in the page's paragraphs of prose (<p> of some length, few links)."""
    return sum(chars for _, chars in _prose_paragraphs(root))


def _prose_paragraphs(root):
    measure = length_measure(root)
    for p in root.iter("p"):
        text = text_of(p)
        if measure(text) >= _PARAGRAPH_MIN_CHARS:
            linked = sum(len(text_of(a)) for a in p.iter("a"))
            if linked < len(text) * 0.3:
                yield p, len(text.strip())


def link_density(el) -> float:
    return _link_density_of(el, len(text_of(el)))


def _link_density_of(el, text_length: int) -> float:
    if not text_length:
        return 1.0
    return _density(text_length, sum(len(text_of(a)) for a in el.iter("a")))


def _density(text_length: int, linked: int) -> float:
    return min(linked / text_length, 1.0) if text_length else 1.0


def _with_sibling_blocks(best, best_score: float, scores: dict) -> list:
    """The winner plus siblings that look like more of the same article."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    blocks = []
    before = True
    for sibling in parent:
        if sibling is best:
            blocks.append(sibling)
            before = False
        elif before and isinstance(sibling.tag, str) and _is_opening(sibling):
            blocks.append(sibling)
        elif not isinstance(sibling.tag, str):
            continue
        elif scores.get(sibling, 0.0) >= threshold and link_density(sibling) < 0.3:
            blocks.append(sibling)
        elif sibling.tag == "p" and link_density(sibling) < 0.25 \
                and text_length(normalize_text(text_of(sibling))) >= _PARAGRAPH_MIN_CHARS:
            blocks.append(sibling)
    return blocks


_OPENING_MIN_CHARS = 150


def _is_opening(el) -> bool:
    """A block before the winner that is nothing but prose paragraphs: the article's opening
    (intro, lead) set in a container of its own."""
    if el.tag not in ("div", "section"):
        return False
    text = normalize_text(text_of(el))
    if text_length(text) < _OPENING_MIN_CHARS or link_density(el) >= 0.25:
        return False
    paragraphs = [normalize_text(text_of(p)) for p in el.iter("p")]
    # Header lines ("6 min read", "By ...") are no opening.
    if any(p and text_length(p) < MIN_PARAGRAPH_CHARS for p in paragraphs):
        return False
    return sum(map(len, paragraphs)) >= len(text) * 0.9


def _with_same_class_blocks(blocks: list, best, root) -> list:
    """Add the other parts of an article a CMS split into identical containers around
    embeds and pull quotes (same tag and class as the winner), in document order."""
    css_class = best.get("class")
    if not css_class or not css_class.strip():
        return blocks
    chosen = set(blocks)
    found = []
    for el in root.iter(best.tag):
        if el.get("class") != css_class or el in chosen:
            continue
        if any(a in chosen for a in el.iterancestors()) or any(b in chosen for b in el.iter()):
            continue
        text = normalize_text(text_of(el))
        # Real continuations carry paragraphs; teaser cards sharing a class are short.
        if text_length(text) >= SPLIT_PART_MIN_CHARS and link_density(el) < 0.2:
            found.append(el)
    if not found:
        return blocks
    order = {el: index for index, el in enumerate(root.iter())}
    return sorted([*blocks, *found], key=order.__getitem__)


_CARD_MAX_CHARS = 400
_CARDS_MIN_REPEATS = 3


def drop_teaser_cards(container) -> None:
    """Remove runs of teaser cards (other stories: an image link, a title link, a blurb)
    that share a tag and class, three or more side by side."""
    doomed = []
    for parent in container.iter():
        groups: dict = {}
        for child in parent:
            if isinstance(child.tag, str):
                groups.setdefault((child.tag, child.get("class")), []).append(child)
        for cards in groups.values():
            if len(cards) >= _CARDS_MIN_REPEATS and all(map(_is_teaser_card, cards)):
                doomed.extend(cards)
    for el in doomed:
        if el.getparent() is not None:
            el.getparent().remove(el)


def _is_teaser_card(el) -> bool:
    if len(text_of(el)) > _CARD_MAX_CHARS:
        return False
    links = list(el.iter("a"))
    return any(next(a.iter("img"), None) is not None for a in links) \
        and any(text_of(a).strip() for a in links)


def drop_link_lists(container) -> None:
    """Remove blocks inside the content that are mostly links (related stories, tag lists)."""
    doomed = []
    for el in container.iter("ul", "ol", "div", "section", "p", "li", "table"):
        served = text_of(el)
        text = normalize_text(served)
        # The link density last: it reads every link's text again.
        if text and len(text) < 400 and _link_density_of(el, len(served)) >= 0.65:
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


# Class/id words of the boxes presenting the article's author (name, photo, bio), which sit
# inside the body on many blogs. Removed from the body only: the page's header keeps its
# byline, whose date the date search reads.
_AUTHOR_BOX_CLASS = re.compile(r"(?:^|[\s_-])(?:author|authors|bio|vcard)(?=$|[\s_-])", re.I)


def drop_author_boxes(container) -> None:
    """Remove the author boxes (bio, photo, "more by") inside the content."""
    doomed = [el for el in container.xpath(_HAS_MARKS)
              if _marks_author_box(" ".join(filter(None, (el.get("class"), el.get("id")))))]
    # An author box inside another goes with it.
    chosen = set(doomed)
    for el in doomed:
        if not any(a in chosen for a in el.iterancestors()):
            _drop_keeping_tail(el)


_HAS_MARKS = ".//*[@class or @id]"


@lru_cache(maxsize=4096)
def _marks_author_box(marks: str) -> bool:
    return bool(_AUTHOR_BOX_CLASS.search(marks)) and not CONTENT_CLASS.search(marks)


def _drop_keeping_tail(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# Labels of ad slots that stay in the text when the ad itself is gone.
_AD_LABEL = re.compile(
    r"^(?:advert|advertisement|ad|ads|sponsored|anzeige|werbung|publicidad|publicité|"
    r"pubblicità|publicidade|reklama|реклама)$", re.I)


def without_labels(paragraphs: list[str]) -> list[str]:
    """Drop the labels of ad slots ("Advertisement") left between paragraphs."""
    return [p for p in paragraphs if not _AD_LABEL.match(p)]


# Cells holding blocks of their own (a layout table) are not one row of data.
_ROW_MAX_CHARS = 600


def _table_row(tr) -> str | None:
    """A row of a data table as one paragraph, its cells separated as in Markdown
    ("| Company | Founded | Staff |"), or None for a row of a layout table."""
    cells = [cell for cell in tr if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
    if len(cells) < 2:
        return None
    texts = []
    for cell in cells:
        if any(isinstance(d.tag, str) and d.tag in _CELL_BLOCKS for d in cell.iterdescendants()):
            return None
        texts.append(normalize_text(text_of(cell)))
    if not any(texts) or sum(map(len, texts)) > _ROW_MAX_CHARS:
        return None
    return normalize_text("| " + " | ".join(texts) + " |")


_CELL_BLOCKS = frozenset({"table", "div", "section", "article", "ul", "ol", "dl", "blockquote",
                          "pre", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "form", "p"})


def paragraphs_of(blocks: list) -> list[str]:
    """The text of the blocks, one string per paragraph, in document order."""
    paragraphs: list[str] = []
    for block in blocks:
        _walk(block, paragraphs)
    return paragraphs


def _walk(container, paragraphs: list[str]) -> None:
    pieces: list[str] = []

    def flush():
        if pieces:
            text = normalize_text("".join(pieces))
            pieces.clear()
            if text:
                paragraphs.append(text)

    walker = etree.iterwalk(container, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
            if tag in SKIPPED_IN_BODY or tag is None:
                walker.skip_subtree()
                continue
            if tag == "tr":
                row = _table_row(el)
                if row is not None:
                    paragraphs.append(row)
                    walker.skip_subtree()
                    continue
            if el.text:
                pieces.append(el.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
            if el is not container and el.tail:
                pieces.append(el.tail)
    flush()
