"""Language packs: every word and rule of a language that event extraction and the gazetteer use.

One module per language (`en`, `ru`, `kk`) builds one `LanguagePack`; `pack(code)` returns it, or
None for a language without a pack (which then gets no events rather than another language's
rules). Adding a language means one module here (registered in `_PACKS`) plus its fixtures.

The algorithms (`etl.events`, `etl.geo`) hold no language literals: they read the pack's fields.
Patterns are compiled by the packs; word lists are plain data.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass, field

_PACKS = {"en": "etl.lang.en", "ru": "etl.lang.ru", "kk": "etl.lang.kk"}


@functools.lru_cache(maxsize=1024)
def lowered_text(text: str) -> str:
    """text.lower(), once per sentence however many patterns look at it."""
    return text.lower()


def first_chars(pattern: str, flags: int = 0) -> set[str] | None:
    """The characters every match of `pattern` begins with (as the pattern reads them, under its
    own flags); None when they cannot be told (a class of categories, an inline flag, a pattern
    that may match nothing)."""
    found = _first_chars(pattern, flags)
    return found[0] if found is not None and not found[1] else None


def _first_chars(pattern: str, flags: int) -> tuple[set[str], set[str]] | None:
    """(characters read as written, characters read case-insensitively by an inline `(?i:...)`)."""
    from re import _constants as sre, _parser

    def first(items, folded: bool):  # (as written, case-insensitive, may match empty) or None
        chars: set[str] = set()
        folded_chars: set[str] = set()
        into = folded_chars if folded else chars
        for op, av in items:
            if op is sre.LITERAL:
                into.add(chr(av))
                return chars, folded_chars, False
            if op is sre.IN:
                for o, a in av:
                    if o is sre.LITERAL:
                        into.add(chr(a))
                    elif o is sre.RANGE and a[1] - a[0] <= 512:
                        into.update(chr(c) for c in range(a[0], a[1] + 1))
                    else:
                        return None
                return chars, folded_chars, False
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue  # zero-width: the next item reads the first character
            if op is sre.SUBPATTERN:
                if av[2] or av[1] not in (0, re.IGNORECASE):
                    return None  # flags other than a case-insensitive part
                inner = first(av[3], folded or bool(av[1]))
                inner = None if inner is None else [inner]
            elif op is sre.BRANCH:
                inner = [first(b, folded) for b in av[1]]
                if any(b is None for b in inner):
                    return None
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                inner = first(av[2], folded)
                inner = None if inner is None else [(inner[0], inner[1], inner[2] or av[0] == 0)]
            else:
                return None
            if inner is None:
                return None
            for cs, ci, _ in inner:
                chars |= cs
                folded_chars |= ci
            if not any(n for _, _, n in inner):
                return chars, folded_chars, False
        return chars, folded_chars, True

    try:
        parsed = _parser.parse(pattern, flags)
    except re.error:
        return None
    found = first(list(parsed), False)
    if found is None or found[2] or not (found[0] or found[1]):
        return None
    return found[0], found[1]


def with_first_chars(pattern: re.Pattern) -> re.Pattern:
    """The same pattern behind a look-ahead for the characters its matches begin with: Python's
    engine then rejects most positions with one test instead of trying every alternative of a
    long alternation. Matches, groups and flags are unchanged."""
    pattern = _grouped_by_first_letter(pattern)
    try:  # reads the private re._parser: a Python whose parser differs gets the pattern as written
        found = _first_chars(pattern.pattern, pattern.flags) if isinstance(pattern.pattern, str) else None
    except (ImportError, AttributeError, TypeError, ValueError):
        found = None
    if found is None:
        return pattern
    written, folded = found
    parts = (["[" + "".join(re.escape(c) for c in sorted(written)) + "]"] if written else []) + \
        (["(?i:[" + "".join(re.escape(c) for c in sorted(folded)) + "])"] if folded else [])
    ahead = "(?=" + "|".join(parts) + ")"
    after_boundary = _after_word_boundary(pattern, ahead)
    if after_boundary is not None:
        return after_boundary
    try:
        return re.compile(ahead + pattern.pattern, pattern.flags)
    except re.error:  # e.g. global inline flags, which must open the pattern
        return pattern


def _after_word_boundary(pattern: re.Pattern, ahead: str) -> re.Pattern | None:
    """`\\bA|\\bB|...` as `\\b(?=..)(?:A|B|...)`: the word boundary first, once, then the
    look-ahead. Inside words (most positions) the boundary fails at once, where the look-ahead
    first would pass on most letters, and each alternative no longer tests the boundary again.
    Zero-width tests at one position commute and the alternatives keep their order, so the
    matches and groups are those of the pattern; None (the look-ahead goes first) unless the
    pattern, parsed, is exactly such an alternation."""
    text = pattern.pattern
    if not isinstance(text, str) or pattern.flags & re.VERBOSE or not text.startswith("\\b"):
        return None
    alternatives = _top_level_alternatives(text)
    if alternatives is None or not all(a.startswith("\\b") for a in alternatives):
        return None
    rest = [a[2:] for a in alternatives]
    rewritten = "\\b" + ahead + (rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")")
    try:  # the private parser checks the rewrite; a Python whose parser differs keeps the old form
        from re import _constants as sre, _parser

        before = _tree(_parser.parse(text, pattern.flags))  # the parser moves a shared \\b out itself
        after = _tree(_parser.parse(rewritten, pattern.flags))
        boundary = (sre.AT, sre.AT_BOUNDARY)
        if not before or before[0] != boundary or len(after) < 2 or after[1][0] is not sre.ASSERT or \
                [after[0]] + after[2:] != before:
            return None
        compiled = re.compile(rewritten, pattern.flags)
    except (ImportError, AttributeError, TypeError, ValueError, IndexError, re.error):
        return None
    if compiled.groupindex != pattern.groupindex or compiled.groups != pattern.groups:
        return None
    return compiled


_INLINE_FLAGS = re.compile(r"\(\?(?!i:)[aiLmsux-]")  # any but a case-insensitive group "(?i:...)"
_GROUP_OPENING = re.compile(r"\(\?:|\(\?P<\w+>|\((?!\?)|(?P<folded>\(\?i:)")


def _grouped_by_first_letter(pattern: re.Pattern) -> re.Pattern:
    """Alternatives that open with a letter grouped by it ("said|says|noted|spoke" as
    "s(?:aid|ays|poke)|n(?:oted)"): Python's engine tries the alternatives of an alternation one
    by one at every place, and a long case-insensitive list of words costs it a test per word.
    Alternatives opening with different ASCII letters never match at the same place, so only the
    group of the text's letter is tried, its words in their order; an alternative opening
    otherwise (a group, a class, an optional letter) keeps its place, and no alternative moves
    across it. Inside a case-insensitive group "(?i:...)" letters are grouped case-folded. Same
    matches and groups; the pattern as it was when it holds other inline flags or cannot be
    read."""
    text = pattern.pattern
    if not isinstance(text, str) or pattern.flags & re.VERBOSE or _INLINE_FLAGS.search(text):
        return pattern
    folded = bool(pattern.flags & re.IGNORECASE)
    rewritten = _grouped_text(text, folded)
    if rewritten is None or rewritten == text:
        return pattern
    try:
        compiled = re.compile(rewritten, pattern.flags)
    except re.error:
        return pattern
    if compiled.groupindex != pattern.groupindex or compiled.groups != pattern.groups:
        return pattern
    return compiled


def _grouped_text(text: str, folded: bool) -> str | None:
    """`_grouped_by_first_letter` on a pattern's text: its top-level alternation and that of each
    group (not of look-arounds), recursively; None when the text cannot be read."""
    alternatives = _top_level_alternatives(text)
    if alternatives is None:
        return None
    done = []
    for alternative in alternatives:
        inner = _grouped_groups(alternative, folded)
        if inner is None:
            return None
        done.append(inner)
    if len(done) < 2:
        return done[0]
    out: list[str] = []
    segment: dict[str, list[str]] = {}  # letter (case-folded under IGNORECASE) -> the rests, in order
    firsts: dict[str, str] = {}

    def flush():
        for key, rests in segment.items():
            out.append(firsts[key] + "(?:" + "|".join(rests) + ")")
        segment.clear()

    for alternative in done:
        first = alternative[:1]
        # A capturing group would change its number by moving: such an alternative stays put.
        if first.isascii() and first.isalpha() and alternative[1:2] not in ("?", "*", "+", "{") \
                and not _CAPTURING.search(alternative):
            key = first.lower() if folded else first
            if key not in segment:
                firsts[key] = first
            segment.setdefault(key, []).append(alternative[1:])
        else:
            flush()
            out.append(alternative)
    flush()
    return "|".join(out)


_CAPTURING = re.compile(r"\((?!\?)|\(\?P<")


def _grouped_groups(text: str, folded: bool) -> str | None:
    """The text with the alternation inside each of its (capturing or non-capturing) groups
    grouped; look-arounds, classes and escapes kept as written."""
    out, index, in_class = [], 0, False
    while index < len(text):
        char = text[index]
        if char == "\\":
            out.append(text[index:index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
            index += 1
            continue
        if char == "[":
            in_class = True
            following = index + 1 + (text[index + 1:index + 2] == "^")
            if text[following:following + 1] == "]":
                out.append(text[index:following + 1])
                index = following + 1
                continue
            out.append(char)
            index += 1
            continue
        if char == "(":
            close = _closing(text, index)
            if close is None:
                return None
            opening = _GROUP_OPENING.match(text, index)
            if opening is None:  # a look-around or another kind of group: as written
                out.append(text[index:close + 1])
            else:
                inner = _grouped_text(text[opening.end():close], folded or opening.group("folded") is not None)
                if inner is None:
                    return None
                out.append(opening.group(0) + inner + ")")
            index = close + 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _outside_classes(text: str, start: int = 0):
    """(index, character) of each character from `start` that is neither escaped nor inside a
    character class: the pattern's own structure (groups, `|`). ValueError when a class is left open."""
    index, in_class = start, False
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            following = index + 1 + (text[index + 1:index + 2] == "^")
            if text[following:following + 1] == "]":  # a "]" first in a class is a character
                index = following
        else:
            yield index, char
        index += 1
    if in_class:
        raise ValueError("unterminated character class")


def _closing(text: str, start: int) -> int | None:
    """Where the group opened at `start` closes."""
    depth = 0
    try:
        for index, char in _outside_classes(text, start):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return index
    except ValueError:
        pass
    return None


def _top_level_alternatives(text: str) -> list[str] | None:
    """The pattern cut at its `|` outside groups and classes (None when it cannot be read)."""
    found, depth, start = [], 0, 0
    try:
        for index, char in _outside_classes(text):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth < 0:
                    return None
            elif char == "|" and depth == 0:
                found.append(text[start:index])
                start = index + 1
    except ValueError:
        return None
    if depth:
        return None
    found.append(text[start:])
    return found


def _tree(items) -> object:
    """A parsed pattern as plain nested tuples and lists, to compare two parses; a group that
    neither captures nor sets flags and holds one item is that item (an alternation is an item)."""
    from re import _constants as sre, _parser

    if isinstance(items, _parser.SubPattern):
        items = list(items)
    if isinstance(items, list):
        flat = []
        for item in items:
            while isinstance(item, tuple) and len(item) == 2 and item[0] is sre.SUBPATTERN and \
                    item[1][0] is None and not item[1][1] and not item[1][2] and len(item[1][3]) == 1:
                item = list(item[1][3])[0]
            flat.append(_tree(item))
        return flat
    if isinstance(items, tuple):
        return tuple(_tree(item) for item in items)
    return items


class Prefiltered:
    """A compiled pattern behind a cheap substring test: the regex only runs on text that holds
    one of `stems` (lower case). Most sentences hold none, and Python's regex engine is slow
    on long case-insensitive alternations (a look-ahead for their first characters helps too)."""

    def __init__(self, pattern: re.Pattern, stems: tuple[str, ...]):
        self.written = pattern
        self.stems = stems

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        """Rewritten on first use, then an attribute like any other: a pack imported for its
        abbreviations alone (every task imports them all) pays no rewrites."""
        return with_first_chars(self.written)

    def _may_match(self, text: str) -> bool:
        lowered = lowered_text(text)
        for stem in self.stems:
            if stem in lowered:
                return True
        return False

    # search and finditer hold the test themselves: they are called ~100,000 times on 600 pages,
    # and a method call per test cost more than the substring tests of most sentences.
    def search(self, text: str):
        lowered = lowered_text(text)
        for stem in self.stems:
            if stem in lowered:
                return self.pattern.search(text)
        return None

    def finditer(self, text: str):
        lowered = lowered_text(text)
        for stem in self.stems:
            if stem in lowered:
                return self.pattern.finditer(text)
        return iter(())


NEVER = Prefiltered(re.compile(r"(?!x)x"), ())


@dataclass(frozen=True)
class PeopleWords:
    """Role words and name shapes of people in one language."""

    role: str = r"(?!x)x"                   # a person's role ("Deputy Director", "заместителя директора")
    role_plural: str = r"(?!x)x"            # "experts", "эксперты"
    plural_singulars: dict[str, str] = field(default_factory=dict)
    # capitalizing languages: the shapes of names and organisations around a role
    name: str = r"(?!x)x"
    acronym: str = r"(?!x)x"
    org_run: str = r"(?!x)x"                # a capitalized organisation name ("the Eurasian Policy Institute")
    role_stems: tuple[str, ...] = ()       # lower case; every `role` match holds one (a pre-filter)
    role_plural_stems: tuple[str, ...] = ()  # lower case; every `role_plural` match holds one
    not_name: re.Pattern = re.compile(r"(?!x)x")
    org_after_name: re.Pattern = re.compile(r"(?!x)x")
    honorific_prefix: re.Pattern = re.compile(r"(?!x)x")
    role_after_end: str = r"$"              # where "Name, Role of Org" ends
    role_links: str = r"\s+"                # "Director of the", "Head at"
    list_and: str = r",\s+"                 # "A, B and C"
    # inflected languages: tokens and list punctuation
    word: re.Pattern = re.compile(r"\w+|\S")
    list_breaks: tuple[str, ...] = ()
    list_links: tuple[str, ...] = ()
    foreign_name: re.Pattern = re.compile(r"(?!x)x")  # a name in another script ("Marc Franco" in Russian text)

    @property
    def role_pattern(self) -> re.Pattern:
        return _compiled(rf"(?<![\w-])(?P<role>{self.role})(?![\w-])")

    @property
    def plural_pattern(self) -> re.Pattern:
        return _compiled(rf"(?<![\w-])(?P<role>{self.role_plural})(?![\w-])")

    @property
    def role_after_name(self) -> re.Pattern:
        return _compiled(rf"\s*(?P<role>{self.role})\s+(?P<org>[^,;()]+?)(?=[,;)]|$)")


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@dataclass(frozen=True)
class LanguagePack:
    """What one language contributes. Fields a language lacks keep their empty defaults."""

    code: str
    script: re.Pattern                      # letters of the language's script (language guess)
    distinctive: re.Pattern | None = None   # letters only this language of its script has
    # --- event nouns: (canonical type, pattern of its nouns in this language), longer first
    event_types: tuple[tuple[str, str], ...] = ()
    event_stems: tuple[str, ...] = ()       # cheap pre-check for event_types
    session_nouns: str = r"(?!x)x"         # nouns of an event's parts (plenary session, panel, секция)
    session_stems: tuple[str, ...] = ()
    online: Prefiltered = NEVER             # format words
    hybrid: Prefiltered = NEVER
    offline: Prefiltered = NEVER
    plenary: re.Pattern = re.compile(r"(?!x)x")
    section: re.Pattern = re.compile(r"(?!x)x")
    phrase_boundary: re.Pattern = re.compile(r"[,;()»\"”]")  # where a noun phrase before a noun starts
    session_name_lead: re.Pattern = re.compile(r"^\s*[:,]?\s*$")  # between a session noun and its quoted name
    quote_link: re.Pattern = re.compile(r"^\s*,\s*$")  # between two quoted names of one list
    ceremonial_adjective: str = "\x00"       # "a ceremonial reception" is a reception
    format_prefixes: tuple[str, ...] = ()   # "video" of "videoconference": a format, not an event
    # --- what a page is: a gathering or not
    non_event: Prefiltered = NEVER          # title/lead cues of pages that report no gathering
    message_to_participants: Prefiltered = NEVER  # a lead addressing a gathering's participants: a message
    said_to_press: Prefiltered = NEVER      # a lead reporting words said to the press, in an interview
    title_verbs: tuple[tuple[re.Pattern, str], ...] = ()   # "met with" -> meeting, "visited" -> visit
    group_discussed: re.Pattern = re.compile(r"(?!x)x")  # "experts ... discussed": a meeting the lead reports
    body_sessions: tuple[Prefiltered, ...] = ()  # a session of a standing body: a meeting
    summit_of: Prefiltered = NEVER          # "heads of state": a meeting of them is a summit
    reporting: Prefiltered = NEVER          # "was held", "состоялся"
    part_of: re.Pattern = re.compile(r"(?!x)x")  # "as part of the", "в рамках"
    definite_before: re.Pattern | None = None    # "the/this ..." before a noun: a reference back (None: no articles)
    definite_cut: re.Pattern | None = None       # where the noun phrase before a noun starts
    # --- event names and occasions
    name_lead_in: re.Pattern = re.compile(r"^\s*[:,—–-]?\s*$")   # between a noun and its quoted name
    name_trail_in: re.Pattern = re.compile(r"^\s*$")             # between a quoted name and its noun
    name_run: re.Pattern | None = None      # a capitalized run ending before the noun (capitalizing languages)
    name_tail: re.Pattern = re.compile(r"")  # "Forum of Belarus and Russia": a name going on after the noun
    name_glue: frozenset[str] = frozenset()  # small words inside names, never at their ends
    ordinal: re.Pattern = re.compile(r"(?!x)x")  # "Ninth", "11th", "XX": the edition, not the name
    generic_name_words: frozenset[str] = frozenset()  # describe a kind of event, name none
    name_skip_start: frozenset[str] = frozenset()     # capitalised words that open a sentence, not a name
    type_refinements: tuple[tuple[str, re.Pattern, str], ...] = ()  # (type, what follows the noun, the type it is)
    word_token: re.Pattern = re.compile(r"\s*(\w+(?:-\w+)*)")
    conjunction: str = ""
    occasion: tuple[Prefiltered, Prefiltered] = (NEVER, NEVER)  # (topic-or-occasion, occasion) phrases
    occasion_words: re.Pattern = re.compile(r"(?!x)x")  # an occasion is date-like: anniversary, Day
    occasion_end: re.Pattern = re.compile(r"(?!x)x")
    # --- dates
    months: dict[str, int] = field(default_factory=dict)
    date_patterns: tuple[re.Pattern, ...] = ()   # day-first patterns (groups d1 d2 mon1 year1 d3 mon2 year)
    month_first: re.Pattern | None = None        # month-first pattern (mon1 d1 mon2 d2 year)
    relative_days: dict[str, int] = field(default_factory=dict)
    relative: re.Pattern = re.compile(r"(?!x)x")
    phase_ended: Prefiltered = NEVER        # "came to an end": the date line is the last day
    phase_began: Prefiltered = NEVER        # "has begun", "arrived at": the date line is the first day
    second_day: Prefiltered = NEVER         # "the second day of the summit"
    days_of: re.Pattern = re.compile(r"(?!x)x")  # "the three days of the forum" (group n)
    # --- numbers and counts
    number_words: dict[str, int] = field(default_factory=dict)
    participants: tuple[re.Pattern, ...] = ()
    participant_stems: tuple[str, ...] = ()
    countries: tuple[re.Pattern, ...] = ()
    country_stems: tuple[str, ...] = ()
    attendance: Prefiltered = NEVER         # words of attending or taking part: where counts are read
    not_counted: re.Pattern = re.compile(r"(?!x)x")  # "invited", "awarded", "regions": not attendance
    # --- places
    locative: re.Pattern = re.compile(r"(?!x)x")     # "in <Name>", "в <Name>"
    # What puts an event in a city the text names: the words before it ("in", "в городе"; matched
    # at the end of the text before the city) or after it ("Astana hosts"); None: any mention.
    place_before: re.Pattern | None = None
    place_after: re.Pattern = re.compile(r"(?!x)x")
    city_marker: re.Pattern = re.compile(r"(?!x)x")  # "г. <Name>", "the city of <Name>" (group name)
    capitals: tuple[tuple[re.Pattern, str], ...] = ()  # "in the Kazakh capital" (group written) -> code
    capital_of_country: Prefiltered = NEVER  # "in the capital of " (end-anchored) before a country's name
    region_words: re.Pattern = re.compile(r"(?!x)x")
    country_before: re.Pattern = re.compile(r"(?!x)x")  # preposition placing something in a country
    venue_prefix: re.Pattern = re.compile(r"(?!x)x")   # "the", "г." before a place-line part
    longer_name: re.Pattern = re.compile(r"(?!x)x")    # what after a city makes it part of a longer name
    agency_dateline: re.Pattern = re.compile(r"(?!x)x")  # "МОСКВА, 3 декабря. /ТАСС/." opening the text
    travel: Prefiltered = NEVER             # "arrived in", "visit to": where someone went
    state_bodies: tuple[tuple[re.Pattern, str], ...] = ()  # "Russian Academy", "белорусского государственного" -> code
    venue_of_state: re.Pattern = re.compile(r"(?!x)x")  # "at the Academy ... of the Republic of " before a country
    landmarks: tuple[tuple[re.Pattern, str], ...] = ()  # landmark -> the English name of its city
    country_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    city_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical English -> names
    not_cities: frozenset[str] = frozenset()
    skip_country_names: frozenset[str] = frozenset()
    inflects: bool = False                  # place names take case endings (Russian, Kazakh)
    geonames_script: str = ""               # which GeoNames alternate names are this language's ("latin", "cyrillic")
    pycountry_locale: str | None = None     # pycountry's translation of country names, if any
    place_forms: object = None              # name -> its written forms (case endings); None: as written
    morphology: object = None               # a module with parses() / nominative_phrase() (None: none)
    # --- people and organisations
    people: PeopleWords = PeopleWords()
    # --- organisations
    org_heads: re.Pattern = re.compile(r"(?!x)x")     # head nouns: a list item holding one names an organisation
    organizer_intro: Prefiltered = NEVER    # "organised by <list>" (groups list, list2, list3)
    organizer_oblique: Prefiltered = NEVER  # organisers in an oblique case ("организована <list>")
    organizer_list_stop: re.Pattern = re.compile(r"(?!x)x")  # where a list of organisers ends
    and_split: re.Pattern = re.compile(r"(?!x)x")     # "A and B"
    org_of: re.Pattern = re.compile(r"(?!x)x")        # "of", "for": where an organisation's own name ends
    organizer_attributive: re.Pattern = re.compile(r"(?!x)x")  # "organised by" after a noun, no auxiliary
    org_joint: re.Pattern = re.compile(r"(?!x)x")     # "together with", "совместно с": one more organiser follows
    body_meeting: re.Pattern = re.compile(r"(?!x)x")  # "a meeting of its Board": the body's own session
    and_start: re.Pattern = re.compile(r"(?!x)x")     # a leading "and"
    subject_organizer: re.Pattern | None = None  # "<Org> held a ..." (group org); None: by subject_verb
    subject_skip: frozenset[str] = frozenset()   # leading words of a subject run that are no part of a name
    subject_verb: re.Pattern = re.compile(r"(?!x)x")  # "провел": the organiser is the subject before it
    speech: Prefiltered = NEVER             # verbs of speaking at the event (group "verb")
    subject_pronoun: re.Pattern = re.compile(r"(?!x)x")  # "he", "она": the person last named
    speaker_list: re.Pattern | Prefiltered = re.compile(r"(?!x)x")  # "opened by", "speakers were:": the names that follow
    said_after: re.Pattern = re.compile(r"(?!x)x")  # "..., said Mr Putin": the speaker after the verb
    outside_event: Prefiltered = NEVER      # words said elsewhere: to journalists, at a news conference
    honorific: re.Pattern = re.compile(r"(?!x)x")   # "Mr Putin" (group "surname")
    person_name: re.Pattern = re.compile(r"(?!x)x")  # a full name as written
    not_name_words: frozenset[str] = frozenset()    # capitalised words that are no part of a name
    transcript_skip: frozenset[str] = frozenset()   # "Remark:", "Question:": no speaker
    participation: Prefiltered = NEVER      # verbs of taking part (people there, not speakers)
    group_pronoun: re.Pattern = re.compile(r"(?!x)x")  # "they", "они": the people the sentence before listed
    abbreviations: frozenset[str] = frozenset()


@functools.cache
def pack(code: str | None) -> LanguagePack | None:
    """The language pack of `code` ("en", "ru-RU", "kk"), or None when there is none."""
    if not code:
        return None
    module = _PACKS.get(code.split("-")[0].lower())
    return importlib.import_module(module).PACK if module else None


def languages() -> tuple[str, ...]:
    return tuple(_PACKS)


@functools.cache
def all_abbreviations() -> frozenset[str]:
    """Abbreviations of every pack: a period after them ends no sentence."""
    return frozenset().union(*(pack(code).abbreviations for code in _PACKS))


def guess_language(text: str) -> str | None:
    """The pack for text of unstated language: one whose distinctive letters it holds, else the
    one whose script most of its letters are in; None for text in no pack's script."""
    packs = [pack(code) for code in _PACKS]
    for language_pack in packs:
        if language_pack.distinctive is not None and len(language_pack.distinctive.findall(text)) >= 3:
            return language_pack.code
    counts = [(len(p.script.findall(text)), -i, p.code) for i, p in enumerate(packs) if p.distinctive is None]
    best = max(counts, default=(0, 0, None))
    return best[2] if best[0] else None
