"""Where an event took place: a city (as written and canonical) and its country."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl import geo
from etl.events.text import inside_quote, quotes


@dataclass(frozen=True)
class Place:
    city: str | None
    city_as_written: str | None
    country: str | None


# "in Minsk", "в Минске", "hosted by Minsk": a capitalized run after a locative preposition.
_LOCATIVE = {
    "en": re.compile(r"\b(?:in|at|to)\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"),
    "ru": re.compile(r"(?<!\w)(?:в|во|на)\s+(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*(?:\s+[А-ЯЁ][а-яё]+)?)"),
}
_REGION_WORDS = re.compile(r"\b(?:Region|Oblast|District|Territory|Republic|Province|Krai|область|район|край|"
                           r"республик\w*)\b", re.IGNORECASE)


def city_in(sentence: str, language: str) -> Place | None:
    """The first city a sentence names outside quotes and outside longer proper names
    ("Moscow State University" is not Moscow)."""
    spans = quotes(sentence)
    for match, city in geo.find_cities(sentence, language):
        if inside_quote(match.start(), spans) or _part_of_longer_name(sentence, match, language):
            continue
        return Place(city.name, match.group(0), city.country)
    for match in _LOCATIVE[language].finditer(sentence):
        if inside_quote(match.start(), spans):
            continue
        name = match.group("name")
        for candidate in (name, name.split(" ")[0]) if " " in name else (name,):
            if candidate != name and language == "en":
                break  # "Moscow Region": the run as a whole is not a city, so neither is its head
            city = geo.resolve_city(candidate, language)
            if city is not None:
                return Place(city.name, candidate, city.country)
    return None


def country_in(sentence: str, language: str) -> str | None:
    """A country the sentence places something in: "in Kazakhstan", "в Казахстане"."""
    preposition = r"\b(?:in|to)\s+(?:the\s+)?$" if language == "en" else r"(?<!\w)(?:в|во)\s+$"
    for match, code in geo._country_matcher(language).finditer(sentence):
        if re.search(preposition, sentence[max(0, match.start() - 12):match.start()]):
            return code  # type: ignore[return-value]
    return None


def _part_of_longer_name(sentence: str, match: re.Match, language: str) -> bool:
    after = sentence[match.end():match.end() + 30]
    if language == "en":
        return bool(re.match(r"\s+(?!Region\b|Oblast\b)[A-Z][a-z]", after)) or bool(re.match(r"’s|'s", after))
    return False  # Russian city adjectives (Минский) are other words than the city's forms


# "MINSK, 10 December (BelTA) -", "НУР-СУЛТАН, 10 декабря. /Казинформ/": a capitalized city
# opening the text, as news agencies write it.
_TEXT_DATELINE = re.compile(r"^(?P<city>[A-ZА-ЯЁ][A-ZА-ЯЁ.’'-]+(?:[ -][A-ZА-ЯЁ][A-ZА-ЯЁ.’'-]+){0,2})\s*(?:,|\(|—|–|-)")


def text_dateline(paragraph: str, language: str) -> Place | None:
    match = _TEXT_DATELINE.match(paragraph or "")
    if not match:
        return None
    written = match.group("city")
    city = geo.resolve_city(written.title(), language)
    return Place(city.name, written, city.country) if city else None


def place_from_dateline(place: str | None, language: str) -> Place | None:
    """A page's stated place ("Novo-Ogaryovo, Moscow Region", "The Kremlin, Moscow"): the first
    known city among its parts, else its first part that is not a region or a venue."""
    if not place:
        return None
    parts = [p.strip() for p in re.split(r"[,;]", place) if p.strip()]
    for part in parts:
        city = geo.resolve_city(re.sub(r"^(?:the|г\.)\s+", "", part, flags=re.IGNORECASE), language)
        if city is not None:
            return Place(city.name, part, city.country)
    country = None
    for part in parts:
        code = geo.country_code(re.sub(r"^(?:the)\s+", "", part, flags=re.IGNORECASE), language) or \
            geo.country_code(part, language)
        if code:
            country = code
            continue
        head = _REGION_WORDS.sub("", part).strip()
        city = geo.resolve_city(head, language) if head else None
        if city is not None:
            country = country or city.country
    locality = next((p for p in parts if not _REGION_WORDS.search(p) and not geo.country_code(p, language)
                     and not geo.country_code(re.sub(r"^the\s+", "", p, flags=re.IGNORECASE), language)), None)
    if locality is None:
        return Place(None, None, country) if country else None
    return Place(locality, locality, country)


def landmark_place(sentence: str, language_pack) -> Place | None:
    """A landmark that stands for its city ("in the Kremlin" -> Moscow), from the pack's list."""
    for pattern, city_name in language_pack.landmarks:
        if pattern.search(sentence):
            city = geo.resolve_city(city_name, "en")
            if city is not None:
                return Place(city.name, city_name, city.country)
    return None
