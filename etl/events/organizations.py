"""Organizations: the curated alias table of the think tanks we follow, and organizers in text.

The table is what makes "BISR", "BISI", "БИСИ" and "Belarusian Institute of Strategic Research"
one organization in the warehouse. Event records keep names as the article writes them.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from etl.events.text import clean_fragment, quotes, strip_article
from etl.known_organizations import KNOWN_ORGANIZATIONS, KnownOrganization  # noqa: F401 (re-exported)
from etl.lang import pack


def _fold(name: str) -> str:
    folded = re.sub(r"[\s\"«»“”„'’]+", " ", name).strip().casefold()
    # Diacritics folded away (ё = е, é = e): spellings differ in them, organisations do not.
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


@functools.cache
def _alias_index() -> dict[str, KnownOrganization]:
    index = {}
    for org in KNOWN_ORGANIZATIONS:
        for alias in (org.name_en, org.name_ru, *org.acronyms, *org.aliases):
            index[_fold(alias)] = org
    return index


def known_organization(name: str) -> KnownOrganization | None:
    """The curated organization a name or acronym refers to (also "the BISR", case-insensitive)."""
    return _alias_index().get(_fold(strip_article(name)))


@functools.cache
def acronym_pattern() -> re.Pattern:
    """Known acronyms as whole words (case-sensitive: acronyms are written in capitals)."""
    acronyms = sorted({a for org in KNOWN_ORGANIZATIONS for a in org.acronyms}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, acronyms)) + r")(?![\w-])")


def organizers_in(sentence: str, language: str) -> list[dict]:
    """Organizers named in a sentence such as "organized by A, the B, and the C" or
    "Организаторами выступили А, Б и В"; names as written (Russian ones in the nominative)."""
    language_pack = pack(language)
    sentence = _without_places_in_brackets(sentence)
    match = language_pack.organizer_intro.search(sentence)
    oblique = False
    if not match:
        match = language_pack.organizer_oblique.search(sentence)
        oblique = True
    if not match:
        return []
    if language_pack.organizer_attributive.match(match.group(0)) and not _after_event_noun(sentence[:match.start()],
                                                                                       language):
        return []  # "the 11th Russian Business Week organised by ...": the organiser of something else
    groups = match.groupdict()
    items = _split_list(groups.get("list") or groups.get("list2") or groups.get("list3"), language)
    if oblique and language_pack.morphology is not None:
        nominative_phrase = language_pack.morphology.nominative_phrase
        # "организован продюсерским центром «Интеграция»": a lower-case item names an
        # organisation by its head noun
        items = [nominative_phrase(i) if not acronym_pattern().fullmatch(i) else i
                 for i in items if i[:1].isupper() or language_pack.org_heads.search(i)]
    organizers = []
    for item in items:
        name, acronym = _with_acronym(_without_trailing_date(item, language))
        # Only organisations organise: a person hosting ("organised by Dmitry Poshtarenko") or a
        # description ("one of the creators of the project") is not an organiser. Where the text
        # says "organisers were", a name in capitals or in quotes is one too ("ЦГИ «Берлек-Единство»").
        named = not oblique and match.group(0) and _proper_organization_name(name)
        if not name or not (_looks_like_organization(name, language) or acronym or named):
            continue
        entry = {"name": name}
        if acronym:
            entry["acronym"] = acronym
        organizers.append(entry)
    return organizers


def _after_event_noun(before: str, language: str) -> bool:
    """The words before an attributive "organised by" end with an event noun ("the conference
    organised by", "conference «X», organised by"), not another ("Business Week organised by")."""
    from etl.events.kinds import event_type_mentions

    before = re.sub(r"[\s,]+$", "", before)
    spans = quotes(before)
    if spans and spans[-1].end == len(before):
        before = re.sub(r"[\s,]+$", "", before[:spans[-1].start])
    # within a few words: "Forum of Regional and Local Media organised by", "conference of such
    # scope, held jointly by"
    return any(len(before[m.end:].split()) <= 5 for m in event_type_mentions(before, language))


def _without_trailing_date(item: str, language: str) -> str:
    """"the Russian Union of Industrialists and Entrepreneurs on February 5–9" -> the name."""
    from etl.events.dates import find_dates

    spans = find_dates(item, language, 2000)
    if not spans:
        return item
    head = item[:spans[0].position].rstrip()
    return re.sub(r"\s+\S{1,4}$", "", head) if head and head != item else item


def _split_list(text: str, language: str) -> list[str]:
    # Stop at a clause that is no longer the list: ", which", ", где", "with the support of".
    language_pack = pack(language)
    text = language_pack.organizer_list_stop.split(text)[0]
    text = _without_places_in_brackets(text)
    protected = _protect_quotes(text)
    parts: list[str] = []
    for chunk in re.split(r",\s+|;\s+", protected):
        for joint in language_pack.org_joint.split(chunk):  # "A together with B": both organise
            parts.extend(_split_and(language_pack.and_start.sub("", joint), language_pack))
    restored = [_restore_quotes(p, text) for p in parts]
    return [strip_article(clean_fragment(p)) for p in restored if clean_fragment(p)]


_BRACKETS = re.compile(r"\s*\((?![^()]*\)\s*$)(?P<inside>[^()]*(?:\([^()]*\)[^()]*)*)\)")


def _without_places_in_brackets(text: str) -> str:
    """"Институт ... (г. Белгород) и ...", "институт ((Egmont), Брюссель)": brackets holding an
    abbreviation or a list are a place or an aside, not part of a name (which "Kazan (Volga
    Region) Federal University" or "... Council (RIAC)" keep)."""
    if "(" not in text:
        return text

    def drop(match: re.Match) -> str:
        return "" if re.search(r"[.,]", match.group("inside")) else match.group(0)
    return _BRACKETS.sub(drop, text)


def _proper_organization_name(name: str) -> bool:
    """An acronym ("ЦГИ «Берлек-Единство»"), a quoted name or a one-word name with inner capitals ("AlmaU")."""
    words = name.split()
    if not words:
        return False
    first = words[0].strip("«»\"“”")
    acronym = len(first) >= 2 and first.isalpha() and first.isupper()
    camel = len(words) == 1 and first[:1].isupper() and any(c.isupper() for c in first[1:]) and first.isalpha()
    return acronym or camel or bool(re.match(r"\S*[«\"“]", name))


_ACRONYM = re.compile(r"^[^\W\d_]{2,8}$")


def _names_organization(text: str, language_pack) -> bool:
    text = text.strip()
    return bool(language_pack.org_heads.search(text) or acronym_pattern().search(text)
                or (_ACRONYM.match(text) and text.isupper()) or _proper_organization_name(text))


def _split_and(chunk: str, language_pack) -> list[str]:
    """"A of the B and the C for D and E": split at an "and" only where both sides name an
    organisation (a head noun or an acronym), from the left; "Centre for Eurasian and European
    Research" stays one."""
    for match in language_pack.and_split.finditer(chunk):
        left, right = chunk[:match.start()], chunk[match.end():]
        if _names_organization(left, language_pack) and _names_organization(_own_name(right, language_pack),
                                                                             language_pack):
            rest = _split_and(right, language_pack)
            if all(_names_organization(r, language_pack) for r in rest):
                return [left] + rest
    return [chunk]


def _own_name(text: str, language_pack) -> str:
    """The start of an organisation's name, before what it is "of": a split at "and" must leave
    a head noun there ("the Eurasian Policy Institute"), not only further on ("Historical and
    Philological Sciences of the Russian Academy")."""
    words = language_pack.org_of.split(text, 1)[0].split()[:4]
    if words and words[0][:1].islower() and not language_pack.org_heads.match(words[0]):
        return ""  # "сотрудничества и интеграции": a lower-case word going on with the name before
    return " ".join(words)


_PLACEHOLDER = "\u0000"


def _protect_quotes(text: str) -> str:
    """Hide commas and 'and' inside quotes from the list splitter (same length, restorable)."""
    chars = list(text)
    for q in quotes(text):
        for i in range(q.start, q.end):
            if chars[i] in ",;":
                chars[i] = _PLACEHOLDER
            elif chars[i] == " ":
                chars[i] = "\u0001"
    return "".join(chars)


def _restore_quotes(part: str, original: str) -> str:
    return part.replace(_PLACEHOLDER, ",").replace("\u0001", " ")


def _with_acronym(item: str) -> tuple[str, str | None]:
    """"Belarusian Institute of Strategic Research (BISR)" -> (name, "BISR")."""
    m = re.match(r"^(?P<name>.+?)\s*\((?P<acr>[^\W\d_][\w&-]{1,11})\)$", item)
    if m and not m.group("acr")[:1].isupper():
        m = None
    if m and sum(c.isupper() for c in m.group("acr")) >= 2:
        return clean_fragment(m.group("name")), m.group("acr")
    if m:  # "(China)": an aside, not the organisation's acronym
        return clean_fragment(m.group("name")), None
    return clean_fragment(item), None


def subject_organizers(sentence: str, language: str) -> list[dict]:
    """The organizations that hold the event as the sentence's subject: "the Russian International
    Affairs Council held a round table", "the Belarusian Institute of Strategic Research and the
    Eurasian Policy Institute held ..." (two), "БИСИ провел круглый стол" (only organizations)."""
    language_pack = pack(language)
    sentence = _without_places_in_brackets(sentence)
    if language_pack.subject_organizer is not None:
        for match in language_pack.subject_organizer.finditer(sentence):
            if language_pack.body_meeting.match(sentence, match.end() - len(match.group(0).split()[-1])):
                continue  # "the Institute held a meeting of its Advisory board": the board's own session
            words = match.group("org").split()
            while words and words[0] in language_pack.subject_skip:
                words.pop(0)
            name = " ".join(words)
            if name and _looks_like_organization(name, language):
                parts = [strip_article(p) for p in language_pack.and_split.split(name)]
                if len(parts) > 1 and all(_looks_like_organization(p, language) for p in parts):
                    return [{"name": p} for p in parts]
                return [{"name": name}]
        return []
    match = language_pack.subject_verb.search(sentence)
    if not match:
        return []
    clause = re.split(r"[,;:()]", sentence[:match.start()])[-1].strip()
    tokens = clause.split()
    found = None
    for start in range(len(tokens) - 1, -1, -1):  # the longest capitalized subject that names organisations
        if not tokens[start][:1].isupper():
            continue
        name = clean_fragment(" ".join(tokens[start:]))
        parts = language_pack.and_split.split(name)
        if all(_looks_like_organization(p, language) for p in parts):
            found = parts
    return [{"name": p} for p in found] if found else []


def _looks_like_organization(name: str, language: str) -> bool:
    return bool(pack(language).org_heads.search(name) or acronym_pattern().fullmatch(name) or known_organization(name))


@functools.cache
def known_alias_pattern(language: str) -> str:
    """Regex alternation of the curated organizations' names in one script (longest first)."""
    script = pack(language).script
    aliases = {a for org in KNOWN_ORGANIZATIONS for a in (org.name_en, org.name_ru, *org.aliases, *org.acronyms)
               if script.search(a)}
    return "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
