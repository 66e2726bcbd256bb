"""From sentences to events: which sentence introduces an event, which ones talk about it,
and the event's fields gathered from those sentences.

An event is introduced by a type noun (conference, круглый стол, ...) that comes with something
telling it apart: a quoted or proper name, a date, a city, or a reporting verb ("was held",
"состоялся") when no event is known yet. A type noun without any of these ("The conference was
organized by ...", "Делегаты форума ...") refers back to an event already introduced. Every
sentence belongs to the event most recently introduced or referred to.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field

from etl import geo
from etl.events import counts, dates, names, organizations, people, places, sessions
from etl.events.kinds import ONLINE, SESSION_NOUN, TypeMention, event_type_mentions
from etl.events.text import quotes, quotes_within, sentence_spans
from etl.lang import pack



_UNSET = object()


@dataclass
class Sentence:
    text: str
    index: int
    mentions: list[TypeMention]
    quotes: list
    language: str = "en"
    _about: object = field(default=_UNSET, repr=False)
    _dates: object = field(default=_UNSET, repr=False)
    _place: object = field(default=_UNSET, repr=False)

    @property
    def about(self) -> bool:
        """Names an event type or reports one ("held", "состоялся")."""
        if self._about is _UNSET:
            self._about = bool(self.mentions) or bool(pack(self.language).reporting.search(self.text))
        return self._about

    def dates(self, context: "Context") -> list:
        if self._dates is _UNSET:
            self._dates = dates.find_dates(self.text, context.language, context.default_year, context.published)
        return self._dates

    def place(self, language: str):
        if self._place is _UNSET:
            self._place = places.city_in(self.text, language)
        return self._place


@dataclass
class EventDraft:
    type: str
    name: str | None
    intro: Sentence | None
    sentences: list[Sentence] = field(default_factory=list)
    # Types seen in self.sentences[:_types_seen_upto]; grown incrementally, since this is asked for
    # every mention of every sentence and a long article must not make that quadratic.
    _types_seen: set[str] = field(default_factory=set, repr=False)
    _types_seen_upto: int = field(default=0, repr=False)
    via_noun: bool = False  # a headline's event named by its noun (not by a verb)

    def mentioned_types(self) -> set[str]:
        for sentence in self.sentences[self._types_seen_upto:]:
            self._types_seen.update(m.type for m in sentence.mentions)
        self._types_seen_upto = len(self.sentences)
        return self._types_seen | {self.type}


@dataclass
class Context:
    language: str
    # The year for dates written without one (`dates.context_year`), worked out on first use: a
    # page that reports no gathering never reads a date.
    year_source: Callable[[], int | None]
    published: dt.date | None
    dateline: str | None             # the place the page states for the article, if any
    title: str | None = None
    first_paragraph: str = ""
    date_line: dt.date | None = None  # the page's date line, when the markup declares it the article's
    pack: object = None               # the language pack (etl.lang.LanguagePack)
    filed_from: str | None = None     # a news agency dateline's city: where the story was filed

    @functools.cached_property
    def default_year(self) -> int | None:
        return self.year_source()


def build_events(title: str | None, paragraphs: list[str], context: Context) -> list[dict]:
    language = context.language
    all_sentences = []
    split = []  # (paragraph, its quotes, its sentences' spans)
    unsplit = iter(paragraphs)

    def split_until(count: int | None) -> list[Sentence]:
        """Paragraphs split in order until `count` sentences are known (None: all of them)."""
        while count is None or len(all_sentences) < count:
            paragraph = next(unsplit, None)
            if paragraph is None:
                break
            paragraph_quotes = quotes(paragraph)
            spans = sentence_spans(paragraph, paragraph_quotes)
            split.append((paragraph, paragraph_quotes, spans))
            for start, end in spans:
                inner = quotes_within(paragraph_quotes, start, end) if paragraph_quotes else ()
                all_sentences.append(Sentence(paragraph[start:end], len(all_sentences), [], inner, language))
        return all_sentences

    # Before event nouns are looked for and events drafted: a page that reports no gathering
    # (it reads the sentences' words only, mostly the lead's) needs none of that work, nor the
    # split of the rest of its text.
    if _reports_no_gathering(title, split_until, context):
        return []
    split_until(None)
    sentence_iter = iter(all_sentences)
    for paragraph, paragraph_quotes, spans in split:
        # Event-type nouns are found once per paragraph, then handed to their sentences.
        in_paragraph = sorted(event_type_mentions(paragraph, language), key=lambda m: m.start)
        starts = [m.start for m in in_paragraph]
        for start, end in spans:
            sentence = next(sentence_iter)
            if not in_paragraph:
                continue
            mentions = [TypeMention(m.type, m.start - start, m.end - start, m.text)
                        for m in in_paragraph[bisect_left(starts, start):bisect_left(starts, end)]]
            sentence.mentions = [m for m in mentions if not any(q.start <= m.start < q.end for q in sentence.quotes)
                                 or _names_its_event(m, sentence.quotes)]

    drafts: list[EventDraft] = []
    current: EventDraft | None = None
    pending: list[Sentence] = []  # sentences before the first event
    for sentence in all_sentences:
        event = _introduced_or_referred(sentence, drafts, current, context)
        if event is not None:
            current = event
        if current is None:
            pending.append(sentence)
        else:
            if pending:
                current.sentences.extend(pending)
                pending = []
            current.sentences.append(sentence)

    title_event = _title_event(title, context)
    digest = _digest(drafts, context) if title_event is None else []
    if digest:
        return [_finish(draft, index, context) for index, draft in enumerate(digest)]
    if title_event is None:
        title_event = _lead_verb_event(all_sentences, drafts, context)
    main = _main_event(drafts, title_event, all_sentences, context)
    return [_finish(main, 0, context)] if main is not None else []


def _names_its_event(mention: TypeMention, spans) -> bool:
    """A short capitalized quote ending in an event noun is that event's name («Примаковские
    чтения», "Eurasian Readings"); a noun inside a longer quote is part of a title."""
    quote = next((q for q in spans if q.start <= mention.start < q.end), None)
    return quote is not None and mention.end == quote.end - 1 and quote.text[:1].isupper() and \
        len(quote.text.split()) <= _QUOTED_NAME_WORDS


_QUOTED_NAME_WORDS = 4


def _digest(drafts: list[EventDraft], context: Context) -> list[EventDraft]:
    """A page whose headline names no gathering may report several ("A week of expert
    dialogue": a conference on 3 October, a round table on 6 October): each introduced by its
    own name and its own date in a sentence that reports it held. Anything less is one event."""
    reported = [d for d in drafts if d.intro is not None and d.name and d.intro.dates(context)
                and context.pack.reporting.search(d.intro.text)]
    days = {d.intro.dates(context)[0].start for d in reported}
    return reported if len(reported) >= 2 and len(days) == len(reported) else []


def _reports_no_gathering(title: str | None, sentences: Callable[[int | None], list[Sentence]],
                          context: Context) -> bool:
    """Telephone conversations, messages of greetings, statements, interviews, decrees, laws and
    appointments: the headline (or, without one, the first sentence) says so before it names
    any gathering. `sentences(n)`: the text's first n sentences or more (None: all of them)."""
    language_pack = context.pack
    first = sentences(_LEAD_SENTENCES)
    lead = [s.text for s in first[:_LEAD_SENTENCES]]
    if any(language_pack.message_to_participants.search(text) for text in [title or ""] + lead[:2]):
        return True  # a message addressed to a gathering's participants
    if any(language_pack.said_to_press.search(text) for text in lead) and \
            not any(language_pack.reporting.search(text) for text in [title or ""] + [s.text for s in sentences(None)]):
        return True  # words said to the press about a gathering that the page never reports held
    headline = title or (first[0].text if first else "")
    cue = context.pack.non_event.search(headline)
    if cue is None:
        return False
    mentions = event_type_mentions(headline, context.language)
    spans = quotes(headline)
    first_noun = next((m.start for m in mentions if not any(q.start <= m.start < q.end for q in spans)), None)
    # A headline verb of a gathering ("met with") before the cue makes it an event's headline.
    verbs = [v.start() for v in (p.search(headline) for p, _ in context.pack.title_verbs) if v]
    if verbs and (first_noun is None or min(verbs) < first_noun):
        first_noun = min(verbs)
    return first_noun is None or cue.start() < first_noun


# The lead: the first sentences of the text, where a page says what it reports.
_LEAD_SENTENCES = 5


def _main_event(drafts: list[EventDraft], title_event: EventDraft | None, sentences: list[Sentence],
                context: Context) -> EventDraft | None:
    """The one gathering the page is about: the headline's, else the first the text introduces.
    Gatherings mentioned in passing are not the page's events."""
    if title_event is None:
        if not drafts:
            return None
        # Without a headline's event the first gathering the text introduces is the page's; the
        # other nouns after it speak of it too ("the session of the club ... The forum runs in Sochi").
        main = drafts[0]
        main.sentences = list(sentences)
        return main
    same = next((d for d in drafts if d.type == title_event.type), None)
    if title_event.type == "meeting" and drafts and drafts[0].type in _FORMATS_OF_MEETING and \
            drafts[0].intro is not None and drafts[0] is not same:
        # "The meeting of Russian and American experts" that the text introduces as a round table
        # is a round table: the generic noun gives way to the format the text names.
        drafts[0].sentences = list(sentences)
        return drafts[0]
    if same is not None:
        main = same
        # The headline's name, unless the text gives it in full ("Петербургский форум" in the
        # headline, "Петербургский международный экономический форум" in the text).
        if title_event.name and not (main.name and set(_fold(title_event.name).split()) <= set(_fold(main.name).split())):
            main.name = title_event.name
    elif drafts and title_event.via_noun:
        main = drafts[0]
        main.type, main.name = title_event.type, title_event.name or (main.name if main.type == title_event.type else None)
    elif drafts:
        main = drafts[0]
        main.type = title_event.type
        main.name = None
    else:
        main = title_event
        main.sentences = sentences
    if main.intro is not None:
        # The page is about this gathering: every sentence from the start speaks of it, but for
        # the passing mentions (which no longer make events of their own).
        main.sentences = list(sentences)
    if main.type == "meeting" and _summit(title_event, main, context):
        main.type = "summit"
    return main


_FORMATS_OF_MEETING = {"round table", "seminar", "conference"}


def _summit(title_event: EventDraft, main: EventDraft, context: Context) -> bool:
    """A meeting of heads of state that the page calls a summit is a summit."""
    texts = [context.title or ""] + [s.text for s in main.sentences[:15]]
    # The cheap test first: the other reads up to 15 sentences.
    return bool(context.pack.summit_of.search(" ".join(texts[:3]))) and \
        any(m.type == "summit" for t in texts[1:] for m in event_type_mentions(t, context.language))


def _introduced_or_referred(sentence: Sentence, drafts: list[EventDraft], current: EventDraft | None,
                            context: Context) -> EventDraft | None:
    language = context.language
    chosen = None
    # Found once per sentence, not once per mention: long paragraphs hold many mentions.
    session_nouns = _session_noun_spans(sentence, language) if drafts and sentence.mentions else ()
    for mention in sentence.mentions:
        if any(start <= mention.start < end for start, end in session_nouns):
            continue
        if drafts and _part_of_known_event(sentence, mention, {t for d in drafts for t in d.mentioned_types()},
                                           language):
            continue  # "a round table within the forum" is a part of the forum: one of its sessions
        quoted = next((q for q in sentence.quotes if q.start <= mention.start < q.end), None)
        name = quoted.text if quoted else names.event_name(sentence.text, mention, sentence.quotes, language)
        if name is not None:
            known = next((d for d in drafts if d.name and _fold(d.name) == _fold(name)), None)
            if known is not None:
                chosen = chosen or known
                continue
            unnamed = next((d for d in drafts if d.name is None and d.type == mention.type
                            and d.intro is not None and d.intro.index == sentence.index), None)
            if unnamed is not None:
                unnamed.name = name
                chosen = chosen or unnamed
                continue
            draft = EventDraft(mention.type, name, sentence)
            drafts.append(draft)
            chosen = chosen or draft
            continue
        if not drafts:
            if _has_own_date_or_place(sentence, drafts, context) or context.pack.reporting.search(sentence.text):
                draft = EventDraft(mention.type, None, sentence)
                drafts.append(draft)
                chosen = chosen or draft
            continue
        # The article test first: it is cheaper than reading the sentence's dates and places.
        if _indefinite(sentence.text, mention, language) and _has_own_date_or_place(sentence, drafts, context):
            draft = EventDraft(mention.type, None, sentence)
            drafts.append(draft)
            chosen = chosen or draft
            continue
        same_type = [d for d in drafts if mention.type in d.mentioned_types()]
        chosen = chosen or (same_type[-1] if same_type else current)
    return chosen


def _part_of_known_event(sentence: Sentence, mention: TypeMention, known_types: set[str],
                         language: str) -> bool:
    """The mention follows "as part of the <known event>" / "в рамках <известного мероприятия>"."""
    if mention.type in known_types:
        return False
    for other in sentence.mentions:
        if other.start < mention.start and other.type in known_types and \
                pack(language).part_of.search(sentence.text[max(0, other.start - 40):other.start]):
            return True
    return False


def _session_noun_spans(sentence: Sentence, language: str) -> list[tuple[int, int]]:
    """"пленарное заседание", "online session": parts of the event, not other events."""
    return [match.span() for match in SESSION_NOUN[language].finditer(sentence.text)]


def _has_own_date_or_place(sentence: Sentence, drafts: list[EventDraft], context: Context) -> bool:
    spans = [s for s in sentence.dates(context) if s.has_year or context.default_year]
    place = sentence.place(context.language)
    if not drafts:
        return bool(spans or place)
    # An event is told apart by what its introducing sentence says.
    intros = [d.intro for d in drafts if d.intro is not None]
    known_dates = [(i.dates(context)[0].start, i.dates(context)[0].end) for i in intros if i.dates(context)]
    known_cities = {i.place(context.language).city for i in intros if i.place(context.language)}
    # A day within a known event's dates ("the plenary on 16 May" of a 15-16 May forum) is that event's.
    new_date = bool(spans) and not any(start <= spans[0].start and spans[0].end <= end for start, end in known_dates)
    new_place = place is not None and place.city not in known_cities
    return new_date or new_place


def _indefinite(text: str, mention: TypeMention, language: str) -> bool:
    """Not a reference back: an indefinite or no article before the noun phrase (in a language
    with articles; without them every such mention may be a new event)."""
    language_pack = pack(language)
    if language_pack.definite_before is None:
        return True
    before = text[max(0, mention.start - 60):mention.start]
    phrase = language_pack.definite_cut.split(before)[-1]
    return not language_pack.definite_before.search(phrase)


def _title_event(title: str | None, context: Context) -> EventDraft | None:
    """The headline's gathering: its first event noun outside quotes ("Meeting with ...", "took
    part in the Russian-Japanese Business Forum"), else its verb ("met with", "visited")."""
    if not title:
        return None
    spans = quotes(title)
    session_ends = [m.end() for m in SESSION_NOUN[context.language].finditer(title)]
    mentions = event_type_mentions(title, context.language)
    for mention in mentions:
        if any(q.start <= mention.start < q.end for q in spans):
            continue
        if any(0 <= mention.start - end <= 1 for end in session_ends) and mention is not mentions[-1]:
            continue  # "Plenary meeting of the ... Congress": a part of the congress
        draft = EventDraft(mention.type, names.event_name(title, mention, spans, context.language), None)
        draft.via_noun = True
        return draft
    for pattern, event_type in context.pack.title_verbs:
        if pattern.search(title):
            return EventDraft(event_type, None, None)
    return None


def _lead_verb_event(sentences: list[Sentence], drafts: list[EventDraft], context: Context) -> EventDraft | None:
    """Without a headline's event, the gathering the lead reports by its verb ("the head of the
    institute visited the centre", "встретился с ректором"), unless the lead introduces one by
    its noun; a noun further on is a passing mention ("during the consultations in June").
    A page whose markup declares its date line is the record of its event: its headline says
    what the event is, and its lead may go on to a part of it."""
    if context.date_line is not None or any(d.intro is not None and d.intro.index < 2 for d in drafts):
        return None
    for sentence in sentences[:2]:
        for pattern, event_type in context.pack.title_verbs:
            if pattern.search(sentence.text):
                return EventDraft(event_type, None, sentence)
    if not drafts and context.pack.group_discussed.search(sentences[0].text):
        # "Leading experts, journalists and activists discussed the future of the club": they met.
        return EventDraft("meeting", None, sentences[0])
    return None


_NON_WORD = re.compile(r"\W+")


def _fold(text: str) -> str:
    return _NON_WORD.sub(" ", text).casefold().strip()


# ---------------------------------------------------------------- fields


_DAY = dt.timedelta(days=1)


def _event_dates(draft: EventDraft, context: Context) -> tuple[dt.date | None, dt.date | None]:
    """Dates the text states for the event; else, on a page whose markup declares its date line,
    the date line (a report page is the record of its event), read with what the headline and
    the lead say of the event's course ("has come to an end", "the second day of")."""
    line = context.date_line
    for sentence in _candidates(draft):
        if line is not None and sentence is not draft.intro and \
                not any(m.type == draft.type for m in sentence.mentions):
            continue  # with a date line, only a sentence about the event re-dates it
        for span in sentence.dates(context):
            if sentence is not draft.intro and _date_of_another_event(sentence, span, draft):
                continue
            # With a date line, a date far from it is a passing mention (an earlier ceremony);
            # without one, a date years before the publication is history, not the event.
            if line is None and context.published is not None and span.end < context.published - 366 * _DAY:
                continue
            if line is None or (span.start <= line + _DAY and span.end >= line - 7 * _DAY):
                return span.start, span.end
        if line is None and sentence.dates(context):
            break
    if line is None:
        return None, None
    lead = " ".join([context.title or ""] + [s.text for s in draft.sentences[:4]])
    pack = context.pack
    days = pack.days_of.search(lead)
    if days:
        count = pack.number_words.get(days.group("n").lower()) or int(days.group("n")) if days.group("n").isdigit() \
            else pack.number_words.get(days.group("n").lower())
        if count and count > 1:
            return line - (count - 1) * _DAY, line
    if pack.second_day.search(lead) and pack.phase_ended.search(lead):
        return line - _DAY, line
    if pack.phase_ended.search(lead):
        return None, line
    if pack.phase_began.search(lead):
        return line, None
    return line, line


def _date_of_another_event(sentence: Sentence, span, draft: EventDraft) -> bool:
    """The date stands by another event's noun ("the initiative of this conference was put
    forward at the Dushanbe summit on 17 September 2021"): that event's date."""
    if not sentence.mentions:
        return False
    nearest = min(sentence.mentions, key=lambda m: abs(m.start - span.position))
    return nearest.type != draft.type


def _event_place(draft: EventDraft, context: Context, position: int) -> places.Place:
    """The place line when it names a known city; else a city the headline or the first
    sentences about the event name (a place line naming only a region or a country gives way
    to it); else the place line's locality; else the country the text places the event in."""
    language = context.language
    stated = places.place_from_dateline(context.dateline, language) if context.dateline else None
    if stated is not None and stated.city and geo.resolve_city(stated.city, language) is not None:
        return stated
    text_place = places.city_in(context.title, language) if context.title else None
    if text_place is None:
        for index, sentence in enumerate(_candidates(draft)):
            if index >= (3 if stated is not None else _PLACE_SENTENCES):
                break
            text_place = sentence.place(language)
            if text_place is not None:
                break
    if text_place is None and stated is None:
        # A capital named by its country ("in the Kazakh capital", "в казахстанской столице").
        texts = ([context.title] if context.title else []) + \
            [s.text for index, s in enumerate(_candidates(draft)) if index < _PLACE_SENTENCES]
        text_place = next((p for p in (places.capital_in(t, language) for t in texts) if p), None)
    if text_place is None and stated is None:
        # Then any of the page's first sentences ("Mr Putin arrived in Tokyo on ..."), then a
        # landmark the text names ("in the Kremlin").
        for sentence in draft.sentences[:_PLACE_SENTENCES]:
            if context.pack.travel.search(sentence.text):
                text_place = sentence.place(language)
                if text_place is not None:
                    break
        if text_place is None:
            text_place = next((p for p in (places.landmark_place(s.text, context.pack)
                                           for s in draft.sentences[:_PLACE_SENTENCES]) if p), None)
    if stated is not None:
        # A locality the place line places in a region ("Novo-Ogaryovo, Moscow Region") stands;
        # a lone region or country ("Kabardino-Balkaria", "The Netherlands") gives way.
        lone = stated.city is None or "," not in context.dateline
        if lone and text_place is not None and stated.country in (None, text_place.country):
            return text_place
        return stated
    if text_place is not None:
        return text_place
    first = next(_candidates(draft), None)
    country = places.country_in(first.text, language) if first is not None else None
    if country is None and context.title:
        country = places.country_in(context.title, language)
    if country is None:
        # A state body or a state-named venue where it was held ("в Институте Европы РАН",
        # "at the Belarusian State University").
        for text in ([first.text] if first is not None else []) + ([context.title] if context.title else []):
            country = places.state_body_country(text, context.pack)
            if country:
                break
    return places.Place(None, None, country)


# How many sentences about the event are read for its city when the page states no place.
_PLACE_SENTENCES = 12


def _candidates(draft: EventDraft):
    """Where an event's date and place are looked for: its introducing sentence, then the
    sentences about it (naming an event type or reporting one), in order."""
    if draft.intro is not None:
        yield draft.intro
    for sentence in draft.sentences[:_REPORT_SENTENCES]:
        if sentence is not draft.intro and sentence.about:
            yield sentence


# How many sentences of an event's segment are read for its organizers, counts, sessions and
# speakers. Reports state them up front; what follows a long report is a transcript or a speech.
_REPORT_SENTENCES = 40


def _finish(draft: EventDraft, position: int, context: Context) -> dict:
    language = context.language
    start, end = _event_dates(draft, context)
    place = _event_place(draft, context, position)
    # The details are read from the event's report: its first sentences, not from a long
    # transcript that may follow it.
    report = draft.sentences[:_REPORT_SENTENCES]
    ordered = ([draft.intro] if draft.intro else []) + [s for s in report if s is not draft.intro]

    occasion = next((o for o in (names.occasion_in(s.text, language) for s in ordered) if o), None)
    organizers: list[dict] = []
    for sentence in ordered:
        for organizer in organizations.organizers_in(sentence.text, language):
            if all(_fold(o["name"]) != _fold(organizer["name"]) for o in organizers):
                organizers.append(organizer)
    # "A and B are holding this forum together", "БИСИ провел круглый стол": the subject of a
    # sentence that holds the event.
    holders = [draft.intro] if draft.intro is not None else []
    holders += [s for s in ordered[:_REPORT_SENTENCES] if s is not draft.intro and
                any(m.type == draft.type for m in s.mentions)]
    for sentence in holders:
        for organizer in organizations.subject_organizers(sentence.text, language):
            if all(_fold(o["name"]) != _fold(organizer["name"]) for o in organizers):
                organizers.append(organizer)
    # Counts only from sentences that speak of people attending or taking part.
    attending = [s for s in ordered if context.pack.attendance.search(s.text)]
    participants = next((c for c in (counts.participants_count(s.text, language) for s in attending) if c), None)
    countries = next((c for c in (counts.countries_count(s.text, language) for s in attending) if c), None)

    session_list: list[dict] = []
    online_parts = offline_parts = False
    speakers: list[people.Speaker] = []
    names_found: list[list[str]] = []

    def known_names() -> list[str]:
        """The page's full names, read only when a speech needs them (most sentences do not)."""
        if not names_found:
            names_found.append(people.page_names(
                [context.title or ""] + [s.text for s in draft.sentences[:_REPORT_SENTENCES]], context.pack)
                if context.pack.morphology is None else [])
        return names_found[0]

    if context.title and context.pack.speech.search(context.title):  # "Vladimir Putin addressed the forum"
        for name in people.speech_speakers(context.title, known_names(), context.pack):
            speakers.append(people.Speaker(name, None, None))
    for sentence in draft.sentences:  # transcript lines, however long the transcript
        if ":" in sentence.text[:160]:
            speaker = people.transcript_speaker(sentence.text, context.pack) if context.pack.morphology is None \
                else people.inflected_transcript_speaker(sentence.text, context.pack)
            if speaker is not None and not any(people.same_person(speaker.name, s.name) for s in speakers):
                speakers.append(speaker)
    who: dict[str, people.Speaker] = {}  # people the report names with a role: whom a bare name refers to
    last_person: str | None = None       # whom a "he"/"она" refers to
    previous = None                      # the sentence before: whom a "they"/"они" refers to
    for sentence in report:
        mentions = sessions.session_mentions(sentence.text, language)
        for part in _parts(sentence, draft, language):
            mentions.append(part)
        for mention in mentions:
            online_parts |= mention.online
            offline_parts |= mention.offline or (mention.kind == "plenary" and not mention.online)
            for session_name in mention.names:
                _add_session(session_list, session_name, mention)
        with_roles = people.speakers_in(sentence.text, language)
        for person in with_roles:
            who.setdefault(_fold(person.name), person)
        # Speakers: people the text reports speaking at the event (not those only taking part).
        if (context.pack.speech.search(sentence.text) or context.pack.speaker_list.search(sentence.text)) \
                and not context.pack.outside_event.search(sentence.text) and not _earlier_year(sentence, start, context):
            named = [n for m in mentions for n in m.names]
            found = [p for p in with_roles if p.subject and not people.only_taking_part(sentence.text, p.name, context.pack)
                     and not people.before_passive_speaker(sentence.text, p.name, context.pack)]
            spoken = people.speech_speakers(sentence.text, known_names(), context.pack) \
                if context.pack.morphology is None else people.inflected_speech_speakers(sentence.text, context.pack)
            spoken = [n for n in spoken if not people.only_taking_part(sentence.text, n, context.pack)]
            if not spoken and not found and previous and context.pack.group_pronoun.search(sentence.text) \
                    and context.pack.participation.search(previous.text):
                # "A, B and C took part. In their speeches they ...": the people it listed
                spoken = people.named_people(previous.text, known_names(), context.pack)
            if not spoken and not found and last_person and context.pack.subject_pronoun.search(sentence.text):
                spoken = [last_person]  # "he told about ...": the person last named
            for name in spoken:
                if not any(_fold(name) == _fold(s.name) for s in found):
                    known_role = who.get(_fold(name))
                    found.append(people.Speaker(name, known_role.role if known_role else None,
                                                known_role.organization if known_role else None))
            for speaker in found:
                cleaned = people.clean_name(speaker.name, context.pack)
                if cleaned is None:
                    continue
                speaker.name = cleaned
                speaker.session = named[0] if len(named) == 1 else None
                known = next((s for s in speakers if people.same_person(s.name, speaker.name)), None)
                if known is None:
                    speakers.append(speaker)
                elif known.session is None:
                    known.session = speaker.session
        if with_roles:
            last_person = with_roles[-1].name
        previous = sentence
    for speaker in speakers:  # a role the report gives elsewhere ("BISR experts Ivan Petrov and ...")
        if speaker.role is None and _fold(speaker.name) in who:
            speaker.role = who[_fold(speaker.name)].role
            speaker.organization = speaker.organization or who[_fold(speaker.name)].organization

    event_format = _format(draft, ordered, online_parts, offline_parts, place, language)
    return {
        "name": draft.name,
        "type": draft.type,
        "start_date": start.isoformat() if start else None,
        "end_date": end.isoformat() if end else None,
        "city": place.city,
        "city_as_written": place.city_as_written,
        "country": place.country,
        "format": event_format,
        "occasion": occasion,
        "organizers": organizers,
        "participants_count": participants,
        "countries_count": countries,
        "sessions": session_list,
        "speakers": [s.as_dict() for s in speakers],
    }


def _earlier_year(sentence: Sentence, start: dt.date | None, context: Context) -> bool:
    """The sentence dates what it tells to an earlier year than the event's ("29 марта 1994 г. он
    впервые представил идею"): words said then, not at the event."""
    reference = start or context.date_line or context.published
    return reference is not None and any(d.has_year and d.start.year < reference.year for d in sentence.dates(context))


def _parts(sentence: Sentence, draft: EventDraft, language: str) -> list[sessions.SessionMention]:
    """Named events held as part of this one ("в рамках форума состоялся круглый стол «X»"):
    sessions whose kind is their type."""
    parts = []
    for mention in sentence.mentions:
        if not _part_of_known_event(sentence, mention, {draft.type}, language):
            continue
        name = names.event_name(sentence.text, mention, sentence.quotes, language)
        if name:
            online = bool(ONLINE[language].search(sentence.text[max(0, mention.start - 30):mention.end]))
            parts.append(sessions.SessionMention(mention.type, online, False, [name], mention.start))
    return parts


def _add_session(session_list: list[dict], name: str, mention: sessions.SessionMention) -> None:
    existing = next((s for s in session_list if _fold(s["name"]) == _fold(name)), None)
    if existing is None:
        existing = {"name": name, "kind": mention.kind}
        session_list.append(existing)
    if "format" not in existing and (mention.online or mention.offline):
        existing["format"] = "online" if mention.online else "offline"


def _format(draft: EventDraft, ordered: list[Sentence], online_parts: bool, offline_parts: bool,
            place: places.Place, language: str) -> str | None:
    stated = [sessions.sentence_format(s.text, language) for s in ordered
              if s is draft.intro or s.mentions]
    if "hybrid" in stated:
        return "hybrid"
    if online_parts:
        return "hybrid" if offline_parts or (place.city and "online" not in stated) else "online"
    if "online" in stated or draft.type == "seminar" and any(
            ONLINE[language].search(m.text) for s in ordered for m in s.mentions):
        return "online"
    if "offline" in stated or place.city or place.country:
        return "offline"
    # A gathering the text reports as held is held somewhere, people gathered: offline unless
    # the text says otherwise (online or hybrid above).
    return "offline"
