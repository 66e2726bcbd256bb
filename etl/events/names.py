"""An event's name (quoted, or a proper name ending in its type noun) and its occasion."""

from __future__ import annotations

import re

from etl.events.kinds import TypeMention
from etl.events.text import Quote, clean_fragment, strip_article
from etl.lang import pack

def event_name(sentence: str, mention: TypeMention, spans: list[Quote], language: str) -> str | None:
    """The quoted name right after (or right before) the type noun; in English also a
    capitalized proper name that ends in the type noun ("the Eurasian Economic Forum")."""
    language_pack = pack(language)
    for quote in spans:
        if quote.start >= mention.end and language_pack.name_lead_in.match(sentence[mention.end:quote.start]):
            return quoted_name(quote.text, language_pack)
    for quote in reversed(spans):
        if quote.end <= mention.start and language_pack.name_trail_in.match(sentence[quote.end:mention.start]):
            return quoted_name(quote.text, language_pack)
    if language_pack.morphology is not None:
        return _inflected_proper_name(sentence, mention, language_pack)
    if mention.text[:1].isupper() and language_pack.name_run is not None:
        return _capitalized_proper_name(sentence, mention, language_pack)
    return None


def quoted_name(text: str, language_pack) -> str:
    """A quoted name without the edition's ordinal before it or the punctuation the quote kept
    ("XVII Masherov Readings," -> "Masherov Readings")."""
    name = clean_fragment(text)
    first, _, rest = name.partition(" ")
    if rest and language_pack.ordinal.match(first) and rest[:1].isupper():
        name = rest
    return name or text


def _capitalized_proper_name(sentence: str, mention: TypeMention, language_pack) -> str | None:
    """"the Ninth St Petersburg International Economic Forum" -> "St Petersburg International
    Economic Forum": a capitalized run ending in the noun, without its ordinal or edition."""
    run = language_pack.name_run.search(sentence[:mention.start])
    if not run:
        return None
    glue = language_pack.name_glue
    words = run.group(0).split()
    while words and (words[0].lower() in glue or language_pack.ordinal.match(words[0])
                     or words[0] in language_pack.name_skip_start):
        words.pop(0)
    tail = language_pack.name_tail.match(sentence[mention.end:])
    tail_words = tail.group(0).split() if tail else []
    while tail_words and tail_words[-1] in glue:
        tail_words.pop()
    if (not words or words[0][:1].isupper()) and any(w.lower() not in language_pack.generic_name_words
                                                       for w in words + tail_words):
        return " ".join(words + [mention.text] + tail_words)
    return None




def _inflected_proper_name(sentence: str, mention: TypeMention, language_pack) -> str | None:
    """Unquoted names in an inflected language: "Форум регионов Беларуси и России" (a capitalized
    type noun and its genitive complements) or "Петербургский международный экономический
    форум" (capitalized adjectives before it); put in the nominative."""
    nominative_phrase, parses = language_pack.morphology.nominative_phrase, language_pack.morphology.parses

    before = _adjectives_before(sentence, mention.start, parses)
    tail = []
    # The genitive complements of a capitalized noun, or of a noun after capitalized adjectives
    # ("Всемирный конгресс русской прессы").
    if (mention.text[:1].isupper() and (mention.start > 0 or before)) or before:
        position = mention.end
        pending_and = False
        while True:
            match = language_pack.word_token.match(sentence, position)
            if not match:
                break
            word = match.group(1)
            if word == language_pack.conjunction and tail and not pending_and:
                pending_and, position = True, match.end()
                continue
            first = parses(word)[0]
            if not ({"NOUN", "ADJF"} & set(first.tag.grammemes)) or "gent" not in first.tag:
                break
            if pending_and:
                tail.append(language_pack.conjunction)
                pending_and = False
            tail.append(word)
            position = match.end()
    if before:
        words = before + [mention.text] + tail
        if any(w.lower() not in language_pack.generic_name_words for w in (parses(b)[0].normal_form for b in before)):
            return nominative_phrase(" ".join(words))
    if tail:
        return nominative_phrase(" ".join([mention.text] + tail))
    return None


def _adjectives_before(sentence: str, start: int, parses) -> list[str]:
    """Capitalized adjective chain right before the type noun ("Петербургском международном")."""
    words = sentence[:start].split()
    chain: list[str] = []
    while words:
        word = words[-1].strip("«»\"(")
        parse = parses(word)[0] if re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*", word) else None
        if parse is None or not ({"ADJF", "PRTF"} & set(parse.tag.grammemes)):
            break
        chain.insert(0, word)
        words.pop()
    while chain and not chain[0][:1].isupper():
        chain.pop(0)
    # A capital that only starts the sentence does not make a name.
    if chain and sentence[:start].strip().split()[0] == chain[0] and len(chain) == len(sentence[:start].split()):
        return []
    return chain


def occasion_in(sentence: str, language: str) -> str | None:
    language_pack = pack(language)
    strong, weak = language_pack.occasion
    match = weak.search(sentence)
    if match is None:
        match = strong.search(sentence)
        if match is None or not language_pack.occasion_words.search(match.group("x")):
            return None
    text = language_pack.occasion_end.sub("", match.group("x"))
    return strip_article(clean_fragment(text)) or None
