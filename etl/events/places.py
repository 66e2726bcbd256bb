"""Where an event took place: a city (as written and canonical) and its country. The
prepositions and region words of each language come from its pack."""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl import geo
from etl.events.text import inside_quote, quotes
from etl.lang import lowered_text, pack


@dataclass(frozen=True)
class Place:
    city: str | None
    city_as_written: str | None
    country: str | None


def city_in(sentence: str, language: str) -> Place | None:
    """The first city a sentence puts something in: named outside quotes, brackets and longer
    proper names ("Moscow State University" is not Moscow), after what the pack says places a
    thing in a city ("in Minsk", "в городе Ургенче", "Astana hosts"), not a city people come
    from, a seat in brackets or one side of "between Minsk and Astana"."""
    spans = quotes(sentence)
    language_pack = pack(language)
    for match, city in geo.find_cities(sentence, language):
        if inside_quote(match.start(), spans):
            continue
        if not language_pack.place_after.match(sentence, match.end()) and (
                _part_of_longer_name(sentence, match, language) or not _placed_there(sentence, match, language_pack)):
            continue
        return Place(city.name, match.group(0), city.country)
    for match in language_pack.city_marker.finditer(sentence):
        # "г. о. Солнечногорск", "the city of Gusev": a locality the gazetteer may not list.
        if inside_quote(match.start(), spans) or _in_brackets(sentence, match.start()):
            continue
        city = geo.resolve_city(match.group("name"), language)
        if city is not None:
            return Place(city.name, match.group("name"), city.country)
    for match in language_pack.locative.finditer(sentence):
        if inside_quote(match.start(), spans) or _in_brackets(sentence, match.start()):
            continue
        name = match.group("name")
        for candidate in (name, name.split(" ")[0]) if " " in name else (name,):
            if candidate != name and not language_pack.inflects:
                break  # "Moscow Region": the run as a whole is not a city, so neither is its head
            city = geo.resolve_city(candidate, language)
            if city is not None:
                return Place(city.name, candidate, city.country)
    return None


def capital_in(sentence: str, language: str) -> Place | None:
    """A country's capital the sentence puts something in without naming it ("in the Kazakh
    capital", "в казахстанской столице", "в столице Узбекистана")."""
    language_pack = pack(language)
    for pattern, code in language_pack.capitals:
        match = pattern.search(sentence)
        city = geo.capital_of(code) if match else None
        if city is not None:
            return Place(city.name, match.group("written"), city.country)
    lowered = lowered_text(sentence)
    if not any(stem in lowered for stem in language_pack.capital_of_country.stems):
        return None  # no "capital" at all: the country names need not be looked for
    for match, code in geo.country_mentions(sentence, language):
        before = language_pack.capital_of_country.pattern.search(sentence[max(0, match.start() - 30):match.start()])
        city = geo.capital_of(code) if before else None  # type: ignore[arg-type]
        if city is not None:
            return Place(city.name, before.group("written") + match.group(0), city.country)
    return None


def country_in(sentence: str, language: str) -> str | None:
    """A country the sentence places something in, outside quotes: "in Kazakhstan", "в Казахстане"."""
    preposition = pack(language).country_before
    spans = quotes(sentence)
    for match, code in geo.country_mentions(sentence, language):
        if inside_quote(match.start(), spans):
            continue  # a title's topic ("«Турбулентность в Сербии»"), not where it was held
        if preposition.search(sentence[max(0, match.start() - 24):match.start()]):
            return code  # type: ignore[return-value]
    return None


def _placed_there(sentence: str, match: re.Match, language_pack) -> bool:
    """Whether the words around a city put something in it (the pack's `place_before` and
    `place_after`); a pack without them takes every city named."""
    if _in_brackets(sentence, match.start()):
        return False  # "Egmont (Brussels)": an institution's seat
    if language_pack.place_before is None:
        return True
    return bool(language_pack.place_before.search(sentence[max(0, match.start() - 40):match.start()])
                or language_pack.place_after.match(sentence, match.end()))


def _in_brackets(sentence: str, position: int) -> bool:
    return sentence.rfind("(", 0, position) > sentence.rfind(")", 0, position)


def _part_of_longer_name(sentence: str, match: re.Match, language: str) -> bool:
    """"Moscow State University" is not Moscow (the pack says what continues a name)."""
    return bool(pack(language).longer_name.match(sentence, match.end()))


def place_from_dateline(place: str | None, language: str) -> Place | None:
    """A page's stated place ("Novo-Ogaryovo, Moscow Region", "The Kremlin, Moscow"): the first
    known city among its parts, else its first part that is not a region or a venue."""
    if not place:
        return None
    parts = [p.strip() for p in re.split(r"[,;]", place) if p.strip()]
    for part in parts:
        city = geo.resolve_city(pack(language).venue_prefix.sub("", part), language)
        if city is not None:
            return Place(city.name, part, city.country)
    country = None
    for part in parts:
        code = geo.country_code(pack(language).venue_prefix.sub("", part), language) or \
            geo.country_code(part, language)
        if code:
            country = code
            continue
        head = pack(language).region_words.sub("", part).strip()
        city = geo.resolve_city(head, language) if head else None
        if city is not None:
            country = country or city.country
    region_words = pack(language).region_words
    locality = next((p for p in parts if not region_words.search(p) and not geo.country_code(p, language)
                     and not geo.country_code(pack(language).venue_prefix.sub("", p), language)), None)
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


def state_body_country(sentence: str, language_pack) -> str | None:
    """The country of a state body or a state-named organisation the sentence names where the
    event was held (the pack's state adjectives before an organisation's head noun)."""
    for pattern, code in language_pack.state_bodies:
        match = pattern.search(sentence)
        if match and language_pack.org_heads.search(sentence, match.start(), match.end() + 60):
            return code
    # "at the Academy of Sciences of the Republic of Uzbekistan", "в Академии наук Республики
    # Узбекистан": the state named after the body's head noun.
    for match, code in geo.country_mentions(sentence, language_pack.code):
        before = sentence[max(0, match.start() - 90):match.start()]
        venue = language_pack.venue_of_state.search(before)
        if venue and language_pack.org_heads.search(venue.group(0)):
            return code  # type: ignore[return-value]
    return None
