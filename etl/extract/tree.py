"""Stage 2: text -> lxml tree, and the two cleaning passes.

`parse_html` builds the tree. `drop_junk` removes what is never content nor metadata
(scripts, styles, forms, ...). `drop_boilerplate` removes page furniture (menus, sidebars,
footers, share bars, breadcrumbs, related-news blocks) by tag, ARIA role and class/id words.
Both are single passes over the tree (no recursion, so deeply nested markup is fine).
`is_foreign` tells blocks of other content (where dates and titles are never the article's)
from the article's own furniture (byline, labels), which the date search still reads.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

# Never content, never metadata we read from the body.
JUNK_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "video", "audio", "source", "track", "map", "button", "input", "select", "option",
    "textarea", "form", "dialog", "link",
})
# JSON-LD is metadata: it is read before drop_junk runs.
VERBATIM_TAGS = frozenset({"pre", "code"})

# Blocks of other content by their tag or ARIA role (sidebars, menus, page footer).
FOREIGN_TAGS = frozenset({"nav", "aside", "footer", "menu"})
FOREIGN_ROLES = frozenset({"navigation", "complementary", "contentinfo", "banner", "menu",
                           "menubar", "search"})
BOILERPLATE_TAGS = FOREIGN_TAGS
BOILERPLATE_ROLES = frozenset({
    "navigation", "complementary", "contentinfo", "banner", "menu", "menubar", "search",
    "dialog", "alert", "toolbar",
})

# Words in class/id that mark furniture, matched at word starts inside the attribute value
# ("sidebar" matches "left-sidebar" and "sidebarWrap"). Two kinds: blocks that carry OTHER
# content (other articles, their dates and titles), and the article's own furniture (byline,
# labels, share bar). A date in the article's furniture is the article's; in foreign blocks never.
_FOREIGN_WORDS = (
    r"sidebar|side-bar|related|recommend|more-stories|morestories|popular|trending|"
    r"most-read|mostread|read-more|readmore|also-read|see-also|further-reading|latest|"
    r"teaser|next-article|prev-article|previous-article|outbrain|taboola|promo|advert|adsense|"
    r"ad-slot|adslot|ad-container|ad-wrapper|advertisement|sponsor|banner|comment|disqus|"
    r"respond|reply|footer|copyright|menu|navbar|nav-|navigation|pagination|pager|widget|"
    r"newsletter|subscribe|subscription|signup|sign-up|cookie|consent|gdpr|paywall|modal|"
    r"popup|overlay|masthead|donate|feedback|ticker|breaking-news|breakingnews|explore"
)
_FURNITURE_WORDS = (
    r"share|sharing|social|sociallinks|addthis|sharethis|breadcrumb|crumbs|skip-link|"
    r"visually-hidden|sr-only|screen-reader|hidden(?=$|\s)|print-only|tags|tag-list|taglist|"
    r"keywords|topics|author-bio|authorbio|byline|bottommeta|post-meta|entry-meta|"
    r"article-meta|meta-data|caption|credit|field__label|label|toolbar|tooltip|popover|"
    r"rollover|hovercard"
)
FOREIGN_CLASS = re.compile(r"(?:^|[\s_-])(?:" + _FOREIGN_WORDS + r")", re.I)
BOILERPLATE_CLASS = re.compile(r"(?:^|[\s_-])(?:" + _FOREIGN_WORDS + "|" + _FURNITURE_WORDS + r")",
                               re.I)
COMMENTS_CLASS = re.compile(r"(?:^|[\s_-])(?:comment|disqus|respond|reply)", re.I)
# A furniture-named element holding this share of the page's text is the content itself.
HOLDS_THE_PAGE_SHARE = 0.4

# Elements whose class/id says "this is the article" are never dropped as furniture even if
# a furniture word appears too (e.g. "article-body has-sidebar").
CONTENT_CLASS = re.compile(
    r"(?:^|[\s_-])(?:article-?body|articlebody|article-?content|articletext|article-text|"
    r"entry-content|post-content|post-body|postbody|story-?body|storycontent|story-content|"
    r"text-formatted|main-content|maincontent|field--name-body|body-text|bodytext|"
    r"news-text|newstext|content-body|rich-text|richtext)",
    re.I,
)


# C0 controls other than tab/newline/return are never text, and lxml refuses them in any
# string set on the tree later. Deleted from the UTF-8 bytes, where these byte values stand
# for these characters only (bytes.translate runs several times faster than a regex search).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20)])


# Han, kana: scripts written without spaces between words. A page holding any is marked so
# length thresholds count their characters as words (content.text_length).
UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
UNSPACED_MARK = "data-etl-unspaced"


class TooDeep(ValueError):
    """The markup nests deeper than the parser's safety limit; parsing stopped there."""


def parse_html(text: str) -> etree._Element:
    """Parse a page into an lxml tree (lenient: truncated markup still gives a tree).

    libxml2 stops at 256 levels of nesting (a guard against hostile pages); the tree up to
    there is kept and `root.too_deep` says it happened.
    """
    # A plain etree parser: lxml.html's element classes cost a lookup per element visited.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                              remove_blank_text=False, default_doctype=False)
    data = text.encode("utf-8", errors="replace").translate(None, _CONTROL_BYTES)
    root = etree.fromstring(data, parser=parser) if data else None
    too_deep = any("Excessive depth" in error.message for error in parser.error_log)
    if root is None:
        if too_deep:
            raise TooDeep("markup nested deeper than 256 levels before any content")
        raise ValueError("the page has no markup")
    if root.tag != "html":
        wrapper = etree.Element("html")
        wrapper.append(root)
        root = wrapper
    if too_deep:
        root.set("data-etl-too-deep", "1")
    if _may_hold_unspaced_script(data) and UNSPACED_SCRIPT.search(text):
        root.set(UNSPACED_MARK, "1")
    return root


# The UTF-8 lead bytes of UNSPACED_SCRIPT's characters (U+3040-U+9FFF: E3-E9; U+F900-U+FAFF and
# U+FF66-U+FF9F: EF). A page whose bytes hold none of them holds none of those characters: a few
# byte searches then settle it where the regex would read the whole page (3% of an extract).
_UNSPACED_LEAD_BYTES = tuple(bytes([lead]) for lead in (*range(0xE3, 0xEA), 0xEF))


def _may_hold_unspaced_script(data: bytes) -> bool:
    return any(lead in data for lead in _UNSPACED_LEAD_BYTES)


def text_of(el) -> str:
    """All the text inside an element (not its tail)."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


# Controls that some pages wrap around everything (an ASP.NET form, an unclosed button the
# parser nests the rest of the page in): holding prose, they lose their tag, not their text.
WRAPPING_CONTROLS = frozenset({"form", "button"})
_PROSE_MIN_CHARS = 80


def drop_junk(root: etree._Element) -> None:
    """Remove scripts, styles, forms, media and other non-text elements."""
    doomed, wrappers = [], []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in JUNK_TAGS:
            if not isinstance(el.tag, str):
                doomed.append(el)
        elif el.tag in WRAPPING_CONTROLS and _holds_prose(el):
            wrappers.append(el)
        else:
            doomed.append(el)
    for el in doomed:
        _drop(el)
    for el in reversed(wrappers):
        _unwrap(el)


def _holds_prose(el) -> bool:
    return any(len(text_of(p)) >= _PROSE_MIN_CHARS for p in el.iter("p"))


def _unwrap(el) -> None:
    """Replace an element by its content (text, children and tail kept in place)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    previous = el.getprevious()
    lead = (el.text or "")
    if lead:
        if previous is not None:
            previous.tail = (previous.tail or "") + lead
        else:
            parent.text = (parent.text or "") + lead
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = el.tail or ""
    parent.remove(el)
    if tail:
        if children:
            children[-1].tail = (children[-1].tail or "") + tail
        elif index > 0:
            before = parent[index - 1]
            before.tail = (before.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def drop_boilerplate(root: etree._Element, keep: frozenset = frozenset()) -> None:
    """Remove page furniture. Elements in `keep` (and their ancestors) are never removed.

    A class or attribute match is only a hint: an element holding most of the page's text
    with few links is the page's content whatever it is called ("page has-sidebar").
    """
    protected = set()
    for el in keep:
        protected.update(el.iterancestors())
        protected.add(el)
    page_chars = None
    doomed = []
    # Inside a doomed block everything goes anyway: its subtree is not visited.
    walker = etree.iterwalk(root, events=("start",))
    for _, el in walker:
        if el.tag in VERBATIM_TAGS:
            # A code listing is text verbatim: its class names are syntax highlighting
            # ("hljs-comment"), not blocks of other content.
            walker.skip_subtree()
            continue
        if el in protected or not isinstance(el.tag, str) or not is_boilerplate(el):
            continue
        if el.tag not in BOILERPLATE_TAGS and not _marks_comments(_marks(el)):
            if page_chars is None:
                page_chars = len(text_of(root))
            if _holds_the_page(el, page_chars):
                continue
        doomed.append(el)
        walker.skip_subtree()
    for el in doomed:
        _drop(el)


def _holds_the_page(el, page_chars: int) -> bool:
    text = text_of(el)
    if len(text) < page_chars * HOLDS_THE_PAGE_SHARE:
        return False
    linked = sum(len(text_of(a)) for a in el.iter("a"))
    return linked < len(text) * 0.35


def is_boilerplate(el: etree._Element) -> bool:
    if el.tag in ("html", "body", "article", "main"):
        return False
    if el.tag in BOILERPLATE_TAGS:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") == "true" and el.tag != "span"):
        return True
    role = el.get("role")
    if role and role.lower() in BOILERPLATE_ROLES:
        return True
    style = el.get("style")
    if style and "display:none" in style.replace(" ", "").lower():
        return True
    marks = _marks(el)
    return bool(marks) and _marks_boilerplate(marks)


def is_foreign(el) -> bool:
    """True for blocks that carry other pages' content: sidebars, related news, menus."""
    if not isinstance(el.tag, str) or el.tag in ("html", "body", "article", "main"):
        return False
    if el.tag in FOREIGN_TAGS:
        return True
    role = el.get("role")
    if role and role.lower() in FOREIGN_ROLES:
        return True
    marks = _marks(el)
    return bool(marks) and _marks_foreign(marks)


def _marks(el) -> str:
    css_class, css_id = el.get("class"), el.get("id")
    if css_id and _is_heading_anchor(el, css_id):
        css_id = None
    if css_class and css_id:
        return css_class + " " + css_id
    return css_class or css_id or ""


_SLUG_SEPARATORS = re.compile(r"[\W_]+")
_ANCHOR_MIN_WORDS = 3


def _is_heading_anchor(el, css_id: str) -> bool:
    """True when the id is the slug of the element's own heading ("menu-ideas-for-spring"
    on a section headed "Menu ideas for spring"): a link target, not a name for furniture."""
    if css_id.count("-") + css_id.count("_") < _ANCHOR_MIN_WORDS - 1 or \
            not _marks_boilerplate(css_id):
        return False
    heading = el if el.tag in _HEADINGS else next(el.iter(*_HEADINGS), None)
    if heading is None:
        return False
    words = _SLUG_SEPARATORS.sub(" ", text_of(heading).lower()).split()
    return len(words) >= _ANCHOR_MIN_WORDS and \
        _SLUG_SEPARATORS.sub(" ", css_id.lower()).split() == words


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


# Pages repeat the same few class names on thousands of elements: decide once per name.
@lru_cache(maxsize=4096)
def _marks_boilerplate(marks: str) -> bool:
    return bool(BOILERPLATE_CLASS.search(marks)) and not CONTENT_CLASS.search(marks)


@lru_cache(maxsize=4096)
def _marks_comments(marks: str) -> bool:
    return bool(COMMENTS_CLASS.search(marks))


@lru_cache(maxsize=4096)
def _marks_foreign(marks: str) -> bool:
    return bool(FOREIGN_CLASS.search(marks)) and not CONTENT_CLASS.search(marks)


def _drop(el: etree._Element) -> None:
    """Remove an element and its subtree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
