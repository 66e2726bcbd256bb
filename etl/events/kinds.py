"""Event types and session kinds: the nouns that name them in English and Russian."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.events.text import Prefiltered, lowered_text

_RU_NOUN = r"(?:а|ы|и|у|е|ой|ом|ей|ами|ам|ах|ов|ю|я|ям|ями|ях)?"

# (canonical type, English pattern, Russian pattern). Order: longer phrases first.
_EVENT_TYPES: tuple[tuple[str, str, str], ...] = (
    ("round table", r"round[- ]?tables?", r"кругл(?:ый|ого|ому|ым|ом|ые|ых|ыми)\s+стол" + _RU_NOUN),
    ("conference", r"(?:video)?conferences?", r"(?:видео)?конференци(?:я|и|ю|ей|ях|ям|ями)"),
    ("forum", r"forums?|fora", r"форум" + _RU_NOUN),
    ("summit", r"summits?", r"саммит" + _RU_NOUN),
    ("seminar", r"seminars?|webinars?", r"(?:семинар|вебинар)" + _RU_NOUN),
    ("workshop", r"workshops?|master[- ]class(?:es)?", r"мастер-класс" + _RU_NOUN),
    ("symposium", r"symposium|symposia", r"симпозиум" + _RU_NOUN),
    ("congress", r"congress(?:es)?", r"(?:съезд|конгресс)" + _RU_NOUN),
    ("readings", r"readings", r"чтени(?:я|й|ях|ям|ями)"),
    ("talks", r"talks|negotiations", r"переговор(?:ы|ов|ах|ам|ами)"),
    ("visit", r"visits?", r"визит" + _RU_NOUN),
    ("briefing", r"briefings?", r"брифинг" + _RU_NOUN),
    ("lecture", r"lectures?", r"лекци(?:я|и|ю|ей|ях|ям|ями)"),
    ("presentation", r"presentations?", r"презентаци(?:я|и|ю|ей|ях|ям|ями)"),
    ("exhibition", r"exhibitions?", r"выставк(?:а|и|у|е|ой|ах|ам|ами)"),
    ("ceremony", r"ceremon(?:y|ies)|ceremonial", r"церемони(?:я|и|ю|ей)|торжественн(?:ое|ого|ом|ому)\s+собрани(?:е|я|и|ю)"),
    ("concert", r"concerts?", r"концерт" + _RU_NOUN),
    ("parade", r"parades?", r"парад" + _RU_NOUN),
    ("reception", r"receptions?", r"при[её]м(?:а|е|у|ом)?"),
    ("tournament", r"tournaments?|championships?", r"турнир" + _RU_NOUN + r"|чемпионат" + _RU_NOUN),
    ("consultations", r"consultations", r"консультаци(?:и|й|ях|ям|ями)"),
    ("meeting", r"meetings?|gatherings?|video ?link(?:up)?s?",
     r"(?:встреч(?:а|и|у|е|ей|ам|ами|ах)?|совещани(?:е|я|ю|ем|и|й)|заседани(?:е|я|ю|ем|и|й|ях))"),
)

# Nouns that name a part of an event when a parent event exists.
_SESSION_NOUNS = {
    "en": r"(?:plenary\s+)?sessions?|panels?|sections?|panel\s+discussions?|plenar(?:y|ies)",
    "ru": r"(?:сесси(?:я|и|ю|ей|ях|ям|ями)|секци(?:я|и|ю|ей|ях|ям|ями)|"
          r"заседани(?:е|я|ю|ем|и|й|ях)|панел(?:ь|и|ью|ей|ях|ям|ями))",
}

# Matched on lower-cased text, whole words only: the leading look-behind rejects positions
# inside words at once, which keeps this long alternation cheap.
_EVENT_PATTERN = {
    lang: re.compile(
        r"(?<![\w-])(?:"
        + "|".join(f"(?P<t{i}>{spec[1 if lang == 'en' else 2]})" for i, spec in enumerate(_EVENT_TYPES))
        + r")(?!\w)"
    )
    for lang in ("en", "ru")
}


@dataclass(frozen=True)
class TypeMention:
    type: str
    start: int
    end: int
    text: str


# Cheap pre-check: most sentences name no event type at all.
_STEMS = {
    "en": ("round", "conferen", "forum", "fora", "summit", "seminar", "webinar", "workshop", "master",
           "symposi", "congress", "reading", "talks", "negotiation", "visit", "briefing", "lecture",
           "presentation", "exhibition", "ceremon", "video", "consultation", "meeting", "gathering", "concert",
           "parade", "reception", "tournament", "championship"),
    "ru": ("кругл", "конференц", "форум", "саммит", "семинар", "вебинар", "мастер-класс", "симпозиум",
           "съезд", "конгресс", "чтени", "переговор", "визит", "брифинг", "лекци", "презентац", "выставк",
           "церемони", "консультац", "встреч", "совещани", "заседани", "торжествен", "концерт", "парад",
           "прием", "приём", "турнир", "чемпионат"),
}


def event_type_mentions(text: str, language: str) -> list[TypeMention]:
    """Event-type nouns in `text` (a word inside a longer word is not one: "videoconference"
    is a format, not a conference)."""
    lowered = lowered_text(text)
    sessions = _body_sessions(text, language)
    for stem in _STEMS[language]:
        if stem in lowered:
            break
    else:
        return sessions
    if len(lowered) != len(text):  # lower-casing moved offsets (rare letters): match the text itself
        lowered = text
    mentions = []
    for m in _EVENT_PATTERN[language].finditer(lowered):
        if m.group(0) == "ceremonial" and _EVENT_PATTERN[language].match(lowered, m.end() + 1):
            continue  # "a ceremonial reception" is a reception
        start, end = m.span()
        if m.group(0).startswith(("video", "видео")):
            continue
        index = int(m.lastgroup[1:])
        mentions.append(TypeMention(_EVENT_TYPES[index][0], start, end, text[start:end]))
    if sessions:
        mentions = sorted(mentions + [s for s in sessions if not any(m.start <= s.start < m.end for m in mentions)],
                          key=lambda m: m.start)
    return mentions


def _body_sessions(text: str, language: str) -> list[TypeMention]:
    """"A session of the State Council presidium": the session of a standing body is a meeting."""
    from etl.lang import pack

    found = []
    for pattern in pack(language).body_sessions:
        for m in pattern.finditer(text):
            found.append(TypeMention("meeting", m.start(), m.start() + len(m.group(0).split()[0]), m.group(0).split()[0]))
    return found


_SESSION_STEMS = {"en": ("session", "panel", "section", "plenar"), "ru": ("сесси", "секци", "заседани", "панел")}
SESSION_NOUN = {lang: Prefiltered(re.compile(rf"(?<![\w]){p}(?!\w)", re.IGNORECASE), _SESSION_STEMS[lang])
                for lang, p in _SESSION_NOUNS.items()}

# A session noun in a Russian compound keeps its qualifier: "онлайн-сессии", "онлайн-панельных".
ONLINE = {
    "en": Prefiltered(re.compile(r"\b(?:online|on-line|virtual|remote(?:ly)?|via video ?conference|"
                     r"by video ?conference|videoconference|webinars?|via video link|"
                     r"in (?:an? )?(?:online|virtual|videoconference) (?:format|mode))\b", re.IGNORECASE),
                      ("online", "on-line", "virtual", "remote", "video", "webinar")),
    "ru": Prefiltered(re.compile(r"(?<!\w)(?:онлайн|он-лайн|дистанционн\w*|виртуальн\w*|видеоконференц\w*|"
                     r"вебинар\w*|видеосвяз\w*|в режиме видео\w*|в онлайн-формате|в формате онлайн)",
                     re.IGNORECASE), ("онлайн", "он-лайн", "дистанцион", "виртуальн", "видео", "вебинар")),
}
HYBRID = {
    "en": Prefiltered(re.compile(r"\b(?:hybrid|mixed format|both online and offline|offline and online|"
                     r"in person and online|online and in person|online and offline)\b", re.IGNORECASE),
                      ("hybrid", "mixed", "online")),
    "ru": Prefiltered(re.compile(r"(?<!\w)(?:гибридн\w*|смешанн\w+ формат\w*|очно-заочн\w*|"
                     r"офлайн и онлайн|онлайн и офлайн|очно и онлайн|онлайн и очно)", re.IGNORECASE),
                      ("гибрид", "смешан", "очно", "онлайн")),
}
OFFLINE = {
    "en": Prefiltered(re.compile(r"\b(?:in[- ]person|offline|face[- ]to[- ]face)\b", re.IGNORECASE),
                      ("person", "offline", "face")),
    "ru": Prefiltered(re.compile(r"(?<!\w)(?:очн(?:ом|ый|ая|ое|о)\b|офлайн|оффлайн)", re.IGNORECASE),
                      ("очн", "офлайн", "оффлайн")),
}

PLENARY = re.compile(r"plenar|пленарн", re.IGNORECASE)
SECTION = re.compile(r"\bsection|секци", re.IGNORECASE)
