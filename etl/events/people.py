"""Speakers: people named with a role ("BISR Director Oleg Makarov", "Директор БИСИ Олег
Макаров", "Oleg Makarov, Director of the BISR") in sentences where they take part or speak.

A person is only taken when a role anchors the name: capitalized word runs alone are as often
places or organizations. Russian names are recognised by pymorphy's Name/Surn/Patr tags and put
in the nominative ("Олега Макарова" -> "Олег Макаров").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.events.organizations import acronym_pattern, known_alias_pattern
from etl.lang.ru_morphology import morph, nominative_phrase, parses
from etl.events.text import Prefiltered, capitalize_first, clean_fragment, strip_article

_EN_ROLE_HEADS = (
    r"Director(?:[- ]General)?|Head|Chairman|Chairwoman|Chairperson|Chair|President|Vice[- ]President|"
    r"Rector|Vice[- ]Rector|Researcher|Research Fellow|Fellow|Analyst|Expert|Professor|Ambassador|"
    r"Minister|Secretary(?:[- ]General)?|Editor[- ]in[- ]Chief|Dean|Advis[eo]r|CEO|Founder|Member|"
    r"Coordinator|Manager|Specialist|Moderator|Spokes(?:person|man|woman)|Governor|Mayor|Envoy|Rapporteur"
)
_EN_ROLE = (
    r"(?:(?:First|Deputy|Senior|Leading|Chief|Executive|Acting|Scientific|Research|Programme|Program|"
    r"General|Honorary|Principal|Lead|Managing)[- ])*(?:" + _EN_ROLE_HEADS + r")"
)
_EN_ROLE_PLURAL = r"(?:experts|analysts|researchers|scholars|fellows|specialists|representatives|staff members)"
_EN_NAME_WORD = r"[A-Z][a-zà-ÿ’'-]+"
_EN_NAME = rf"(?:{_EN_NAME_WORD}(?: [A-Z]\.)? {_EN_NAME_WORD}(?: {_EN_NAME_WORD})?)"
_EN_ACRONYM = r"[A-Z][A-Z&]{1,9}"
_EN_NOT_NAME = re.compile(
    r"\b(?:Republic|Institute|University|Center|Centre|Ministry|Council|Foundation|Federation|Union|"
    r"State|States|Asia|Europe|Committee|Department|Academy|Office|Club|Forum|Conference|Session|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|This|That|In|On|At)\b"
)

# "BISR Director Oleg Makarov", "Director of the BISR Oleg Makarov", "Deputy Director Ivan Petrov"
_EN_ROLE_BEFORE = re.compile(
    rf"(?:(?P<org>{_EN_ACRONYM}|{known_alias_pattern('en')})\s+)?\b(?P<role>(?i:{_EN_ROLE}))"
    rf"(?:\s+(?:of|at)\s+(?:the\s+)?(?P<org2>(?:[A-Z][\w’'-]*|of|for|on|and|the|under)(?:\s+(?:[A-Z][\w’'-]*|of|for|on|and|the|under))*?))?"
    rf"\s+(?P<name>{_EN_NAME})(?![\w])"
)
_EN_ROLE_BEFORE_CHECKED = Prefiltered(_EN_ROLE_BEFORE, (
    "director", "head", "chair", "president", "rector", "research", "fellow", "analyst", "expert", "professor",
    "ambassador", "minister", "secretary", "editor", "dean", "advis", "ceo", "founder", "member", "coordinator",
    "manager", "specialist", "moderator", "spokes", "governor", "mayor", "envoy", "rapporteur"))
_EN_ORG_AFTER_NAME = re.compile(
    r"\s+(?:of|from|at)\s+(?:the\s+)?(?P<org>[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|on|and|the|under))*)")
_HONORIFIC = re.compile(r"^(?:Dr|Prof|Mr|Mrs|Ms|Sir|Dame)\.?\s+")
# "Oleg Makarov, Director of the BISR" / "Oleg Makarov, BISR Director"
_EN_ROLE_AFTER = re.compile(
    rf"(?P<name>{_EN_NAME}),\s+(?:(?:the|a)\s+)?(?:(?P<org>{_EN_ACRONYM})\s+)?(?P<role>(?i:{_EN_ROLE}))"
    rf"(?:\s+(?:of|at)\s+(?:the\s+)?(?P<org2>[^,;()]+?))?(?=[,;)]|\s+(?:took|spoke|made|presented|delivered|noted|said|stressed|moderated)\b|$|\.)"
)
# "BISR experts Ivan Petrov and Anna Smirnova"
_EN_PLURAL = re.compile(
    rf"(?:(?P<org>{_EN_ACRONYM})\s+)?(?P<role>{_EN_ROLE_PLURAL})(?:\s+(?:of|from)\s+(?:the\s+)?(?P<org2>{_EN_ACRONYM}))?"
    rf"\s+(?P<names>{_EN_NAME}(?:(?:,\s+|,?\s+and\s+){_EN_NAME})*)"
)

_M = r"(?:а|у|ом|е)?"          # singular case endings of директор, эксперт, ...
_SOFT = r"(?:ь|я|ю|ем|е)"       # ... of руководитель, председатель, секретарь
_RU_ROLE = (
    rf"(?:(?:[Сс]тарш|[Вв]едущ|[Гг]лавн|[Мм]ладш)(?:ий|его|ему|им|ем)\s+)?"
    rf"(?:(?:[Пп]ерв\w+\s+)?[Зз]аместител{_SOFT}\s+(?:директора|председателя|руководителя|министра|"
    rf"начальника|главы|генерального\s+директора)|[Гг]енеральн\w+\s+(?:директор{_M}|секретар{_SOFT})|"
    rf"[Ии]сполнительн\w+\s+директор{_M}|[Гг]лавн\w+\s+редактор{_M}|"
    rf"[Нн]аучн\w+\s+(?:руководител{_SOFT}|директор{_M})|"
    rf"(?:(?:[Сс]тарш|[Вв]едущ|[Гг]лавн)\w+\s+)?[Нн]аучн\w+\s+сотрудник{_M}|"
    rf"[Дд]иректор{_M}|[Рр]уководител{_SOFT}|[Пп]редседател{_SOFT}|[Пп]резидент{_M}|[Вв]ице-президент{_M}|"
    rf"[Рр]ектор{_M}|[Пп]роректор{_M}|[Аа]налитик{_M}|[Ээ]ксперт{_M}|[Пп]рофессор{_M}|[Пп]осол|[Пп]осл(?:а|у|ом)|"
    rf"[Мм]инистр{_M}|[Сс]екретар{_SOFT}|[Дд]екан{_M}|[Сс]оветник{_M}|[Зз]аведующ\w+\s+\w+|"
    rf"[Нн]ачальник{_M}\s+\w+|[Мм]одератор{_M}|(?<!во\s)[Гг]лав(?:а|ы|ой))"
)
_RU_ROLE_PLURAL = r"(?:[Ээ]ксперты|[Аа]налитики|[Сс]отрудники|[Пп]редставители|[Уу]ч[её]ные)"
_RU_ROLE_PATTERN = re.compile(rf"(?<![\w-])(?P<role>{_RU_ROLE})(?![\w-])")
_RU_PLURAL_PATTERN = re.compile(rf"(?<![\w-])(?P<role>{_RU_ROLE_PLURAL})(?![\w-])")
_RU_WORD = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?|[А-ЯЁA-Z]{2,}(?:-[А-ЯЁа-яё]+)?|[а-яё]+|[A-Za-z]+|\S")

# Verbs of taking part or speaking: only there is a named person a speaker of the event.
PARTICIPATION = {
    "en": Prefiltered(re.compile(r"\b(?:took part|take part|taking part|participated|participate|spoke|speak|speaking|"
                     r"made a (?:report|presentation|speech)|delivered|presented|addressed|moderated|chaired|"
                     r"gave a (?:lecture|talk|report)|attended|joined|speakers?\b|noted|stressed|said|"
                     r"emphasi[sz]ed|shared|outlined|opened|welcomed|will (?:speak|present|deliver|moderate)|"
                     r"headed by|led by|met with|met|visited|received)",
                     re.IGNORECASE),
                      ("part", "particip", "spoke", "speak", "made a", "delivered", "presented", "addressed",
                       "moderated", "chaired", "gave a", "attended", "joined", "speaker", "noted", "stressed",
                       "said", "emphasi", "shared", "outlined", "opened", "welcomed", "will", "by", "met",
                       "visited", "received")),
    "ru": Prefiltered(re.compile(r"(?<!\w)(?:принял[аи]?\s+участие|примут\s+участие|примет\s+участие|участвовал[аи]?|"
                     r"выступил[аи]?|выступит|выступят|сделал[аи]?\s+доклад|представил[аи]?|модерировал[аи]?|"
                     r"открыл[аи]?|отметил[аи]?|подчеркнул[аи]?|заявил[аи]?|спикер\w*|докладчик\w*|"
                     r"приветствовал[аи]?|поделил\w+|во главе с|встретил\w*|посетил[аи]?|принял[аи]?)",
                     re.IGNORECASE),
                      ("принял", "примут", "примет", "участв", "выступ", "доклад", "представил", "модерир",
                       "открыл", "отметил", "подчеркнул", "заявил", "спикер", "приветствовал", "поделил",
                       "во главе", "встретил", "посетил")),
}


@dataclass
class Speaker:
    name: str
    role: str | None
    organization: str | None
    session: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "organization": self.organization, "session": self.session}


def speakers_in(sentence: str, language: str) -> list[Speaker]:
    """People with a role named in one sentence (any sentence; the caller decides relevance)."""
    return _english_speakers(sentence) if language == "en" else _russian_speakers(sentence)


# ---------------------------------------------------------------- English


def _english_speakers(sentence: str) -> list[Speaker]:
    found: list[tuple[int, Speaker]] = []
    taken: list[tuple[int, int]] = []

    def add(span, speaker):
        if any(a < span[1] and span[0] < b for a, b in taken):
            return
        speaker.name = _HONORIFIC.sub("", speaker.name)
        if " " not in speaker.name:
            return
        if _EN_NOT_NAME.search(speaker.name):
            return
        taken.append(span)
        found.append((span[0], speaker))

    for m in _EN_PLURAL.finditer(sentence):
        role = _singular(m.group("role"))
        org = m.group("org") or m.group("org2")
        for name_match in re.finditer(_EN_NAME, m.group("names")):
            start = m.start("names") + name_match.start()
            add((start, start + len(name_match.group(0))), Speaker(name_match.group(0), role, org))
    for m in _EN_ROLE_BEFORE_CHECKED.finditer(sentence):
        org = m.group("org") or (strip_article(m.group("org2")) if m.group("org2") else None)
        if org is None:  # "Professor John Brown of the University of Oxford"
            after = _EN_ORG_AFTER_NAME.match(sentence, m.end("name"))
            org = strip_article(clean_fragment(after.group("org"))) if after else None
        add(m.span("name"), Speaker(m.group("name"), _title_role(m.group("role")), org))
    for m in _EN_ROLE_AFTER.finditer(sentence):
        org = m.group("org") or (strip_article(clean_fragment(m.group("org2"))) if m.group("org2") else None)
        add(m.span("name"), Speaker(m.group("name"), _title_role(m.group("role")), org))
    return [speaker for _, speaker in sorted(found, key=lambda f: f[0])]


def _title_role(role: str) -> str:
    return capitalize_first(re.sub(r"\s+", " ", role.strip()))


def _singular(plural: str) -> str:
    word = plural.lower()
    return capitalize_first({"staff members": "staff member"}.get(word, re.sub(r"s$", "", word)))


# ---------------------------------------------------------------- Russian


def _name_tags(word: str) -> set[str]:
    """Which of Name/Surn/Patr some parse of a capitalized word has."""
    if not word[:1].isupper() or word.isupper():
        return set()
    tags = set()
    for parse in parses(word)[:4]:
        for grammeme in ("Name", "Surn", "Patr"):
            if grammeme in parse.tag:
                tags.add(grammeme)
    return tags


def _russian_name_at(tokens: list[re.Match], index: int) -> tuple[int, str] | None:
    """A person's name starting at tokens[index]: Name [Patr] Surn, or Surn Name [Patr].
    Returns (index after the name, name in the nominative)."""
    words = []
    j = index
    while j < len(tokens) and len(words) < 3:
        word = tokens[j].group(0)
        if not _name_tags(word):
            break
        words.append(word)
        j += 1
    if len(words) < 2:
        return None
    tag_sets = [_name_tags(w) for w in words]
    if not ("Name" in tag_sets[0] or "Name" in tag_sets[1]):
        return None
    case, gender = _case_and_gender(words)
    return j, " ".join(_nominative(w, case, gender) for w in words)


def _case_and_gender(words: list[str]) -> tuple[str | None, str | None]:
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


def _nominative(word: str, case: str | None = None, gender: str | None = None) -> str:
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
    return "-".join(capitalize_first(part) for part in inflected.word.split("-"))


def _russian_speakers(sentence: str) -> list[Speaker]:
    tokens = list(_RU_WORD.finditer(sentence))
    speakers: list[Speaker] = []
    used_names: set[int] = set()

    def token_index(position: int) -> int:
        for i, token in enumerate(tokens):
            if token.start() >= position:
                return i
        return len(tokens)

    for pattern, plural in ((_RU_ROLE_PATTERN, False), (_RU_PLURAL_PATTERN, True)):
        for m in pattern.finditer(sentence):
            start = token_index(m.end())
            # Organization words between role and name: an acronym or a genitive phrase.
            for name_start in range(start, min(start + 9, len(tokens))):
                if tokens[name_start].group(0) in (",", ".", ";", ":", "(", ")", "–", "—", "-", "и", "«", "»"):
                    break
                found = _russian_name_at(tokens, name_start)
                if not found:
                    continue
                org = _org_between(sentence, tokens, start, name_start)
                role = _russian_role(m.group("role"), plural)
                index = name_start
                while found:
                    end, name = found
                    if index not in used_names:
                        used_names.add(index)
                        speakers.append(Speaker(name, role, org))
                    if not plural or end >= len(tokens) or tokens[end].group(0) not in (",", "и"):
                        break
                    index = end + 1
                    found = _russian_name_at(tokens, index)
                break
    # "Олег Макаров, директор БИСИ,"
    for i in range(len(tokens)):
        if i in used_names:
            continue
        found = _russian_name_at(tokens, i)
        if not found or found[0] + 1 >= len(tokens) or tokens[found[0]].group(0) != ",":
            continue
        rest = sentence[tokens[found[0]].end():]
        role_match = re.match(rf"\s*(?P<role>{_RU_ROLE})\s+(?P<org>[^,;()]+?)(?=[,;)]|$)", rest)
        if role_match:
            used_names.add(i)
            org = clean_fragment(role_match.group("org"))
            org = _organization_phrase(org) if re.search("[A-ZА-ЯЁ]", org) else None
            speakers.append(Speaker(found[1], _russian_role(role_match.group("role"), False), org))
    order = {id(s): sentence.find(s.name.split()[0][:4]) for s in speakers}
    return sorted(speakers, key=lambda s: order[id(s)])


def _org_between(sentence: str, tokens: list[re.Match], start: int, name_start: int) -> str | None:
    """The organization written between a role and a name: an acronym as is, a name (always in
    the genitive there: "директор Белорусского института ...") in the nominative."""
    if name_start <= start:
        return None
    org = clean_fragment(sentence[tokens[start].start():tokens[name_start - 1].end()])
    return _organization_phrase(org) if org else None


def _organization_phrase(org: str) -> str:
    if org.isupper() or acronym_pattern().fullmatch(org) or not re.match(r"[а-яёА-ЯЁ]", org):
        return org
    return capitalize_first(nominative_phrase(org))


def _russian_role(role: str, plural: bool) -> str:
    role = re.sub(r"\s+", " ", role.strip())
    if plural:
        singular = {"эксперты": "эксперт", "аналитики": "аналитик", "сотрудники": "сотрудник",
                    "представители": "представитель", "ученые": "ученый", "учёные": "учёный"}
        role = singular.get(role.lower(), role)
    else:
        # "директором", "заместителя директора" read as "директор", "заместитель директора".
        role = nominative_phrase(role)
    return capitalize_first(role)


# ---------------------------------------------------------------- speakers by what they say

_TRANSCRIPT_HEAD = re.compile(r"^(?P<head>[^:.!?;«»\"“”]{3,120}?):\s+\S")


def page_names(texts: list[str], language_pack) -> list[str]:
    """Full names written on the page ("Vladimir Putin", "Anna K. Petrova"), in order: what a
    later "Mr Putin" refers to."""
    found: list[str] = []
    for text in texts:
        for match in language_pack.person_name.finditer(text):
            name = _trim_name(match.group(0), language_pack)
            if name and name not in found:
                found.append(name)
    return found


def _trim_name(candidate: str, language_pack) -> str | None:
    """The name part of a capitalised run: words that are no part of a name cut from its start;
    a run holding one in its middle is not a name."""
    words = candidate.split()
    while words and words[0].strip(".") in language_pack.not_name_words:
        words.pop(0)
    if len(words) < 2 or any(w.strip(".") in language_pack.not_name_words for w in words):
        return None
    if words[-1].endswith(("’s", "'s")) or all(len(w.strip(".")) <= 1 for w in words[:-1]) and len(words[-1]) < 3:
        return None
    from etl.geo import country_code, lookup_city, resolve_city

    if any(country_code(w, language_pack.code) or lookup_city(w, language_pack.code) for w in words):
        return None
    name = " ".join(words)
    return None if resolve_city(name, language_pack.code) else name


def clean_name(name: str, language_pack) -> str | None:
    """A speaker's name without the words before it that are no part of it ("Major Maxim
    Makolkin" -> "Maxim Makolkin"); None when what is left is no person's name."""
    if language_pack.code != "en":
        return name
    return _trim_name(name, language_pack)


def transcript_speaker(paragraph: str, language_pack) -> Speaker | None:
    """"President of Russia Vladimir Putin: Good afternoon ...": the speaker of a transcript line
    (not "Remark:", "Question:")."""
    match = _TRANSCRIPT_HEAD.match(paragraph)
    if not match:
        return None
    head = match.group("head").strip()
    if head.casefold() in language_pack.transcript_skip or len(head.split()) > 14:
        return None
    names = list(language_pack.person_name.finditer(head))
    if not names or names[-1].end() != len(head):
        return None
    name = _trim_name(names[-1].group(0), language_pack)
    if name is None:
        return None
    role = clean_fragment(head[: len(head) - len(name)]) or None
    return Speaker(name, role, None)


def speech_speakers(sentence: str, known: list[str], language_pack) -> list[str]:
    """Names of the people a sentence reports speaking ("Mr Putin said", "Vladimir Putin
    addressed the forum", "..., said Igor Levitin"): the person nearest before the verb in its
    clause, or right after a "said"; "Mr Surname" resolved to the page's full name."""
    if language_pack.outside_event.search(sentence):
        return []
    found: list[str] = []
    for verb in language_pack.speech.finditer(sentence):
        before = re.split(r"[.;:!?“”\"«»]", sentence[:verb.start()])[-1]
        name = _last_person(before, known, language_pack)
        if name is None and language_pack.said_after.match(sentence[verb.start():verb.end()] + " "):
            name = _first_person(sentence[verb.end():verb.end() + 60], known, language_pack)
        if name and name not in found:
            found.append(name)
    return found


def _person_refs(text: str, known: list[str], language_pack) -> list[tuple[int, str]]:
    refs = []
    for match in language_pack.person_name.finditer(text):
        name = _trim_name(match.group(0), language_pack)
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


_RU_INITIALS = re.compile(r"(?<![\w.])(?:(?P<i1>[А-ЯЁ]\.\s?[А-ЯЁ]\.)\s?(?P<s1>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
                          r"|(?P<s2>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s(?P<i2>[А-ЯЁ]\.\s?[А-ЯЁ]\.))(?![\w])")


def inflected_speech_speakers(sentence: str) -> list[str]:
    """In a Russian sentence that reports speaking, the people named in the nominative are its
    subjects: the speakers ("рассказал директор департамента Виталий Свинцов", "с приветственным
    словом обратились ... Андрей Кортунов и ... Ольга Буторина", "Белов В.Б. отметил")."""
    tokens = list(_RU_WORD.finditer(sentence))
    found: list[str] = []
    index = 0
    while index < len(tokens):
        words = _russian_person_words(tokens, index)
        if not words:
            index += 1
            continue
        given = next((w for w in words if "Name" in _name_tags(w)), None)
        nominative = given is not None and any("Name" in p.tag and "nomn" in p.tag for p in parses(given))
        if nominative:
            name = " ".join(words)
            if name not in found:
                found.append(name)
        index += len(words)
    for match in _RU_INITIALS.finditer(sentence):
        surname = match.group("s1") or match.group("s2")
        if any(surname in name for name in found):
            continue
        parsed = parses(surname)
        if parsed and not any("nomn" in p.tag for p in parsed[:3]) and morph().word_is_known(surname):
            continue
        found.append(match.group(0))
    return found


def _russian_person_words(tokens: list[re.Match], index: int) -> list[str]:
    """A first name and a surname (either order, a patronymic between) at tokens[index]: one
    word a dictionary first name, the others capitalised words that are no place or
    organisation (surnames pymorphy does not know: Кортунов, Мауль)."""
    words = []
    for token in tokens[index:index + 3]:
        word = token.group(0)
        if not re.fullmatch(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?", word):
            break
        first = parses(word)[0]
        if {"Geox", "Orgn"} & set(first.tag.grammemes) or ("NOUN" in first.tag and not _name_tags(word)
                                                             and morph().word_is_known(word)):
            break
        words.append(word)
    if len(words) < 2:
        return []
    tags = [_name_tags(w) for w in words]
    if "Name" not in tags[0] and "Name" not in tags[1]:
        return []
    if len(words) == 3 and "Patr" not in tags[1] and "Name" not in tags[0]:
        words = words[:2]
    return words
