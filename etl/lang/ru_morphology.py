"""Russian morphology for the extractors: pymorphy3, loaded lazily once per process and only
when a Russian article needs it (its dictionaries load in well under a second)."""

from __future__ import annotations

import functools


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
