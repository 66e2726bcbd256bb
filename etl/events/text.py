"""Text helpers shared by the event extractors: quotes, sentences, language, clean-up."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Opening -> closing quote. Russian «» may nest „“ or «» one level deep.
_QUOTE_PATTERN = re.compile(
    r'«(?P<ru>(?:[^«»]|«[^«»]*»)+)»'
    r'|"(?P<straight>[^"]+)"'
    r'|“(?P<curly>[^”“]+)”'
    r'|„(?P<low>[^“”„]+)[“”]'
)

@functools.cache  # once: the import and the packs' union are not redone per paragraph
def _abbreviations() -> frozenset[str]:
    """Tokens that end with a period without ending a sentence, in any language with a pack
    (a sentence of one language may quote another)."""
    from etl.lang import all_abbreviations

    return all_abbreviations()


@dataclass(frozen=True)
class Quote:
    start: int  # of the opening mark
    end: int    # after the closing mark
    text: str   # inside the marks


_SPACES = re.compile(r"\s+")
# A sentence ends before a quote, a bracket, a digit or a capital letter of any script.
_BOUNDARY = re.compile(r"[.!?…]+(?=\s+(?:[\"«“(\[0-9]|[^\W\d_]))")
# "А.А." / "J.R.": initials, which end no sentence when the surname follows them ("и А.А.
# Токовинин"); after a surname they close a name ("Иванов И.И. Затем ...").
_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,2}[^\W\d_]")  # capitals (checked); the last period is the boundary
# "с.н.с.", "к.и.н.": a lower-case abbreviation with inner periods (a degree, a post)
_DOTTED = re.compile(r"(?:[^\W\d_]{1,4}\.)+[^\W\d_]{1,4}")  # lower case (checked)
_WORD_BEFORE = re.compile(r"(\S+)\s+$")


def normalize(text: str) -> str:
    """NFC, non-breaking spaces as spaces, runs of white space collapsed."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        text = text.replace("\u00a0", " ").replace("\u202f", " ")
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def quotes(text: str) -> tuple[Quote, ...]:
    """Quoted spans, outermost first-level, in text order."""
    found = []
    for match in _QUOTE_PATTERN.finditer(text):
        inner = next(g for g in match.groups() if g is not None)
        found.append(Quote(match.start(), match.end(), inner.strip()))
    return tuple(found)


def quotes_within(spans: tuple[Quote, ...], start: int, end: int) -> tuple[Quote, ...]:
    """The paragraph's quotes that lie in its sentence [start, end), offsets from the sentence's
    start: what `quotes` finds in the sentence itself, since no sentence ends inside a quote and
    a quote ends at its first closing mark."""
    return tuple(Quote(q.start - start, q.end - start, q.text) for q in spans if start <= q.start and q.end <= end)


def inside_quote(position: int, spans: list[Quote]) -> bool:
    return any(q.start <= position < q.end for q in spans)


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, never inside quotes or after an abbreviation/initial."""
    return [paragraph[start:end] for start, end in sentence_spans(paragraph)]


def sentence_spans(paragraph: str, spans: tuple[Quote, ...] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, surrounding white space left out. `spans`:
    the paragraph's quotes, when the caller has them already."""
    if spans is None:
        spans = quotes(paragraph)
    abbreviations = _abbreviations()
    result, start = [], 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end()
        following = paragraph[end:end + 2].lstrip()[:1]
        if following.isalpha() and not following.isupper():
            continue
        if spans and inside_quote(match.start(), spans):
            continue
        token, token_start = _last_token(paragraph, start, match.start())
        word = token.lower().lstrip("(«\"“")
        if word in abbreviations or (len(word) == 1 and word.isalpha()):
            continue
        # Both shapes hold an inner period.
        if "." in token and (_DOTTED.fullmatch(token) and token.islower()
                      or _INITIALS.fullmatch(token) and token.isupper()
                      and not _after_surname(paragraph, start, token_start)):
            continue
        result.append(_stripped(paragraph, start, end))
        start = end
    if paragraph[start:].strip():
        result.append(_stripped(paragraph, start, len(paragraph)))
    return result


def _last_token(text: str, start: int, end: int) -> tuple[str, int]:
    """The token that ends right at `end` and where it starts ("" when white space comes first):
    rsplit reads from the end only, where a regex anchored at `end` scans from `start`."""
    if end > start and text[end - 1] == "\n":
        end -= 1  # as a regex's `$`, which also matches before a final newline
    if end <= start or text[end - 1].isspace():
        return "", end
    token = text[start:end].rsplit(None, 1)[-1]
    return token, end - len(token)


def _after_surname(paragraph: str, start: int, position: int) -> bool:
    """A capitalised word right before the initials ("Иванов И.И."; not an acronym, "МИД РФ Д.А.
    Биричевский", nor the end of a list item, "С.М. Жиентаев, Д.М. Легкий")."""
    before = _WORD_BEFORE.search(paragraph, start, position)
    word = before.group(1) if before else ""
    return word[:1].isupper() and not word.isupper() and word.replace("-", "").isalpha()


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    segment = text[start:end]
    left = segment.lstrip()
    start += len(segment) - len(left)
    return start, start + len(left.rstrip())


def detect_language(language: str | None, paragraphs: list[str]) -> str | None:
    """The language whose pack reads the article: the article's own when stated (None when no
    pack has it: no other language's rules are guessed at), else the pack whose script the
    text is written in (a pack's distinctive letters first)."""
    from etl.lang import guess_language, pack

    if language:
        return pack(language).code if pack(language) is not None else None
    return guess_language(" ".join(paragraphs)[:2000])


def strip_article(text: str) -> str:
    """Drop a leading English article ("the 30th anniversary" -> "30th anniversary")."""
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def clean_fragment(text: str) -> str:
    """Trim white space and trailing punctuation of an extracted phrase."""
    return re.sub(r"[\s,;:.]+$", "", re.sub(r"^[\s,;:]+", "", text))


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
