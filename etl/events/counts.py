"""How big an event was: participants and countries, as the text states them."""

from __future__ import annotations

import re

from etl.events.text import lowered_text

_EN_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100,
}
_RU_WORDS = {
    "двух": 2, "два": 2, "трех": 3, "трёх": 3, "три": 3, "четырех": 4, "четырёх": 4, "четыре": 4,
    "пяти": 5, "пять": 5, "шести": 6, "шесть": 6, "семи": 7, "семь": 7, "восьми": 8, "восемь": 8,
    "девяти": 9, "девять": 9, "десяти": 10, "десять": 10, "одиннадцати": 11, "одиннадцать": 11,
    "двенадцати": 12, "двенадцать": 12, "пятнадцати": 15, "пятнадцать": 15, "двадцати": 20,
    "двадцать": 20, "тридцати": 30, "тридцать": 30, "сорока": 40, "сорок": 40, "пятидесяти": 50,
    "пятьдесят": 50, "ста": 100, "сто": 100,
}
_NUMBER = (r"(?P<n>\d{1,3}(?:[ \u00a0,]\d{3})+|\d+|"
           + "|".join(sorted(set(_EN_WORDS) | set(_RU_WORDS), key=len, reverse=True)) + r")")
_APPROX_EN = r"(?:(?:more than|over|about|around|some|nearly|almost|approximately|roughly|up to|at least)\s+)?"
_APPROX_RU = r"(?:(?:более(?:\s+чем)?|свыше|около|порядка|почти|до|примерно|не менее)\s+)?"

_PARTICIPANTS = {
    "en": (
        re.compile(rf"\b(?:attended by|brought together|gathered|joined by|drew|attracted)\s+{_APPROX_EN}{_NUMBER}\b",
                   re.IGNORECASE),
        re.compile(rf"\b{_APPROX_EN}{_NUMBER}\s+(?:\w+\s+)?(?:participants|delegates|attendees|people|guests|"
                   rf"experts|specialists|representatives|scholars)\b", re.IGNORECASE),
    ),
    "ru": (
        re.compile(rf"(?<!\w)(?:приняли участие|приняло участие|участвовали|участвовало|собрал[аио]?|"
                   rf"объединил[аио]?|присутствовали|присутствовало)\s+{_APPROX_RU}{_NUMBER}(?!\w)", re.IGNORECASE),
        re.compile(rf"(?<!\w){_APPROX_RU}{_NUMBER}\s+(?:участник\w*|делегат\w*|человек|гост\w*|эксперт\w*|"
                   rf"специалист\w*|представител\w*)", re.IGNORECASE),
    ),
}
_COUNTRIES = {
    "en": (
        re.compile(rf"\b(?:from|of|representing)\s+{_APPROX_EN}{_NUMBER}\s+(?:\w+\s+)?(?:countries|states|nations)\b",
                   re.IGNORECASE),
        re.compile(rf"\b{_APPROX_EN}{_NUMBER}\s+(?:countries|nations)\b", re.IGNORECASE),
    ),
    "ru": (
        re.compile(rf"(?<!\w)из\s+{_APPROX_RU}{_NUMBER}\s+(?:\w+\s+)?(?:стран|государств)(?!\w)", re.IGNORECASE),
        re.compile(rf"(?<!\w){_APPROX_RU}{_NUMBER}\s+(?:стран|государств)(?!\w)", re.IGNORECASE),
    ),
}


def _number(text: str, language: str) -> int | None:
    text = text.lower()
    if text[0].isdigit():
        return int(re.sub(r"[ \u00a0,]", "", text))
    return (_EN_WORDS if language == "en" else _RU_WORDS).get(text)


# Cheap pre-checks: the words every pattern needs.
_PARTICIPANT_WORDS = ("particip", "delegat", "attend", "people", "guest", "expert", "specialist", "represent",
                      "scholar", "together", "gathered", "joined", "drew", "attract", "участ", "делегат",
                      "человек", "гост", "эксперт", "специалист", "представител", "собрал", "объедин", "присутств")
_COUNTRY_WORDS = ("countr", "nation", "states", "стран", "государств")


def _holds(sentence: str, stems: tuple[str, ...]) -> bool:
    lowered = lowered_text(sentence)
    for stem in stems:
        if stem in lowered:
            return True
    return False


_DIGIT = re.compile(r"\d")
_NUMBER_WORD = re.compile(r"(?<!\w)(?:" + "|".join(sorted(set(_EN_WORDS) | set(_RU_WORDS), key=len, reverse=True)) + r")(?!\w)")


def _first_count(patterns, sentence: str, language: str) -> int | None:
    if not _DIGIT.search(sentence) and not _NUMBER_WORD.search(lowered_text(sentence)):
        return None
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            value = _number(match.group("n"), language)
            # Years ("in 2021 participants...") are not counts.
            if value is not None and not (1900 <= value <= 2100 and len(match.group("n")) == 4):
                return value
    return None


def participants_count(sentence: str, language: str) -> int | None:
    if not _holds(sentence, _PARTICIPANT_WORDS):
        return None
    return _first_count(_PARTICIPANTS[language], sentence, language)


def countries_count(sentence: str, language: str) -> int | None:
    if not _holds(sentence, _COUNTRY_WORDS):
        return None
    return _first_count(_COUNTRIES[language], sentence, language)
