"""Speakers: people named with a role ("BISR Director Oleg Makarov", "Директор БИСИ Олег
Макаров", "Oleg Makarov, Director of the BISR") in sentences where they take part or speak.

A person is only taken when a role anchors the name: capitalized word runs alone are as often
places or organizations. Russian names are recognised by pymorphy's Name/Surn/Patr tags and put
in the nominative ("Олега Макарова" -> "Олег Макаров").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.events.organizations import acronym_pattern, known_alias_pattern
from etl.events.text import capitalize_first, clean_fragment, strip_article
from etl.lang import Prefiltered, pack

@functools.cache
def _role_patterns(language: str):
    """The role patterns of a capitalizing language (its pack's words, the curated aliases)."""
    language_pack = pack(language)
    w = language_pack.people
    role = rf"(?P<role>(?i:{w.role}))"
    # "BISR Director Oleg Makarov", "Director of the BISR Oleg Makarov", "Deputy Director Ivan Petrov"
    before = Prefiltered(re.compile(
        rf"(?:(?P<org>{w.acronym}|{known_alias_pattern(language)})\s+)?\b{role}"
        rf"(?:{w.role_links}(?P<org2>{w.org_run}))?\s+(?P<name>{w.name})(?![\w])"), w.role_stems)
    # "Oleg Makarov, Director of the BISR" / "Oleg Makarov, BISR Director"
    after = re.compile(
        rf"(?P<name>{w.name}),\s+(?:(?:the|a)\s+)?(?:(?P<org>{w.acronym})\s+)?{role}"
        rf"(?:{w.role_links}(?P<org2>[^,;()]+?))?{w.role_after_end}")
    if w.role_stems:  # the role is required: only sentences holding a role word are scanned
        after = Prefiltered(after, w.role_stems)
    # "BISR experts Ivan Petrov and Anna Smirnova"
    plural = re.compile(
        rf"(?:(?P<org>{w.acronym})\s+)?(?P<role>{w.role_plural})(?:\s+(?:of|from)\s+(?:the\s+)?(?P<org2>{w.acronym}))?"
        rf"\s+(?P<names>{w.name}(?:{w.list_and}{w.name})*)")
    if w.role_plural_stems:
        plural = Prefiltered(plural, w.role_plural_stems)
    return before, after, plural


@dataclass
class Speaker:
    name: str
    role: str | None
    organization: str | None
    session: str | None = None
    # Written as a sentence's subject (Russian: in the nominative), so the speaker of its verb;
    # "выступления президента Нурсултана Назарбаева" names someone the verb is not about.
    subject: bool = True

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "organization": self.organization, "session": self.session}


def speakers_in(sentence: str, language: str) -> list[Speaker]:
    """People with a role named in one sentence (any sentence; the caller decides relevance)."""
    language_pack = pack(language)
    if language_pack.morphology is not None:
        return _inflected_speakers(sentence, language_pack)
    return _capitalized_speakers(sentence, language)


# ---------------------------------------------------------------- English


def _capitalized_speakers(sentence: str, language: str) -> list[Speaker]:
    words = pack(language).people
    not_name_words = pack(language).not_name_words  # "Dean of the Faculty of International Relations"
    role_before, role_after, role_plural = _role_patterns(language)
    if _no_role_word(sentence, role_before, role_after, role_plural):
        return []  # every pattern needs a role word: most sentences hold none
    found: list[tuple[int, Speaker]] = []
    taken: list[tuple[int, int]] = []

    def add(span, speaker):
        if any(a < span[1] and span[0] < b for a, b in taken):
            return
        speaker.name = words.honorific_prefix.sub("", speaker.name)
        # Role words that ran into the name are cut ("Development Maxim Oreshkin"); a run with
        # such a word inside is no name ("Dean of the Faculty of International Relations").
        parts = speaker.name.split()
        while len(parts) > 2 and parts[0] in not_name_words:
            parts.pop(0)
        speaker.name = " ".join(parts)
        if " " not in speaker.name and not _GLUED_INITIALS.fullmatch(speaker.name):
            return
        if words.not_name.search(speaker.name) or any(w in not_name_words for w in parts):
            return
        taken.append(span)
        found.append((span[0], speaker))

    for m in role_plural.finditer(sentence):
        role = _singular(m.group("role"), words)
        org = m.group("org") or m.group("org2")
        for name_match in re.finditer(words.name, m.group("names")):
            start = m.start("names") + name_match.start()
            add((start, start + len(name_match.group(0))), Speaker(name_match.group(0), role, org))
    for m in role_before.finditer(sentence):
        if words.not_name.search(m.group("name")) and m.group("org2"):
            # "Deputy Director of the Eurasian Policy Institute Anna Petrova": the organisation
            # ran into the name; the name is the run's last two words.
            run = (m.group("org2") + " " + m.group("name")).split()
            name, org2 = " ".join(run[-2:]), " ".join(run[:-2])
            if not words.not_name.search(name):
                start = m.end("name") - len(name)
                add((start, m.end("name")), Speaker(name, _title_role(m.group("role")), strip_article(org2) or None))
            continue
        org = m.group("org") or (strip_article(m.group("org2")) if m.group("org2") else None)
        name_words = m.group("name").split()
        if org and len(name_words) == 3 and org.split()[-1].islower():
            # "Head of the Republic of Udmurtia Alexander Brechalov": a name ends no "of"; the
            # organisation goes on into the run
            org = f"{org} {name_words[0]}"
            start = m.end("name") - len(" ".join(name_words[1:]))
            add((start, m.end("name")), Speaker(" ".join(name_words[1:]), _title_role(m.group("role")), org))
            continue
        if org is None:  # "Professor John Brown of the University of Oxford"
            after = words.org_after_name.match(sentence, m.end("name"))
            org = strip_article(clean_fragment(after.group("org"))) if after else None
        add(m.span("name"), Speaker(m.group("name"), _title_role(m.group("role")), org))
    for m in role_after.finditer(sentence) if "," in sentence else ():  # "Name, Role": a comma first
        org = m.group("org") or (strip_article(clean_fragment(m.group("org2"))) if m.group("org2") else None)
        add(m.span("name"), Speaker(m.group("name"), _title_role(m.group("role")), org))
    return [speaker for _, speaker in sorted(found, key=lambda f: f[0])]


def _no_role_word(sentence: str, role_before, role_after, role_plural) -> bool:
    """The sentence holds none of the role patterns' pre-filter words (the patterns "before"
    and "after" share theirs: one test for both)."""
    if not isinstance(role_after, Prefiltered) or not isinstance(role_plural, Prefiltered):
        return False
    if role_after.stems is not role_before.stems:
        return False
    return not role_before._may_match(sentence) and not role_plural._may_match(sentence)


def _title_role(role: str) -> str:
    return capitalize_first(re.sub(r"\s+", " ", role.strip()))


def _singular(plural: str, words) -> str:
    word = plural.lower()
    return capitalize_first(words.plural_singulars.get(word, re.sub(r"s$", "", word)))


# ---------------------------------------------------------------- Russian


def _inflected_speakers(sentence: str, language_pack) -> list[Speaker]:
    m = language_pack.morphology
    words = language_pack.people
    tokens = list(words.word.finditer(sentence))
    speakers: list[Speaker] = []
    used_names: set[int] = set()

    def token_index(position: int) -> int:
        for i, token in enumerate(tokens):
            if token.start() >= position:
                return i
        return len(tokens)

    for pattern, plural in ((words.role_pattern, False), (words.plural_pattern, True)):
        for match in pattern.finditer(sentence):
            start = token_index(match.end())
            # Organization words between role and name: an acronym or a genitive phrase.
            for name_start in range(start, min(start + 9, len(tokens))):
                if tokens[name_start].group(0) in words.list_breaks:
                    break
                found = m.name_at(tokens, name_start)
                if not found:
                    continue
                org = _org_between(sentence, tokens, start, name_start, m)
                role = _inflected_role(match.group("role"), plural, language_pack)
                index = name_start
                while found:
                    end, name = found
                    if index not in used_names:
                        used_names.add(index)
                        written = [t.group(0) for t in tokens[index:end]]
                        speakers.append(Speaker(name, role, org, subject=m.name_case(written) in (None, "nomn")))
                    if not plural or end >= len(tokens) or tokens[end].group(0) not in words.list_links:
                        break
                    index = end + 1
                    found = m.name_at(tokens, index)
                break
    # "Олег Макаров, директор БИСИ,"
    for i in range(len(tokens)):
        if i in used_names:
            continue
        found = m.name_at(tokens, i)
        if not found or found[0] + 1 >= len(tokens) or tokens[found[0]].group(0) != ",":
            continue
        rest = sentence[tokens[found[0]].end():]
        role_match = words.role_after_name.match(rest)
        if role_match:
            used_names.add(i)
            org = clean_fragment(role_match.group("org"))
            org = _organization_phrase(org, m) if re.search(r"[^\W\d_]", org[:1]) and not org[:1].islower() else None
            speakers.append(Speaker(found[1], _inflected_role(role_match.group("role"), False, language_pack), org))
    order = {id(s): sentence.find(s.name.split()[0][:4]) for s in speakers}
    return sorted(speakers, key=lambda s: order[id(s)])


def _org_between(sentence: str, tokens: list[re.Match], start: int, name_start: int, m) -> str | None:
    """The organization written between a role and a name: an acronym as is, a name (always in
    the genitive there: "директор Белорусского института ...") in the nominative."""
    if name_start <= start:
        return None
    org = clean_fragment(sentence[tokens[start].start():tokens[name_start - 1].end()])
    return _organization_phrase(org, m) if org else None


def _organization_phrase(org: str, m) -> str:
    if org.isupper() or acronym_pattern().fullmatch(org) or not m.script.match(org):
        return org
    return capitalize_first(m.nominative_phrase(org))


def _inflected_role(role: str, plural: bool, language_pack) -> str:
    role = re.sub(r"\s+", " ", role.strip())
    if plural:
        role = language_pack.people.plural_singulars.get(role.lower(), role)
    else:
        # "директором", "заместителя директора" read as "директор", "заместитель директора".
        role = language_pack.morphology.nominative_phrase(role)
    return capitalize_first(role)


# ---------------------------------------------------------------- speakers by what they say

_TRANSCRIPT_HEAD = re.compile(r"^(?P<head>(?:[^:.!?;«»\"“”]|(?<=\b[A-Z])\.){3,160}?):(?:\s+\S|(?=[A-Z]))")  # "Anna K. Petrova:"


def page_names(texts: list[str], language_pack) -> list[str]:
    """Full names written on the page ("Vladimir Putin", "Anna K. Petrova"), in order: what a
    later "Mr Putin" refers to."""
    found: list[str] = []
    trimmed: dict[str, str | None] = {}  # a page repeats its names: each run is trimmed once
    for text in texts:
        for match in language_pack.person_name.finditer(text):
            run = _after_role_phrase(text, match)
            if run not in trimmed:
                trimmed[run] = _trim_name(run, language_pack)
            name = trimmed[run]
            if name and name not in found:
                found.append(name)
    return found


_GLUED_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,2}[^\W\d_][^\W\d_’'-]{2,}")


def _trim_name(candidate: str, language_pack) -> str | None:
    """The name part of a capitalised run: words that are no part of a name cut from its start;
    a run holding one in its middle is not a name."""
    words = candidate.split()
    while words and words[0].strip(".") in language_pack.not_name_words:
        words.pop(0)
    if len(words) == 1 and _GLUED_INITIALS.fullmatch(words[0]):  # "V.G.Shadursky"
        return words[0]
    if len(words) < 2 or any(w.strip(".") in language_pack.not_name_words for w in words):
        return None
    if words[-1].endswith(("’s", "'s")):  # "Xi Jinping’s speech": the name without the possessive
        words[-1] = words[-1][:-2]
    if all(len(w.strip(".")) <= 1 for w in words[:-1]) and len(words[-1]) < 3:
        return None
    from etl.geo import country_code, lookup_city, resolve_city

    if any(country_code(w, language_pack.code) or lookup_city(w, language_pack.code) for w in words):
        return None
    name = " ".join(words)
    return None if resolve_city(name, language_pack.code) else name


def clean_name(name: str, language_pack) -> str | None:
    """A speaker's name without the words before it that are no part of it ("Major Maxim
    Makolkin" -> "Maxim Makolkin"); None when what is left is no person's name."""
    if language_pack.morphology is not None:
        return name
    return _trim_name(name, language_pack)


def _country(word: str, language_pack) -> bool:
    from etl.geo import country_code

    return bool(country_code(word, language_pack.code))


def same_person(a: str, b: str) -> bool:
    """"D. Valeyev" is "Dinar Valeyev", "Иванов И.И." is "И.И. Иванов": the same surname, and
    initials that agree with the other's names."""
    if a.casefold() == b.casefold():
        return True
    if "." not in a and "." not in b:  # no initials: different names are different people
        return False
    words_a, words_b = (re.findall(r"[^\W\d_][^\W\d_’'-]*\.?", n) for n in (a, b))
    surnames_a = {w.casefold() for w in words_a if not w.endswith(".") and len(w) > 2}
    surnames_b = {w.casefold() for w in words_b if not w.endswith(".") and len(w) > 2}
    initials_a = [w[0] for w in words_a if w.endswith(".")]
    initials_b = [w[0] for w in words_b if w.endswith(".")]
    if not (initials_a or initials_b):
        return False
    common = surnames_a & surnames_b
    if not common:
        return False
    given_a = [w[0] for w in words_a if w.casefold() not in common]
    given_b = [w[0] for w in words_b if w.casefold() not in common]
    return given_a[:1] == given_b[:1]


def transcript_speaker(paragraph: str, language_pack) -> Speaker | None:
    """"President of Russia Vladimir Putin: Good afternoon ...": the speaker of a transcript line
    (not "Remark:", "Question:")."""
    match = _TRANSCRIPT_HEAD.match(paragraph)
    if not match:
        return None
    head = re.sub(r"\s*\([a-z][^()]*\)$", "", match.group("head").strip())  # "Mauricio Macri (retranslated)"
    words = head.split()
    if head.casefold() in language_pack.transcript_skip or len(words) > 20:
        return None
    # "Alexandra Kalashnikova, Senior Researcher at the Ioffe Institute": the name first
    first = language_pack.person_name.match(head)
    if first and head[first.end():first.end() + 1] == ",":
        name = _trim_name(first.group(0), language_pack)
        if name:
            return Speaker(name, clean_fragment(head[first.end() + 1:]) or None, None)
    # "Minister of Economic Development Maxim Oreshkin": the name ends the head; after a role
    # phrase it is the last two words (three with a middle initial)
    for size in (3, 2):
        candidate = " ".join(words[-size:])
        if len(words) < size or not language_pack.person_name.fullmatch(candidate):
            continue
        if size == 3 and len(words) > 3 and not re.fullmatch(r"[A-Z]\.", words[-2]) \
                and not _country(words[-4], language_pack):
            continue  # three words only after a country ("President of Turkey Recep Tayyip Erdogan")
        name = _trim_name(candidate, language_pack)
        if name is not None:
            return Speaker(name, clean_fragment(head[: len(head) - len(name)]) or None, None)
    return None


_INFLECTED_HEAD = re.compile(r"^(?P<head>[^:.!?;]{3,160}?):(?:\s|$)")


def inflected_transcript_speaker(paragraph: str, language_pack) -> Speaker | None:
    """"Эдуард Полетаев, политолог, руководитель ОФ «Мир Евразии»: ...": a transcript line
    opening with a name in the nominative (not a correspondent's)."""
    match = _INFLECTED_HEAD.match(paragraph)
    if not match or language_pack.outside_event.search(match.group("head")):
        return None
    head = match.group("head")
    m = language_pack.morphology
    tokens = list(language_pack.people.word.finditer(head))
    words = m.person_words(tokens, 0)
    if not words or m.name_case(words) != "nomn":
        return None
    rest = head[tokens[len(words) - 1].end():]
    if rest.strip() and not rest.lstrip().startswith(","):
        return None
    return Speaker(" ".join(words), clean_fragment(rest) or None, None)


def speech_speakers(sentence: str, known: list[str], language_pack) -> list[str]:
    """Names of the people a sentence reports speaking ("Mr Putin said", "Vladimir Putin
    addressed the forum", "..., said Igor Levitin"): the person nearest before the verb in its
    clause, or right after a "said"; "Mr Surname" resolved to the page's full name."""
    if language_pack.outside_event.search(sentence):
        return []
    found: list[str] = []
    listed = language_pack.speaker_list.search(sentence)
    if listed:  # "opened by Dr. Ronald F. Lehman and David Cleave", "speakers were: A, role; B, role"
        for name in _listed_people(sentence[listed.end():], known, language_pack):
            if name not in found:
                found.append(name)
    for verb in language_pack.speech.finditer(sentence):
        if listed and listed.start() <= verb.start() < listed.end():
            continue  # "was read out by the director N. G. Ochirova": the speaker follows
        # The verb's clause: back to a quote, a colon or a sentence mark (not the period of an
        # initial: "A. M. Vasiliev ... announced"), asides in brackets left out.
        before = re.split(r"[!?:“”\"«»]|(?<![A-Z])\.", re.sub(r"\([^()]*\)", "", sentence[:verb.start()]))[-1]
        names = _listed_people(before, known, language_pack) if ";" in before else []
        name = _last_person(before.split(";")[-1], known, language_pack)
        if name is None and language_pack.said_after.match(sentence[verb.start():verb.end()] + " "):
            name = _first_person(sentence[verb.end():verb.end() + 60], known, language_pack)
        for name in names + ([name] if name else []):
            if name not in found:
                found.append(name)
    return found


def _listed_people(text: str, known: list[str], language_pack) -> list[str]:
    """The people of a list: "A and B", or "A, role; B, role; and C, role" (one person per
    item, the one it opens with: the rest of an item is the person's role)."""
    if ";" not in text:
        return [name for _, name in _person_refs(text, known, language_pack)]
    names = []
    for item in text.split(";"):
        refs = _person_refs(item, known, language_pack)
        if refs and refs[0][0] <= len(item) - len(item.lstrip()) + 5:
            names.append(refs[0][1])
    return names


_ROLE_PHRASE_END = re.compile(r"\b(?:of|and|for|at)\s+(?:the\s+)?(?:[a-z]+\s+)?$")


def _after_role_phrase(text: str, match: re.Match) -> str:
    """"Minister of Industry and Trade Denis Manturov": a three-word run after "of"/"and" begins
    with the last word of the role phrase; the name is its last two words."""
    words = match.group(0).split()
    if len(words) == 3 and not words[1].endswith(".") and _ends_role_phrase(text, match.start()):
        return " ".join(words[1:])
    return match.group(0)


def _ends_role_phrase(text: str, end: int) -> bool:
    """_ROLE_PHRASE_END on text[:end], read from a window before `end` (a long page would be
    scanned from its start for every name): a match starting before the window would cover the
    whole window with its letters and spaces, and only then is the whole text read."""
    window = max(0, end - _ROLE_PHRASE_WINDOW)
    if _ROLE_PHRASE_END.search(text, window, end):
        return True
    return window > 0 and bool(_ROLE_PHRASE_LETTERS.fullmatch(text, window, end)) and \
        bool(_ROLE_PHRASE_END.search(text, 0, end))


_ROLE_PHRASE_WINDOW = 80
_ROLE_PHRASE_LETTERS = re.compile(r"[a-z\s]*")  # every character a _ROLE_PHRASE_END match holds


def _person_refs(text: str, known: list[str], language_pack) -> list[tuple[int, str]]:
    refs = []
    for match in language_pack.person_name.finditer(text):
        name = _trim_name(_after_role_phrase(text, match), language_pack)
        words = match.group(0).split()
        if name is None and len(words) == 2 and words[0] in language_pack.not_name_words:
            # "President Nazarbayev praised ...": a title and the surname of a name the page gave
            name = next((n for n in known if n.split()[-1] == words[1] and len(n.split()) > 1), None)
        if name:
            refs.append((match.start(), name))
    for match in language_pack.honorific.finditer(text):
        surname = match.group("surname")
        full = next((n for n in known if n.split()[-1] == surname), None)
        if full:
            refs.append((match.start(), full))
    return sorted(refs)


def _last_person(text: str, known: list[str], language_pack) -> str | None:
    refs = _person_refs(text, known, language_pack)
    return refs[-1][1] if refs else None


def _first_person(text: str, known: list[str], language_pack) -> str | None:
    refs = _person_refs(text, known, language_pack)
    return refs[0][1] if refs and refs[0][0] <= 25 else None


def inflected_speech_speakers(sentence: str, language_pack) -> list[str]:
    """In a Russian sentence that reports speaking, the people named in the nominative are its
    subjects: the speakers ("рассказал директор департамента Виталий Свинцов", "с приветственным
    словом обратились ... Андрей Кортунов и ... Ольга Буторина", "Белов В.Б. отметил"); after
    "по словам", "под председательством", "спикерами стали" the people named in any case."""
    cue = language_pack.speaker_list.search(sentence)
    found: list[str] = []
    for position, case, name, oblique in _inflected_people(sentence, language_pack):
        after_cue = cue is not None and position >= cue.end()
        if after_cue:
            name = oblique
        elif case != "nomn":
            continue
        if name not in found:
            found.append(name)
    return found


def named_people(sentence: str, known: list[str], language_pack) -> list[str]:
    """Everyone a sentence names, in order (a list of participants that a "they" refers to)."""
    if language_pack.morphology is None:
        return list(dict.fromkeys(name for _, name in _person_refs(sentence, known, language_pack)))
    return list(dict.fromkeys(found[2] for found in _inflected_people(sentence, language_pack)))


def only_taking_part(sentence: str, name: str, language_pack) -> bool:
    """The person is named after "took part"/"приняли участие" in a sentence that reports no
    speaking after it: one of those present, not a speaker."""
    position = sentence.find(name.split()[0][:4])
    if position < 0:
        return False
    cues = [c for c in language_pack.participation.finditer(sentence) if c.end() <= position]
    return bool(cues) and not language_pack.speech.search(sentence[cues[-1].end():])


def before_passive_speaker(sentence: str, name: str, language_pack) -> bool:
    """"A greeting from A. M. Orlov, which was read out by N. G. Ochirova": where the sentence
    names its speaker after "read out by", a person named before is not one."""
    if language_pack.morphology is not None:
        return False
    listed = language_pack.speaker_list.search(sentence)
    position = sentence.find(name)
    return listed is not None and 0 <= position < listed.start() and bool(_person_refs(sentence[listed.end():], [],
                                                                                        language_pack))


def _inflected_people(sentence: str, language_pack) -> list[tuple[int, str | None, str, str]]:
    """(position, case as written, name in the nominative, the same read as oblique) of the people a Russian sentence
    names: a first name and a surname, or a surname with initials."""
    m = language_pack.morphology
    tokens = list(language_pack.people.word.finditer(sentence))
    people_found = []
    index = 0
    while index < len(tokens):
        words = m.person_words(tokens, index)
        if not words:
            index += 1
            continue
        name = m.nominative_person(words)
        people_found.append((tokens[index].start(), m.name_case(words), name, name))
        index += len(words)
    for match in language_pack.people.foreign_name.finditer(sentence):  # "посол Hugues Chantry"
        people_found.append((match.start(), "nomn", match.group(0), match.group(0)))
    for match in m.INITIALS.finditer(sentence):
        surname = match.group("s1") or match.group("s2")
        if any(surname[:-2] in found[2] for found in people_found):
            continue
        case = m.name_case([surname])
        if len(match.group("i1") or "..") == 2 and not m.MASCULINE_NOMINATIVE.search(surname) and case == "nomn":
            case = "ambiguous"  # one initial before "Назарбаева" (a genitive too): no sure subject
        nominative = surname if case in ("nomn", "ambiguous") else m.nominative_name(surname, case)
        # Where the context asks for an oblique case ("под председательством И.И. Боровкова"),
        # a form that may be either is the oblique one.
        oblique = m.nominative_name(surname, case if case not in ("nomn", "ambiguous") else "gent")
        people_found.append((match.start(), case, match.group(0).replace(surname, nominative),
                             match.group(0).replace(surname, oblique)))
    return sorted(people_found)


