"""An event's name (quoted, or a proper name ending in its type noun) and its occasion."""

from __future__ import annotations

import re

from etl.events.kinds import TypeMention
from etl.events.text import Prefiltered, Quote, clean_fragment, strip_article

_LEAD_IN = re.compile(
    r"^\s*(?:(?:titled|entitled|called|named|on the (?:topic|theme) of|on the (?:topic|theme)|under the (?:title|motto)|"
    r"под названием|на тему|по теме|под девизом)\s*)?[:,—–-]?\s*$", re.IGNORECASE)
_TRAIL_IN = re.compile(r"^\s*(?:international\s+|annual\s+|expert\s+|международн\w+\s+|ежегодн\w+\s+)?$", re.IGNORECASE)

# Words that describe a kind of event rather than name one ("International Scientific and
# Practical Conference" is a description; "Eurasian Economic Forum" is a name).
_GENERIC = {
    "international", "scientific", "practical", "scientific-practical", "annual", "regional", "republican",
    "expert", "online", "joint", "national", "interregional", "global", "high-level", "and", "of", "the",
    "on", "for", "first", "second", "third", "open", "final", "plenary", "special", "working", "extended",
    "bilateral", "trilateral", "meeting", "session", "anniversary", "jubilee", "academic", "research",
    "scientific-and-practical", "roundtable", "round", "table",
}
# "Forum of Belarus and Russia": a proper name may go on after its type noun.
_EN_NAME_TAIL = re.compile(r"(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:and|of|the|for|[A-Z][\w’'-]*))*)?")
_EN_NAME_RUN = re.compile(r"(?:[A-Z0-9][\w’'.-]*|of|for|on|and|the)(?:\s+(?:[A-Z0-9][\w’'.-]*|of|for|on|and|the))*\s*$")


def event_name(sentence: str, mention: TypeMention, spans: list[Quote], language: str) -> str | None:
    """The quoted name right after (or right before) the type noun; in English also a
    capitalized proper name that ends in the type noun ("the Eurasian Economic Forum")."""
    for quote in spans:
        if quote.start >= mention.end and _LEAD_IN.match(sentence[mention.end:quote.start]):
            return quote.text
    for quote in reversed(spans):
        if quote.end <= mention.start and _TRAIL_IN.match(sentence[quote.end:mention.start]):
            return quote.text
    if language == "en" and mention.text[:1].isupper():
        run = _EN_NAME_RUN.search(sentence[:mention.start])
        if run:
            words = run.group(0).split()
            while words and (words[0].lower() in ("the", "of", "and", "for", "on") or re.match(r"^\d+(?:st|nd|rd|th)$|^[IVXLC]+$", words[0])):
                words.pop(0)
            tail = _EN_NAME_TAIL.match(sentence[mention.end:])
            tail_words = tail.group(0).split() if tail else []
            while tail_words and tail_words[-1] in ("and", "of", "the", "for", "on"):
                tail_words.pop()
            if (not words or words[0][:1].isupper()) and any(w.lower() not in _GENERIC for w in words + tail_words):
                return " ".join(words + [mention.text] + tail_words)
    if language == "ru":
        return _russian_proper_name(sentence, mention)
    return None


_RU_GENERIC = {"международный", "научно-практический", "ежегодный", "экспертный", "республиканский",
               "региональный", "межрегиональный", "открытый", "итоговый", "научный", "практический",
               "тематический", "онлайн", "совместный", "двусторонний", "расширенный", "пленарный",
               "выездной", "традиционный", "очередной", "первый", "второй", "третий", "юбилейный"}
_RU_TOKEN = re.compile(r"\s*([А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*)")


def _russian_proper_name(sentence: str, mention: TypeMention) -> str | None:
    """Unquoted Russian names: "Форум регионов Беларуси и России" (a capitalized type noun and its
    genitive complements) or "Петербургский международный экономический форум" (capitalized
    adjectives before it); put in the nominative."""
    from etl.lang.ru_morphology import nominative_phrase, parses

    before = _adjectives_before(sentence, mention.start, parses)
    tail = []
    if mention.text[:1].isupper() and (mention.start > 0 or before):
        position = mention.end
        pending_and = False
        while True:
            match = _RU_TOKEN.match(sentence, position)
            if not match:
                break
            word = match.group(1)
            if word == "и" and tail and not pending_and:
                pending_and, position = True, match.end()
                continue
            first = parses(word)[0]
            if not ({"NOUN", "ADJF"} & set(first.tag.grammemes)) or "gent" not in first.tag:
                break
            if pending_and:
                tail.append("и")
                pending_and = False
            tail.append(word)
            position = match.end()
    if before:
        words = before + [mention.text] + tail
        if any(w.lower() not in _RU_GENERIC for w in (parses(b)[0].normal_form for b in before)):
            return nominative_phrase(" ".join(words))
    if tail:
        return nominative_phrase(" ".join([mention.text] + tail))
    return None


def _adjectives_before(sentence: str, start: int, parses) -> list[str]:
    """Capitalized adjective chain right before the type noun ("Петербургском международном")."""
    words = sentence[:start].split()
    chain: list[str] = []
    while words:
        word = words[-1].strip("«»\"(")
        parse = parses(word)[0] if re.fullmatch(r"[А-ЯЁа-яё-]+", word) else None
        if parse is None or not ({"ADJF", "PRTF"} & set(parse.tag.grammemes)):
            break
        chain.insert(0, word)
        words.pop()
    while chain and not chain[0][:1].isupper():
        chain.pop(0)
    # A capital that only starts the sentence does not make a name.
    if chain and sentence[:start].strip().split()[0] == chain[0] and len(chain) == len(sentence[:start].split()):
        return []
    return chain


_OCCASION = {
    "en": (
        Prefiltered(re.compile(r"\b(?:dedicated|devoted)\s+to\s+(?P<x>[^,;.]+)", re.IGNORECASE),
                    ("dedicated", "devoted")),
        Prefiltered(re.compile(r"\b(?:on the occasion of|to mark|marking|in honou?r of|to commemorate|to celebrate|"
                               r"timed to coincide with|timed to)\s+(?P<x>[^,;.]+)", re.IGNORECASE),
                    ("occasion", "mark", "honor", "honour", "commemorate", "celebrate", "timed")),
    ),
    "ru": (
        Prefiltered(re.compile(r"(?<!\w)посвящ[её]нн\w*\s+(?P<x>[^,;.]+)", re.IGNORECASE), ("посвящ",)),
        Prefiltered(re.compile(r"(?<!\w)(?:приурочен\w*\s+к|в честь|по случаю|в ознаменование)\s+(?P<x>[^,;.]+)",
                               re.IGNORECASE), ("приурочен", "в честь", "по случаю", "в ознаменование")),
    ),
}
# "Dedicated to" also introduces topics ("dedicated to regional security"): an occasion is a
# date-like thing: an anniversary, a Day, a jubilee, a memory.
_OCCASION_WORDS = re.compile(
    r"anniversary|jubilee|centenary|centennial|\bDay\b|\bYear of\b|memory|"
    r"лети[юяе]|годовщин|юбиле|\bДн[юяе]\b|\bДень\b|\bГод[ау]?\b|памят|столети", re.IGNORECASE)
_OCCASION_END = re.compile(r"\s+(?:as well as|and also|and to|а также|и к)\b.*$", re.IGNORECASE)


def occasion_in(sentence: str, language: str) -> str | None:
    strong, weak = _OCCASION[language]
    match = weak.search(sentence)
    if match is None:
        match = strong.search(sentence)
        if match is None or not _OCCASION_WORDS.search(match.group("x")):
            return None
    text = _OCCASION_END.sub("", match.group("x"))
    return strip_article(clean_fragment(text)) or None
