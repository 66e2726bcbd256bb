"""Sessions of an event (plenary, panel, section...) and the event's format.

"The plenary session "A" and three online panel sessions", "The thematic online sessions "B"
and "C"", "took part in the online session "D"", "В работе пленарного заседания «А» и трех
онлайн-панельных сессий": each named session gets its kind and, when stated, its format.
Unnamed sessions still tell the format ("three online panel sessions").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.events.kinds import HYBRID, OFFLINE, ONLINE, SESSION_NOUN
from etl.events.text import quotes
from etl.lang import pack


@dataclass
class SessionMention:
    kind: str
    online: bool
    offline: bool
    names: list[str]
    start: int


def session_mentions(sentence: str, language: str) -> list[SessionMention]:
    """Session nouns in a sentence with their qualifiers and the quoted names that follow."""
    spans = quotes(sentence)
    mentions = []
    previous_end = 0
    for match in SESSION_NOUN[language].finditer(sentence):
        if any(q.start <= match.start() < q.end for q in spans):
            continue
        qualifier = _qualifier(sentence, previous_end, match.start(), language) + " " + match.group(0)
        previous_end = match.end()
        names = _names_after(sentence, match.end(), spans, language)
        if names:
            previous_end = max(q.end for q in spans if q.text in names)
        mentions.append(SessionMention(
            kind=_kind(qualifier, language),
            online=bool(ONLINE[language].search(qualifier)),
            offline=bool(OFFLINE[language].search(qualifier)),
            names=names,
            start=match.start(),
        ))
    return mentions


def _qualifier(sentence: str, floor: int, start: int, language: str) -> str:
    """The words of the noun phrase before a session noun ("three online panel")."""
    window = sentence[max(floor, start - 40):start]
    # Cut at the last clause or phrase boundary, keeping Russian compounds ("онлайн-панельных").
    cut = 0
    for boundary in pack(language).phrase_boundary.finditer(window):
        cut = boundary.end()
    return window[cut:]


def _names_after(sentence: str, position: int, spans, language: str) -> list[str]:
    language_pack = pack(language)
    names = []
    cursor = position
    for quote in spans:
        if quote.start < cursor:
            continue
        gap = sentence[cursor:quote.start]
        if (not names and language_pack.session_name_lead.match(gap)) or \
                (names and language_pack.quote_link.match(gap)):
            names.append(quote.text)
            cursor = quote.end
        else:
            break
    return names


def _kind(qualifier: str, language: str) -> str:
    if pack(language).plenary.search(qualifier):
        return "plenary"
    if pack(language).section.search(qualifier):
        return "section"
    return "panel"


def sentence_format(sentence: str, language: str) -> str | None:
    """'hybrid', 'online' or 'offline' when the sentence says so about the event itself."""
    if HYBRID[language].search(sentence):
        return "hybrid"
    if ONLINE[language].search(sentence):
        return "online"
    if OFFLINE[language].search(sentence):
        return "offline"
    return None
