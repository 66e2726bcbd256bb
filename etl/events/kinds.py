"""Event types and session kinds: the type of each event noun a language pack lists."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.lang import first_chars, lowered_text, pack


@dataclass(frozen=True)
class TypeMention:
    type: str
    start: int
    end: int
    text: str


@functools.cache
def _event_pattern(language: str) -> re.Pattern:
    # Matched on lower-cased text, whole words only: the leading look-behind rejects positions
    # inside words at once, and a look-ahead for the letters a type noun can begin with rejects
    # most word starts before the long alternation is tried.
    types = pack(language).event_types
    alternatives = "(?:" + "|".join(f"(?P<t{i}>{p})" for i, (_, p) in enumerate(types)) + ")"
    first = first_chars(alternatives)
    ahead = "(?=[" + "".join(re.escape(c) for c in sorted(first)) + "])" if first else ""
    return re.compile(r"(?<![\w-])" + ahead + alternatives + r"(?!\w)")


def event_type_mentions(text: str, language: str) -> list[TypeMention]:
    """Event-type nouns in `text` (a word inside a longer word is not one: "videoconference"
    is a format, not a conference)."""
    language_pack = pack(language)
    lowered = lowered_text(text)
    sessions = _body_sessions(text, language_pack)
    for stem in language_pack.event_stems:
        if stem in lowered:
            break
    else:
        return sessions
    if len(lowered) != len(text):  # lower-casing moved offsets (rare letters): match the text itself
        lowered = text
    pattern = _event_pattern(language)
    mentions = []
    taken_until = -1  # "a ceremonial gathering": its noun belongs to the ceremony
    for m in pattern.finditer(lowered):
        if m.start() <= taken_until:
            continue
        if m.group(0) == language_pack.ceremonial_adjective:
            following = pattern.match(lowered, m.end() + 1)
            if following and language_pack.event_types[int(following.lastgroup[1:])][0] != "meeting":
                continue  # "a ceremonial reception" is a reception; "a ceremonial gathering" a ceremony
            if following:
                taken_until = following.start()
        start, end = m.span()
        if m.group(0).startswith(language_pack.format_prefixes):
            continue  # "videoconference" is a format, not a conference
        index = int(m.lastgroup[1:])
        event_type = language_pack.event_types[index][0]
        for refined, following, new_type in language_pack.type_refinements:
            if event_type == refined and following.match(text, end):
                event_type = new_type
        mentions.append(TypeMention(event_type, start, end, text[start:end]))
    if sessions:
        mentions = sorted(mentions + [s for s in sessions if not any(m.start <= s.start < m.end for m in mentions)],
                          key=lambda m: m.start)
    return mentions


def _body_sessions(text: str, language_pack) -> list[TypeMention]:
    """"A session of the State Council presidium": the session of a standing body is a meeting."""
    found = []
    for pattern in language_pack.body_sessions:
        for m in pattern.finditer(text):
            word = m.group(0).split()[0]
            found.append(TypeMention("meeting", m.start(), m.start() + len(word), word))
    return found


class _SessionNouns:
    """Nouns that name a part of an event when a parent event exists, per language."""

    @functools.cache
    def __getitem__(self, language: str):
        from etl.lang import Prefiltered

        language_pack = pack(language)
        return Prefiltered(re.compile(rf"(?<![\w]){language_pack.session_nouns}(?!\w)", re.IGNORECASE),
                           language_pack.session_stems)


class _PackField:
    def __init__(self, name: str):
        self.name = name

    def __getitem__(self, language: str):
        return getattr(pack(language), self.name)


SESSION_NOUN = _SessionNouns()
ONLINE = _PackField("online")
HYBRID = _PackField("hybrid")
OFFLINE = _PackField("offline")
PLENARY = _PackField("plenary")
SECTION = _PackField("section")
