"""Russian morphology for the extractors: pymorphy3, loaded lazily once per process and only
when a Russian article needs it (its dictionaries load in well under a second)."""

from __future__ import annotations

import functools
import re


@functools.cache
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=20000)
def parses(word: str):
    return morph().parse(word)


def _keep_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
    return word


def nominative_phrase(phrase: str) -> str:
    """The phrase with its head in the nominative: the words up to and including the first noun
    agree with it ("Белорусским институтом стратегических исследований" -> "Белорусский
    институт стратегических исследований"); the dependent words after it stay as written."""
    words = phrase.split(" ")
    head = None
    for index, word in enumerate(words):
        if word.isupper():
            return phrase
        nouns = [p for p in parses(word)[:1] if "NOUN" in p.tag]
        if nouns:
            head = (index, nouns[0])
            break
        if not any({"ADJF", "PRTF"} & set(p.tag.grammemes) for p in parses(word)):
            return phrase
    if head is None:
        return phrase
    index, noun = head
    if "nomn" in noun.tag:
        return phrase
    number = "plur" if "plur" in noun.tag else "sing"
    wanted = {"nomn", number}
    result = []
    for word in words[:index]:
        adjectives = [p for p in parses(word) if {"ADJF", "PRTF"} & set(p.tag.grammemes)
                      and noun.tag.case in p.tag and number in p.tag]
        adjective = adjectives[0] if adjectives else None
        grammemes = wanted | ({noun.tag.gender} if number == "sing" and noun.tag.gender else set())
        inflected = adjective.inflect(grammemes) if adjective else None
        result.append(_keep_case(word, inflected.word) if inflected else word)
    inflected = noun.inflect(wanted) or noun.inflect({"nomn"})
    result.append(_keep_case(words[index], inflected.word) if inflected else words[index])
    return " ".join(result + words[index + 1:])


# ---------------------------------------------------------------- people's names

def _capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def name_tags(word: str) -> set[str]:
    """Which of Name/Surn/Patr some parse of a capitalized word has."""
    if not word[:1].isupper() or word.isupper():
        return set()
    tags = set()
    for parse in parses(word)[:4]:
        for grammeme in ("Name", "Surn", "Patr"):
            if grammeme in parse.tag:
                tags.add(grammeme)
    return tags


def name_at(tokens: list[re.Match], index: int) -> tuple[int, str] | None:
    """A person's name starting at tokens[index]: Name [Patr] Surn, or Surn Name [Patr].
    Returns (index after the name, name in the nominative)."""
    words = []
    j = index
    while j < len(tokens) and len(words) < 3:
        word = tokens[j].group(0)
        if not name_tags(word):
            break
        words.append(word)
        j += 1
    tag_sets = [name_tags(w) for w in words]
    if len(words) < 2 or not ("Name" in tag_sets[0] or "Name" in tag_sets[1]):
        # A surname pymorphy reads as another word ("Еркин Тукумов", "Касым-Жомарт Токаев").
        words = person_words(tokens, index)
        if not words:
            return None
        j = index + len(words)
    return j, nominative_person(words)


def nominative_person(words: list[str]) -> str:
    """A name in the nominative ("Еркина Тукумова" -> "Еркин Тукумов"); one that already is
    stays as written."""
    case, gender = case_and_gender(words)
    if name_case(words) == "nomn":
        return " ".join(words)
    return " ".join(nominative_name(w, case, gender) for w in words)


MASCULINE_NOMINATIVE = re.compile(r"(?:ов|ев|ёв|ин|ын|ский|цкий|енко|ко|ых|их|юк|ук)$")


def name_case(words: list[str]) -> str | None:
    """The case a name is written in: the given name's, which the dictionary knows ("Марат",
    "Еркина"); without one, the surname's: a masculine -ов/-ин/-ский form, or an indeclinable
    one, is the nominative ("С.С. Исмаилов", "А. Лукашенко")."""
    for word in words:
        cases = [p.tag.case for p in parses(word) if "Name" in p.tag and "sing" in p.tag]
        if cases and "Fixd" not in str(parses(word)[0].tag):
            return "nomn" if "nomn" in cases else cases[0]
    surname = words[-1] if not SURNAME_ENDING.search(words[0]) else words[0]
    if MASCULINE_NOMINATIVE.search(surname):
        return "nomn"
    found = [p.tag.case for p in parses(surname)[:3]]
    return "nomn" if "nomn" in found else (found[0] if found else None)


def case_and_gender(words: list[str]) -> tuple[str | None, str | None]:
    """Case and gender of a name, from its best-known part (a dictionary surname or name)."""
    for grammeme in ("Surn", "Name", "Patr"):
        for word in words:
            if not morph().word_is_known(word):
                continue
            for parse in parses(word):
                if grammeme in parse.tag:
                    return parse.tag.case, parse.tag.gender
    return None, None


# Case endings of names pymorphy does not know (Элдором -> Элдор, Гульнарой -> Гульнара).
_UNKNOWN_NAME_ENDINGS = {
    "masc": {"gent": ("а", ""), "datv": ("у", ""), "accs": ("а", ""), "ablt": ("ом", ""), "loct": ("е", "")},
    "femn": {"gent": ("ы", "а"), "datv": ("е", "а"), "accs": ("у", "а"), "ablt": ("ой", "а"), "loct": ("е", "а")},
}


def nominative_name(word: str, case: str | None = None, gender: str | None = None) -> str:
    if case and case != "nomn" and not morph().word_is_known(word):
        ending, replacement = _UNKNOWN_NAME_ENDINGS.get(gender or "", {}).get(case, (None, None))
        if ending and word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + replacement
        return word
    named = [p for p in parses(word) if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
    if not named or "nomn" in named[0].tag:
        return word
    inflected = named[0].inflect({"nomn"})
    if inflected is None:
        return word
    return "-".join(_capitalize_first(part) for part in inflected.word.split("-"))



# "И.И. Иванов", "А.Лукашенко", "Иванов И.И."
INITIALS = re.compile(r"(?<![\w.])(?:(?P<i1>[А-ЯЁ]\.(?:\s?[А-ЯЁ]\.)?)\s?(?P<s1>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
                      r"|(?P<s2>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s(?P<i2>[А-ЯЁ]\.\s?[А-ЯЁ]\.))(?![\w])")



def person_words(tokens: list[re.Match], index: int) -> list[str]:
    """A first name and a surname (either order, a patronymic between) at tokens[index]: one
    word a dictionary first name, the others capitalised words that are no place or
    organisation (surnames pymorphy does not know: Кортунов, Мауль)."""
    words = []
    for token in tokens[index:index + 3]:
        word = token.group(0)
        if not re.fullmatch(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?", word):
            break
        first = parses(word)[0]
        # After a first name, a surname-shaped word is the surname even if the dictionary
        # knows it as a common noun ("Токаев").
        surname_after_name = bool(words) and bool(SURNAME_ENDING.search(word))
        if not surname_after_name and ({"Geox", "Orgn"} & set(first.tag.grammemes) or (
                "NOUN" in first.tag and not name_tags(word) and morph().word_is_known(word))):
            break
        words.append(word)
    if len(words) < 2:
        return []
    tags = [name_tags(w) for w in words]
    if "Name" not in tags[0] and "Name" not in tags[1]:
        # A first name pymorphy does not know before a surname-shaped word ("Касым-Жомарт Токаев").
        if not (SURNAME_ENDING.search(words[1]) and not morph().word_is_known(words[0])):
            return []
        words = words[:2]
    if len(words) == 3 and "Patr" not in tags[1] and "Name" not in tags[0]:
        words = words[:2]
    return words

script = re.compile(r"[а-яёА-ЯЁ]")  # text in this morphology's script
SURNAME_ENDING = re.compile(r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|ская|цкий|цкая|енко|ук|юк)$")


# ---------------------------------------------------------------- place names

_ADJ_ENDINGS = {  # adjective ending -> its case forms (sg. fem/masc/neut, pl.)
    "ая": ("ая", "ой", "ую", "ою"),
    "яя": ("яя", "ей", "юю"),
    "ий": ("ий", "его", "ему", "им", "ем", "ого", "ому", "ом"),
    "ый": ("ый", "ого", "ому", "ым", "ом"),
    "ое": ("ое", "ого", "ому", "ым", "ом"),
    "ые": ("ые", "ых", "ым", "ыми"),
    "ие": ("ие", "их", "им", "ими"),
}


def place_forms(name: str) -> set[str]:
    """Case forms of a Russian place name, word by word (hyphenated parts: last part inflects)."""
    words = name.split(" ")
    if len(words) > 1:
        head, *rest = words
        # Adjective + noun ("Южная Корея", "Нижний Новгород"): both inflect; else only the head
        # noun ("Республика Беларусь" -> "Республики Беларусь").
        if any(head.endswith(e) for e in _ADJ_ENDINGS):
            forms = set()
            for first in _word_forms(head):
                for second in place_forms(" ".join(rest)):
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




def place_lemma(name: str) -> str | None:
    """"Череповце" -> "череповец", "Нижнем Тагиле" -> "нижний тагил" (pymorphy, Geox parses)."""
    words = []
    names = name.split(" ")
    for position, word in enumerate(names):
        parts = word.split("-")
        last = parts[-1]
        found = parses(last)
        geo = [p for p in found if "Geox" in p.tag]
        if not geo and position < len(names) - 1:  # "Нижнем Тагиле": an adjective before the noun
            geo = [p for p in found if {"ADJF"} & set(p.tag.grammemes)]
        if len(parts) > 2:
            # "Ростове-на-Дону": the head is the first part, the rest stays as written.
            head = [p for p in parses(parts[0]) if "Geox" in p.tag]
            if head:
                words.append("-".join([head[0].normal_form, *parts[1:]]).lower())
                continue
        if not geo:
            return None
        parts[-1] = geo[0].normal_form
        words.append("-".join(parts).lower())
    return " ".join(words)


def is_adjective(word: str) -> bool:
    """"Московский", "Минского": an adjective, not a place (whatever town bears that name)."""
    found = parses(word)
    return bool(found) and "ADJF" in found[0].tag and not any("Geox" in p.tag for p in found[:2])
