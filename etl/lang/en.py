"""English: the words event extraction and the gazetteer read in English pages."""

from __future__ import annotations

import re

from etl.lang import LanguagePack, PeopleWords, Prefiltered

# (canonical type, nouns), longer phrases first; matched on lower-cased text.
_EVENT_TYPES = (
    ('round table', 'round[- ]?tables?'),
    ('conference', '(?:video)?conferences?'),
    ('forum', 'forums?|fora'),
    ('summit', 'summits?'),
    ('seminar', 'seminars?|webinars?'),
    ('workshop', 'workshops?|master[- ]class(?:es)?'),
    ('symposium', 'symposium|symposia'),
    ('congress', 'congress(?:es)?|conventions?'),
    ('readings', 'readings'),
    ('talks', 'talks|negotiations'),
    ('visit', 'visits?|(?:study|press|familiari[sz]ation)\\s+tours?'),
    ('briefing', 'briefings?'),
    ('lecture', 'lectures?'),
    ('presentation', 'presentations?'),
    ('exhibition', 'exhibitions?|expositions?|salons?|expos?|air shows?'),
    ('ceremony', 'ceremon(?:y|ies)|ceremonial|inaugurations?|inaugural ceremony|celebrations?|wreath-laying'),
    ('concert', 'concerts?'),
    ('parade', 'parades?'),
    ('reception', 'receptions?'),
    ('tournament', 'tournaments?|championships?'),
    ('consultations', 'consultations'),
    ('meeting', 'meetings?|gatherings?|video ?link(?:up)?s?'),
)

# ---------------------------------------------------------------- dates
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?:" + "|".join(sorted((m.capitalize() for m in _MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DASH = r"\s*(?:[-–—]|to|until|till|through|and)\s*"
_YEAR = r"(\d{4})"
# "14 March", "14-15 March 2022", "14 March - 2 April 2022", "from 14 to 15 March"
_DAY_FIRST = re.compile(
    rf"\b{_DAY}(?:{_DASH}{_DAY})?\s+(?:of\s+)?({_MONTH})(?:,?\s+{_YEAR})?"
    rf"(?:{_DASH}{_DAY}\s+({_MONTH}))?(?:,?\s+{_YEAR})?(?!\d)"
)
# "December 10, 2021", "December 10-11, 2021", "March 30 - April 2, 2022"
_MONTH_FIRST = re.compile(
    rf"\b({_MONTH})\s+{_DAY}(?:{_DASH}(?:({_MONTH})\s+)?{_DAY})?(?:,?\s+{_YEAR})?(?!\d)"
)

# ---------------------------------------------------------------- counts
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100,
}
_NUMBER = (r"(?P<n>\d{1,3}(?:[ \u00a0,]\d{3})+|\d+|"
           + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")")
# Hedges keep the number ("some 600", "nearly 2,500"); a larger unit after it makes it no head count.
_APPROX = r"(?:(?:more than|over|about|around|some|nearly|almost|approximately|roughly|up to|at least)\s+)?"
_NOT_UNIT = r"(?!\s+(?:million|billion|thousand|hundred|percent|per cent|%))"
_PARTICIPANTS = (
    re.compile(rf"\b(?:attended by|brought together|gathered|joined by|drew|attracted)\s+{_APPROX}{_NUMBER}\b{_NOT_UNIT}",
               re.IGNORECASE),
    re.compile(rf"\b{_APPROX}{_NUMBER}{_NOT_UNIT}\s+(?:\w+\s+)?(?:participants|delegates|attendees|people|guests|"
               rf"experts|specialists|representatives|scholars)\b", re.IGNORECASE),
)
_COUNTRIES = (
    re.compile(rf"\b(?:from|of|representing)\s+{_APPROX}{_NUMBER}\s+(?:\w+\s+)?(?:countries|states|nations)\b",
               re.IGNORECASE),
    re.compile(rf"\b{_APPROX}{_NUMBER}\s+(?:countries|nations)\b", re.IGNORECASE),
)

PARTICIPANT_STEMS = ("particip", "delegat", "attend", "people", "guest", "expert", "specialist", "represent",
                     "scholar", "together", "gathered", "joined", "drew", "attract")
COUNTRY_STEMS = ("countr", "nation", "states")

# ---------------------------------------------------------------- names
# Words that describe a kind of event rather than name one ("International Scientific and
# Practical Conference" is a description; "Eurasian Economic Forum" is a name).
_GENERIC = frozenset({
    "international", "scientific", "practical", "scientific-practical", "annual", "regional", "republican",
    "expert", "online", "joint", "national", "interregional", "global", "high-level", "and", "of", "the",
    "on", "for", "first", "second", "third", "open", "final", "plenary", "special", "working", "extended",
    "bilateral", "trilateral", "meeting", "session", "anniversary", "jubilee", "academic", "research",
    "scientific-and-practical", "roundtable", "round", "table",
})
_ORDINALS = ("first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
             "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-\\w+|thirtieth")

# ---------------------------------------------------------------- people
_ROLE_HEADS = (
    r"Director(?:[- ]General)?|Head|Chairman|Chairwoman|Chairperson|Chair|President|Vice[- ]President|"
    r"Rector|Vice[- ]Rector|Researcher|Research Fellow|Fellow|Analyst|Expert|Professor|Ambassador|"
    r"Minister|Secretary(?:[- ]General)?|Editor[- ]in[- ]Chief|Dean|Advis[eo]r|CEO|Founder|Member|"
    r"Coordinator|Manager|Specialist|Moderator|Spokes(?:person|man|woman)|Governor|Mayor|Envoy|Rapporteur"
)
_NAME_WORD = r"[A-Z][a-zà-ÿ’'-]+"
_PEOPLE = PeopleWords(
    role=(r"(?:(?:First|Deputy|Senior|Leading|Chief|Executive|Acting|Scientific|Research|Programme|Program|"
          r"General|Honorary|Principal|Lead|Managing)[- ])*(?:" + _ROLE_HEADS + r")"),
    role_plural=r"(?:experts|analysts|researchers|scholars|fellows|specialists|representatives|staff members)",
    plural_singulars={"staff members": "staff member"},
    role_plural_stems=("experts", "analysts", "researchers", "scholars", "fellows", "specialists",
                       "representatives", "staff members"),
    # "Anna K. Petrova", "V.G.Shadursky", "N. G. Ochirova": a name in full or after initials
    name=rf"(?:{_NAME_WORD}(?: [A-Z]\.)? {_NAME_WORD}(?: {_NAME_WORD})?|(?:[A-Z]\.\s?){{1,2}}[A-Z][a-zà-ÿ’'-]{{2,}})",
    acronym=r"[A-Z][A-Z&]{1,9}",
    org_run=r"(?:[A-Z][\w’'-]*|of|for|on|and|the|under)(?:\s+(?:[A-Z][\w’'-]*|of|for|on|and|the|under))*?",
    role_stems=("director", "head", "chair", "president", "rector", "research", "fellow", "analyst", "expert",
                "professor", "ambassador", "minister", "secretary", "editor", "dean", "advis", "ceo", "founder",
                "member", "coordinator", "manager", "specialist", "moderator", "spokes", "governor", "mayor",
                "envoy", "rapporteur"),
    not_name=re.compile(
        r"\b(?:Republic|Institute|University|Center|Centre|Ministry|Council|Foundation|Federation|Union|"
        r"State|States|Asia|Europe|Committee|Department|Academy|Office|Club|Forum|Conference|Session|"
        r"January|February|March|April|May|June|July|August|September|October|November|December|"
        r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|This|That|In|On|At)\b"),
    org_after_name=re.compile(
        r"\s+(?:of|from|at)\s+(?:the\s+)?(?P<org>[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|on|and|the|under))*)"),
    honorific_prefix=re.compile(r"^(?:Dr|Prof|Mr|Mrs|Ms|Sir|Dame)\.?\s+"),
    role_after_end=r"(?=[,;)]|\s+(?:took|spoke|made|presented|delivered|noted|said|stressed|moderated)\b|$|\.)",
    role_links=r"\s+(?:of|at)\s+(?:the\s+)?",
    list_and=r"(?:,\s+|,?\s+and\s+)",
)

# ---------------------------------------------------------------- places
# Country names beyond pycountry's (short forms, historical names, abbreviations).
_COUNTRY_ALIASES = {
    'RU': ('Russia', 'Russian Federation'),
    'BY': ('Belarus', 'Republic of Belarus', 'Byelorussia'),
    'KZ': ('Kazakhstan', 'Republic of Kazakhstan'),
    'KG': ('Kyrgyzstan', 'Kyrgyz Republic', 'Kirghizia'),
    'MD': ('Moldova',),
    'UZ': ('Uzbekistan',),
    'TJ': ('Tajikistan',),
    'TM': ('Turkmenistan',),
    'AM': ('Armenia',),
    'AZ': ('Azerbaijan',),
    'GE': ('Georgia',),
    'UA': ('Ukraine',),
    'US': ('United States', 'United States of America', 'USA', 'U.S.', 'US'),
    'GB': ('United Kingdom', 'UK', 'Great Britain', 'Britain'),
    'CN': ('China', "People's Republic of China", 'PRC'),
    'KR': ('South Korea', 'Republic of Korea'),
    'KP': ('North Korea', 'DPRK'),
    'IR': ('Iran',),
    'SY': ('Syria',),
    'VN': ('Vietnam', 'Viet Nam'),
    'LA': ('Laos',),
    'VE': ('Venezuela',),
    'BO': ('Bolivia',),
    'TZ': ('Tanzania',),
    'TR': ('Turkey', 'Türkiye', 'Turkiye'),
    'CZ': ('Czech Republic', 'Czechia'),
    'AE': ('United Arab Emirates', 'UAE'),
    'TW': ('Taiwan',),
    'PS': ('Palestine',),
    'VA': ('Vatican',),
    'CD': ('Democratic Republic of the Congo', 'DR Congo'),
    'CG': ('Republic of the Congo',),
    'CI': ('Ivory Coast', "Côte d'Ivoire"),
    'NL': ('Netherlands', 'the Netherlands', 'Holland'),
    'DE': ('Germany', 'FRG'),
    'MK': ('North Macedonia',),
    'BN': ('Brunei',),
    'FM': ('Micronesia',),
}
# Canonical English city name -> its other English names (historical included).
_CITY_NAMES = {
    'Astana': ('Nur-Sultan', 'Nursultan', 'Akmola', 'Tselinograd'),
    'Almaty': ('Alma-Ata',),
    'Shymkent': ('Chimkent',),
    'Minsk': (),
    'Brest': (),
    'Grodno': ('Hrodna',),
    'Gomel': ('Homiel',),
    'Vitebsk': ('Viciebsk',),
    'Mogilev': ('Mahilyow',),
    'Moscow': (),
    'Saint Petersburg': ('St Petersburg', 'St. Petersburg', 'Leningrad', 'Petrograd'),
    'Kazan': (),
    'Sochi': (),
    'Vladivostok': (),
    'Yekaterinburg': ('Ekaterinburg', 'Sverdlovsk'),
    'Novosibirsk': (),
    'Nizhny Novgorod': ('Gorky',),
    'Volgograd': ('Stalingrad',),
    'Kaliningrad': (),
    'Samara': ('Kuibyshev',),
    'Ufa': (),
    'Smolensk': (),
    'Sevastopol': (),
    'Kyiv': ('Kiev',),
    'Bishkek': ('Frunze',),
    'Tashkent': (),
    'Samarkand': (),
    'Urgench': ('Urganch',),
    'Karshi': ('Qarshi',),
    'Termez': ('Termiz', 'Tirmiz'),
    'Andijan': ('Andijon',),
    'Navoi': ('Navoiy',),
    'Jizzakh': ('Jizzax', 'Jizzak'),
    'Gulistan': ('Guliston',),
    'Dushanbe': (),
    'Ashgabat': ('Ashkhabad',),
    'Yerevan': (),
    'Baku': (),
    'Tbilisi': ('Tiflis',),
    'Chisinau': ('Kishinev',),
    'Vilnius': (),
    'Riga': (),
    'Tallinn': (),
    'Warsaw': (),
    'Berlin': (),
    'Munich': (),
    'Paris': (),
    'London': (),
    'Brussels': (),
    'Vienna': (),
    'Geneva': (),
    'Rome': (),
    'Madrid': (),
    'Prague': (),
    'Budapest': (),
    'Belgrade': (),
    'Helsinki': (),
    'Stockholm': (),
    'Washington': ('Washington, D.C.',),
    'New York': (),
    'Beijing': ('Peking',),
    'Shanghai': (),
    'Tokyo': (),
    'Seoul': (),
    'New Delhi': (),
    'Delhi': (),
    'Ankara': (),
    'Istanbul': (),
    'Tehran': (),
    'Cairo': (),
    'Abu Dhabi': (),
    'Dubai': (),
    'Doha': (),
    'Riyadh': (),
    'Ulaanbaatar': ('Ulan Bator',),
    'Hanoi': (),
    'Islamabad': (),
    'Kabul': (),
    'Havana': (),
    'Brasilia': ('Brasília',),
    'Pretoria': (),
    'Johannesburg': (),
}

_I = re.IGNORECASE
# Adjectives of the states this domain names, with their ISO codes: "at the Belarusian State
# University" places an event in BY, "the Kazakh capital" is Astana.
_STATE_ADJECTIVES = (
    ("Russian", "RU"), ("Belarusian", "BY"), ("Kazakh(?:stan)?", "KZ"), ("Uzbek(?:istan)?", "UZ"),
    ("Kyrgyz", "KG"), ("Tajik", "TJ"), ("Azerbaijan(?:i)?", "AZ"), ("Armenian", "AM"), ("Chinese", "CN"))

PACK = LanguagePack(
    code="en",
    script=re.compile(r"[A-Za-z]"),
    # Pages that report no gathering: what nobody attends, or a text rather than a meeting.
    non_event=Prefiltered(re.compile(
        r"\b(?:telephone|phone)\s+(?:conversation|call|conference|talks?)s?\b|\bby (?:tele)?phone\b|\bspoke on the phone\b"
        r"|\bmessages?\s+of\s+(?:greetings?|congratulations?|condolences?|sympathy)\b"
        r"|\bsent\s+(?:a\s+|his\s+)?(?:message|greetings?|telegram|letter|congratulations|condolences)\b"
        r"|\b(?:greetings?|congratulations?|condolences?)\s+(?:to|on)\b|\bexpressed\s+(?:his\s+)?condolences"
        r"|\binterviews?\b|\banswer(?:s|ed)?\s+(?:to\s+)?(?:journalists|media|reporters)|\b(?:press|news)\s+conference\b"
        r"|\bstatements?\b|\baddress(?:ed)?\s+(?:to\s+)?the\s+nation\b|\btelevised address\b"
        r"|\bexecutive\s+orders?\b|\bdecrees?\b|\bsigned\s+(?:a|the|into)\s+(?:federal\s+)?(?:law|decree|order)\b"
        r"|\b(?:federal\s+)?law\s+on\b|\bappoint(?:ed|s|ment)\b|\bsubmitted\b.{0,60}\b(?:Duma|parliament)\b"
        r"|\bbills?\s+(?:on|to)\b", _I),
        ("phone", "message", "sent", "greeting", "congratul", "condolenc", "interview", "answer", "conference",
         "statement", "nation", "address", "order", "decree", "signed", "law", "appoint", "submitted", "bill")),
    # "To the participants of the conference ...", "a message of greetings to the participants".
    message_to_participants=Prefiltered(re.compile(
        r"(?-i:To)\s+the\s+participants\s+of\b|\b(?:message|greetings?)\s+(?:[\w-]+\s+){0,3}to\s+the\s+"
        r"participants\b", _I), ("participants",)),
    said_to_press=Prefiltered(re.compile(
        r"\b(?:told|said\s+to|speaking\s+to)\s+(?:the\s+)?(?:journalists|reporters|press|media)\b"
        r"|\b(?:in|during)\s+an\s+interview\b|\bat\s+a\s+(?:press|news)\s+conference\b", _I),
        ("told", "said", "speaking", "interview", "conference")),
    group_discussed=re.compile(r"\b(?:experts|specialists|participants|representatives|activists|scholars|scientists|"
                               r"analysts)\b[^.]{0,160}?\s+discussed\b", _I),
    title_verbs=(
        (re.compile(r"\b(?:met|meets|meeting)\s+with\b", _I), "meeting"),
        (re.compile(r"\b(?:held|holds|hold)\s+(?:a\s+)?(?:talks|negotiations)\b", _I), "talks"),
        (re.compile(r"\b(?:presented|presents|awarded|awards)\b.{0,40}\b(?:awards?|decorations?|medals?|orders?|"
                    r"prizes?|titles?|honours?|honors?)\b|\blaid\s+(?:a\s+)?wreaths?\b|\bwreath-laying\b", _I), "ceremony"),
        (re.compile(r"\b(?:visited|visits|visiting|visit to|arrived in|arrives in|arrived at|working trip|trip to|toured|tours)\b",
                    _I), "visit"),
    ),
    # "A session of the State Council presidium", "sitting of the Board": a meeting of a standing body.
    body_sessions=(Prefiltered(re.compile(r"\b(?:session|sitting)s?\s+of\s+(?:the\s+|its\s+)?(?:[\w’'-]+\s+){0,6}?"
                                          r"(?:Council|Board|Commission|Committee|Presidium|presidium|Collegium|"
                                          r"Government|Club)\b"), ("session", "sitting")),),
    summit_of=Prefiltered(re.compile(r"\bheads?\s+of\s+(?:state|the\s+state)s?\b|\bsummit\b", _I), ("head", "summit")),
    phase_ended=Prefiltered(re.compile(r"\b(?:came|has come|have come|comes)\s+to\s+an?\s+(?:end|close)\b"
                                       r"|\bcontinued\s+(?:the\s+)?(?:talks|negotiations|meeting|visit)\b"
                                       r"|\b(?:has|have)\s+(?:ended|concluded|closed)\b", _I),
                            ("end", "close", "continued", "concluded")),
    phase_began=Prefiltered(re.compile(r"\b(?:has|have)\s+(?:begun|opened|started|got under way)\b"
                                       r"|\bbegan\s+(?:its|their)\s+work\b"
                                       r"|\barrived\s+(?:at|for)\s+the\s+(?:[\w-]+\s+){0,3}(?:summit|forum|congress|conference)\b"
                                       r"|\bclosing\s+the\s+first\s+day\b|\bfirst\s+day\s+of\b", _I),
                            ("begun", "opened", "started", "under way", "began", "arrived", "first day")),
    second_day=Prefiltered(re.compile(r"\bsecond\s+day\s+of\b", _I), ("second day",)),
    days_of=re.compile(r"\b(?:the|these|those|its)\s+(?P<n>two|three|four|five|six|seven|\d)\s+days\s+of\b", _I),
    speech=Prefiltered(re.compile(
        r"\b(?P<verb>said|says|noted|stressed|emphasi[sz]ed|pointed out|told|spoke|speaking|addressed|addressing|"
        r"gave a speech|made a speech|made a report|made (?:\w+\s+)?(?:speeches|speech|remarks|reports?)|(?:made|gave|delivered) (?:a|his|her) (?:presentation|talk|lecture|report)|delivered|remarked|reported|briefed|informed|welcomed|opened|"
        r"moderated|chaired|thanked|(?:was|were)\s+given\s+(?:the\s+)?floor|read out|underlined|added|explained|highlighted|urged|called on|proposed|announced|"
        r"expressed|presented|recalled|stated|commented|declared|outlined|shared|assured|praised)\b", _I),
        ("said", "says", "noted", "stress", "emphasi", "pointed", "told", "spoke", "speak", "address", "speech",
         "report", "deliver", "remark", "brief", "inform", "welcom", "opened", "moderat", "chair", "thank",
         "underlin", "added", "explain", "highlight", "urged", "called", "propos", "announc", "express",
         "present", "recall", "stated", "floor", "read out", "comment", "declar", "outlin", "shared", "assur", "prais")),
    speaker_list=Prefiltered(re.compile(
        r"\b(?:(?:opened|moderated|chaired|addressed|welcomed|greeted|read out|delivered|presented)\s+by|speakers?\s+(?:[\w-]+\s+){0,4}?"
        r"(?:were|was|included|included:)|(?:keynote|welcome|opening)\s+(?:speech|remarks|address)"
        r"(?:es)?\s+(?:were|was)\s+(?:made|delivered|given)\s+by)[:\s]", re.IGNORECASE), ("by", "speaker")),
    said_after=re.compile(r"^\s*(?:said|says|noted|stressed|added|told|remarked|explained)\s+$", _I),
    group_pronoun=re.compile(r"\b(?:[Tt]hey|[Tt]heir\s+(?:speeches|reports|presentations))\b"),
    participation=Prefiltered(re.compile(r"\b(?:took|take|taking|takes)\s+part\b|\bparticipated\b|\battended\b"
                                         r"|\bparticipants\s+included\b|\bwere\s+(?:also\s+)?present\b", _I),
                              ("part", "particip", "attended", "present")),
    subject_pronoun=re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]he head of state)\s+(?:\w+\s+)?(?:said|noted|stressed|spoke|told|presented|made|gave|delivered|emphasi[sz]ed|pointed)\b"),
    outside_event=Prefiltered(re.compile(r"\b(?:to|told|with)\s+(?:the\s+)?(?:journalists|reporters|the press|the media)\b"
                                         r"|\b(?:press|news)\s+conference\b|\bpress\s+statements?\b|\binterview\b", _I),
                              ("journalist", "reporter", "press", "media", "conference", "interview")),
    honorific=re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Madam)\.?\s+(?P<surname>[A-Z][a-z’'-]+)"),
    person_name=re.compile(r"(?<![\w’'-])(?:(?:[A-Z][a-z’'-]+|[A-Z]\.)(?:\s(?:[A-Z]\.\s?)?[A-Z][a-z’'-]+){1,2}"
                           r"|(?:[A-Z]\.\s?){1,2}[A-Z][a-z’'-]{2,})(?![\w’'-])"),
    not_name_words=frozenset(
        "The This That These Those In On At For With From By Of And To As After Before During When While Mr Mrs Ms Dr "
        "President Prime Minister Deputy First Chairman Chairwoman Head Director General Governor Mayor Ambassador "
        "Secretary State Federal Council Board Commission Committee Government Ministry Union Federation Republic "
        "Russia Russian Kremlin Moscow Assembly Duma Parliament Court Security Foreign Affairs Defence Defense "
        "Institute University Centre Center Academy Foundation Fund Bank Company Corporation Group Party Front "
        "Forum Conference Congress Summit Meeting Session Day Year Week Order Medal Prize Award Hero Palace Hall "
        "Square Street Region Territory Province District City North South East West Central National International "
        "January February March April May June July August September October November December "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Soviet Olympic Games World Cup Europe European Asia "
        "Asian America American Africa African Arctic Pacific Atlantic Orthodox Church Patriarch Saint St God "
        "Honoured Honored People Peoples Popular Relations Affairs Studies Research Strategic Development Economic "
        "Moderator Chair Speaker Navy Army Force Forces Guard Service Agency Office Department Chamber Club Society Association Organisation "
        "Organization Programme Program Project Museum Theatre Library School College Station Plant Airport "
        "Justice Judge Major Colonel Lieutenant Captain Sergeant Admiral Marshal Commander Officer Private Holy "
        "Wise Men Presidential Experts Expert United States Kingdom Grand Directorate Administration Mount Lake "
        "River Sea Bay Island Peninsula Cathedral Monastery Monument Memorial Prospekt Avenue Park Gardens "
        "Company Co Inc Ltd Communications Energy Gazprom Rosneft Railways Airlines Television Radio Channel "
        "Information Technology Technologies Professor Associate Assistant Candidate Academician Dean Rector Sciences Science Section Political Integration Mission Delegation Communities Community Independent Unions Young Scientists Gold Star Nation Nations News Agency Times Post Herald Telegraph Journal Review Gazette Magazine".split()),
    transcript_skip=frozenset({"remark", "question", "answer", "reply", "response", "note", "applause", "voice",
                               "voices", "audience", "participant", "participants", "journalist", "moderator"}),
    travel=Prefiltered(re.compile(r"\b(?:arrived|arrives|arriving|came|travelled|traveled|flew)\s+(?:in|to|at)\b"
                                  r"|\b(?:visit|trip|journey)\s+to\b|\bvisited\b", _I),
                       ("arriv", "came", "travel", "flew", "visit", "trip", "journey")),
    state_bodies=tuple((re.compile(rf"\b(?:at|in)\s+(?:the\s+)?(?:[A-Z][\w-]+\s+){{0,2}}{adjective}\b"), code)
                       for adjective, code in _STATE_ADJECTIVES),
    venue_of_state=re.compile(r"\b(?:at|in)\s+the\s+[^,.;]{3,70}?\s+of\s+(?:the\s+)?(?:Republic\s+of\s+(?:the\s+)?)?$"),
    # "in the Kazakh capital", "in the capital of Kazakhstan": the country's capital.
    capitals=tuple((re.compile(rf"\b(?:in|at|to)\s+(?:the\s+)?(?P<written>{adjective}\s+capital)\b"), code)
                   for adjective, code in _STATE_ADJECTIVES),
    capital_of_country=Prefiltered(re.compile(r"\b(?:in|at|to)\s+the\s+(?P<written>capital\s+of\s+(?:the\s+)?)$", _I),
                                   ("capital",)),
    landmarks=((re.compile(r"\b(?:in|at|to)\s+the\s+(?:Grand\s+)?Kremlin\b|\bKremlin\s+Palace\b|\bRed\s+Square\b"), "Moscow"),),
    event_types=_EVENT_TYPES,
    country_aliases=_COUNTRY_ALIASES,
    city_names=_CITY_NAMES,
    # Official names that collide with ordinary words or people's names (Georgia and Turkey are
    # kept: in this domain they name the countries; matching is case-sensitive).
    skip_country_names=frozenset(['Chad', 'Guinea', 'Jersey', 'Jordan', 'Korea', 'Mali', 'Niger']),
    # Words that are also names of towns: never read as a city from free text.
    not_cities=frozenset(['Kazakh', 'Uzbek', 'Tajik', 'Kyrgyz', 'Turkmen', 'Africa', 'America', 'Asia', 'Central', 'Concord', 'Energy', 'Eurasia', 'Europe', 'Government', 'Hope', 'Independence', 'Kremlin', 'Liberty', 'Mobile', 'Parliament', 'President', 'Progress', 'Reading', 'Region', 'Republic', 'Union', 'Unity', 'University', 'Victoria']),
    geonames_script="latin",
    abbreviations=frozenset({
        "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "jr", "sr", "gen", "col", "lt", "gov",
        "sen", "rep", "u.s", "u.k", "e.g", "i.e", "etc", "inc", "ltd", "co", "jan", "feb", "mar",
        "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}),
    org_heads=re.compile(r"\b(?:Institute|Foundation|Fund|Library|University|Cent(?:er|re)|Ministry|Council|"
                         r"Club|Agency|Academy|Committee|Association|Union|Embassy|Office|Administration|"
                         r"Chamber|Society|School|Commission|Secretariat|Department|Parliament|Assembly|"
                         r"Organi[sz]ation|Corporation|Company|Bank|Service|Government|Network|Initiative|"
                         r"Group|Federation|Board|Mission|Programme|Program|Partnership|Alliance|Forum|Faculty|"
                         r"Front|Senate|Majlis)\b"),
    organizer_intro=Prefiltered(re.compile(
        r"\b(?:(?:was|were|is|are|will be|has been|had been)\s+)?(?:co-)?(?:organi[sz]ed|hosted|convened|"
        r"held|arranged|prepared|co-hosted)\s+(?:jointly\s+|annually\s+)?by\s+(?P<list>[^.;]+)"
        r"|\b(?:first\s+|a\s+|the\s+)?joint\s+(?:event|project|initiative|conference|seminar|forum)\s+of\s+(?P<list3>[^.;]+)"
        r"|\b(?:organi[sz]ers?|co-organi[sz]ers?|hosts?)\s+(?:of\s+the\s+\w+(?:\s+\w+)?\s+)?(?:was|were|is|are|included)\s+"
        r"(?P<list2>[^.;]+)",
        re.IGNORECASE), ("organi", "hosted", "convened", "held", "arranged", "host", "prepared", "joint")),
    organizer_list_stop=re.compile(r",\s+(?:which|who|where|with|while|and\s+was)\b"
                                   r"|\s+(?:with|under)\s+the\s+(?:assistance|support|participation|auspices)\s+of\b"
                                   r"|\s+(?:will\s+be|was|were|is|are)\s+(?:held|organi[sz]ed)\b"
                                   # "... Front and focuses on topical issues": a new clause, not a list item
                                   r"|,?\s+and\s+(?!the\b|of\b|for\b)[a-z]\w*(?:s|ed)\b"),
    and_split=re.compile(r",?\s+and\s+(?:the\s+)?"),
    organizer_attributive=re.compile(r"(?:co-)?(?:organi[sz]ed|hosted|convened|held|arranged|prepared|co-hosted)\s"),
    org_of=re.compile(r"\s+(?:of|for|on|under|at|in)\s+"),
    org_joint=re.compile(r"\s+(?:together\s+with|jointly\s+with|in\s+(?:cooperation|partnership|collaboration)\s+with)\s+(?:the\s+)?"),
    body_meeting=re.compile(r"\s*(?:a|an|the|its|their)\s+(?:\w+\s+)?(?:meeting|session|sitting)\s+of\s+(?:the|its|their)\s+"
                            r"(?:[\w-]+\s+){0,3}?(?:Board|Council|Commission|Committee|Presidium|Collegium|board|council)\b"),
    and_start=re.compile(r"^and\s+"),
    subject_organizer=re.compile(
        r"(?P<org>[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|on|and|the|under))*)\s+"
        r"(?:held|hosted|organi[sz]ed|convened|will hold|will host|is holding|is hosting|are holding|are hosting|"
        r"holds|hosts|have held|has held)\s+(?:a|an|the|its|their|this)\b"),
    subject_skip=frozenset({"The", "On", "In", "At", "Last", "This"}),
    people=_PEOPLE,
    # Between the noun and its quoted name: a lead-in word, or the noun's own "of Young Scholars".
    # An explicit marker of a title may follow the noun's own complements ("a conference for
    # students and young scientists, titled ...").
    name_lead_in=re.compile(r"^\s*(?:(?:[^.;«»\"“”]{0,80}?[\s,])?(?:titled|entitled|called|named|on the (?:topic|theme) of|"
                            r"on the (?:topic|theme)|under the (?:title|motto))\s*|(?:of|for)\s+(?:(?:[A-Z][\w’'-]*|the|and)\s+){1,5})?"
                            r"[:,—–-]?\s*$"),
    name_trail_in=re.compile(r"^\s*(?:international\s+|annual\s+|expert\s+)?$", re.IGNORECASE),
    name_run=re.compile(r"(?:[A-Z0-9][\w’'.-]*|of|for|on|and|the)(?:\s+(?:[A-Z0-9][\w’'.-]*|of|for|on|and|the))*\s*$"),
    name_tail=re.compile(r"(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:and|of|the|for|[A-Z][\w’'-]*))*)?"),
    name_glue=frozenset({"the", "of", "and", "for", "on"}),
    ordinal=re.compile(rf"^(?:\d+(?:st|nd|rd|th)|[IVXLC]+|(?:{_ORDINALS})|\d{{4}})$", re.IGNORECASE),
    generic_name_words=_GENERIC,
    name_skip_start=frozenset({"Following", "During", "After", "Before", "At", "In", "On", "Ahead", "Within", "As",
                               "Since", "Under", "With", "By", "For", "From", "Today", "Yesterday"}),
    # "Presentation of state decorations": a ceremony; "a ceremonial gathering": a ceremony.
    type_refinements=(("presentation", re.compile(r"\s+of\s+(?:[\w-]+\s+){0,3}(?:awards?|decorations?|medals?|prizes?|"
                                                  r"orders?|titles?|honours?|honors?|insignia)\b", re.IGNORECASE),
                       "ceremony"),),
    occasion=(
        Prefiltered(re.compile(r"\b(?:dedicated|devoted)\s+to\s+(?P<x>[^,;.]+)", re.IGNORECASE),
                    ("dedicated", "devoted")),
        Prefiltered(re.compile(r"\b(?:on the occasion of|to mark|marking|in honou?r of|to commemorate|to celebrate|"
                               r"celebrating|timed to coincide with|timed for|timed to)\s+(?P<x>[^,;.]+)", re.IGNORECASE),
                    ("occasion", "mark", "honor", "honour", "commemorate", "celebrat", "timed")),
    ),
    # "Dedicated to" also introduces topics ("dedicated to regional security"): an occasion is a
    # date-like thing: an anniversary, a Day, a jubilee, a memory.
    occasion_words=re.compile(r"anniversary|jubilee|centenary|centennial|\bDay\b|\bYear of\b|memory|New Year",
                              re.IGNORECASE),
    occasion_end=re.compile(r"\s+(?:as well as|and also|and to)\b.*$", re.IGNORECASE),
    # "in Minsk", "hosted by Minsk": a capitalized run after a locative preposition.
    locative=re.compile(r"\b(?:in|at|to|visited|visits|visiting)\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"),
    # A city the text names is the event's when the words before or after it put something
    # there: "in Minsk", "visited Amsterdam", "the town of Karea", "Astana hosts"; not "experts
    # from Moscow", "between Minsk and Nur-Sultan".
    place_before=re.compile(r"(?:\b(?i:in|at|to|near|outside|visited|visiting|visits|toured)\s+(?:the\s+)?"
                            r"(?:(?:[A-Z][\w-]+\s+)?(?:city|town|village|settlement|capital|hero[- ]city)\s+of\s+)?"
                            r"|\b(?:city|town|village)\s+of\s+|\bcapital,?\s+"
                            # a city's own anniversary is celebrated there
                            r"|\b(?:anniversary|jubilee|millennium|centenary)\s+of\s+(?:the\s+city\s+of\s+)?)$"),
    place_after=re.compile(r"\s+(?:hosts|hosted|will host|is hosting|is to host|to host|welcomed|welcomes)\b"
                           r"|(?:’s|'s)\s+(?:\w+\s+)?(?:anniversary|jubilee|millennium|centenary)\b"),
    city_marker=re.compile(r"\b(?:city|town|village)\s+of\s+(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)"),
    region_words=re.compile(r"\b(?:Region|Oblast|District|Territory|Republic|Province|Krai)\b", re.IGNORECASE),
    country_before=re.compile(r"\b(?:in|to)\s+(?:the\s+)?(?:Republic\s+of\s+(?:the\s+)?)?$"),
    longer_name=re.compile(r"\s+(?!Region\b|Oblast\b)[A-Z][a-z]|’s|'s"),
    venue_prefix=re.compile(r"^the\s+", re.IGNORECASE),
    reporting=Prefiltered(re.compile(
        r"\b(?:held|hosted|host|took place|take place|takes place|organi[sz]ed|convened|opened|kicked off|"
        r"took part|take part|participated|attended|will be held|is to be held|will hold|holds|"
        r"gathered|brought together|met|started|began|ended|concluded|paid|arrived|"
        r"taking part|takes part|is taking place|is being held|are being held|(?:is|are) underway|kicks off)\b",
        re.IGNORECASE), ("held", "host", "place", "organi", "convened", "opened", "kicked", "took", "take",
                         "particip", "attended", "hold", "gathered", "together", "met", "started", "began",
                         "ended", "concluded", "paid", "arrived", "taking", "being", "underway", "kicks")),
    # "as part of the forum": what follows is a part of that event.
    part_of=re.compile(r"\b(?:as part of|within the framework of|in the framework of|on the sidelines of|"
                       r"within|during)\s+(?:the|this)\s+$", re.IGNORECASE),
    definite_before=re.compile(r"\b(?:the|this|that|these|its|their)\b", re.IGNORECASE),
    definite_cut=re.compile(r"[,;:]|\b(?:in|at|on|to|by|of)\s"),
    months=_MONTHS,
    date_patterns=(_DAY_FIRST,),
    month_first=_MONTH_FIRST,
    relative=re.compile(r"\b(today|yesterday|tomorrow)\b", re.IGNORECASE),
    relative_days={"today": 0, "yesterday": -1, "tomorrow": 1},
    phrase_boundary=re.compile(r"[,;()»\"”]|\b(?:and|with|by|of)\b"),
    session_name_lead=re.compile(r"^\s*(?:(?:titled|entitled|called|named|on the topic of|on)\s*)?[:,]?\s*$", _I),
    quote_link=re.compile(r"^\s*(?:,|and|,\s*and|as well as)\s*$", _I),
    format_prefixes=("video",),
    event_stems=('round', 'conferen', 'forum', 'fora', 'summit', 'seminar', 'webinar', 'workshop', 'master', 'symposi', 'congress', 'convention', 'reading', 'talks', 'negotiation', 'visit', 'tour', 'briefing', 'lecture', 'presentation', 'exhibition', 'exposition', 'salon', 'expo', 'air show', 'ceremon', 'inaugura', 'celebration', 'wreath', 'video', 'consultation', 'meeting', 'gathering', 'concert', 'parade', 'reception', 'tournament', 'championship'),
    session_nouns='(?:plenary\\s+)?sessions?|panels?|sections?|panel\\s+discussions?|plenar(?:y|ies)',
    session_stems=('session', 'panel', 'section', 'plenar'),
    online=Prefiltered(re.compile('\\b(?:online|on-line|virtual|remote(?:ly)?|via video ?conference|by video ?conference|videoconference|webinars?|via video link|in (?:an? )?(?:online|virtual|videoconference) (?:format|mode))\\b', re.IGNORECASE), ('online', 'on-line', 'virtual', 'remote', 'video', 'webinar')),
    hybrid=Prefiltered(re.compile('\\b(?:hybrid|mixed format|both online and offline|offline and online|in person and online|online and in person|online and offline)\\b', re.IGNORECASE), ('hybrid', 'mixed', 'online')),
    offline=Prefiltered(re.compile('\\b(?:in[- ]person|offline|face[- ]to[- ]face)\\b', re.IGNORECASE), ('person', 'offline', 'face')),
    plenary=re.compile(r"plenar", re.IGNORECASE),
    section=re.compile(r"\bsection", re.IGNORECASE),
    ceremonial_adjective="ceremonial",
    number_words=_NUMBER_WORDS,
    participants=_PARTICIPANTS,
    participant_stems=PARTICIPANT_STEMS,
    countries=_COUNTRIES,
    attendance=Prefiltered(re.compile(r"\b(?:take|takes|taking|took|taken)\s+part\b|\bparticipa\w*|\battend\w*|\bgather\w*|"
                             r"\b(?:came|come|arrived)\b|\bbrought together\b|\bjoined\b|\bdrew\b|\battracted\b|\bdelegat\w*|"
                             r"\bguests\b|\bpresent\b", re.IGNORECASE),
                  ("part", "particip", "attend", "gather", "came", "come", "arrived", "together", "joined", "drew",
                   "attract", "delegat", "guests", "present")),
    not_counted=re.compile(r"\b(?:invit\w*|award\w*|decorat\w*|signed|ratified|regions?|enterprises?|companies|entrants|applications?)\b", re.IGNORECASE),
    country_stems=COUNTRY_STEMS,
    # "MINSK, 10 December (BelTA) -": where a story was filed.
    agency_dateline=re.compile(
        r"^(?P<city>[A-Z][A-Z.’'-]+(?:[ -][A-Z][A-Z.’'-]+){0,2})\s*,?\s*"
        r"(?:(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2})(?:,?\s+\d{4})?\s*)?"
        r"(?:[./]\s*)?(?:[(/][^()/]{1,25}[)/]\s*)?[.:–—-]+\s*"),
)
