"""How big an event was: participants and countries, as the text states them (the number words
and count phrases of each language come from its pack)."""

from __future__ import annotations

import functools
import re

from etl.lang import lowered_text, pack


def _number(text: str, language_pack) -> int | None:
    text = text.lower()
    if text[0].isdigit():
        return int(re.sub(r"[ \u00a0,]", "", text))
    return language_pack.number_words.get(text)


def _holds(sentence: str, stems: tuple[str, ...]) -> bool:
    lowered = lowered_text(sentence)
    for stem in stems:
        if stem in lowered:
            return True
    return False


_DIGIT = re.compile(r"\d")


@functools.cache
def _number_word(language: str) -> re.Pattern:
    words = sorted(pack(language).number_words, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)") if words else re.compile(r"(?!x)x")


def _first_count(patterns, sentence: str, language: str) -> int | None:
    if not _DIGIT.search(sentence) and not _number_word(language).search(lowered_text(sentence)):
        return None
    language_pack = pack(language)
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            clause = re.split(r"[.;:,]", sentence[:match.start("n")])[-1][-30:] + match.group(0) + \
                re.split(r"[.;:,]", sentence[match.end():])[0][:25]
            if language_pack.not_counted.search(clause):
                continue  # people invited or awarded, regions, companies: not those who attend
            value = _number(match.group("n"), language_pack)
            # Years ("in 2021 participants...") are not counts.
            if value is not None and not (1900 <= value <= 2100 and len(match.group("n")) == 4):
                return value
    return None


def participants_count(sentence: str, language: str) -> int | None:
    language_pack = pack(language)
    if not _holds(sentence, language_pack.participant_stems):
        return None
    return _first_count(language_pack.participants, sentence, language)


def countries_count(sentence: str, language: str) -> int | None:
    language_pack = pack(language)
    if not _holds(sentence, language_pack.country_stems):
        return None
    return _first_count(language_pack.countries, sentence, language)
