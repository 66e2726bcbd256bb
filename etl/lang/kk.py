"""Kazakh: a proof pack (language, months and dates, event nouns, place names).

Kazakh is agglutinative: a place name or a noun takes its case ending as a suffix
(Астана -> Астанада "in Astana", Астананың "of Astana"), so names are expanded into their
suffixed forms and event nouns are matched as stems. Speakers, organisers and counts are not
read in Kazakh yet: the pack leaves those fields empty, and the events get only what it covers.
"""

from __future__ import annotations

import re

from etl.lang import LanguagePack, Prefiltered

_LETTER = "а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ"
_W = rf"[{_LETTER}]*"  # the suffixes a stem takes

# (canonical type, stem and its suffixes), longer phrases first; matched on lower-cased text.
_EVENT_TYPES = (
    ("round table", rf"дөңгелек\s+үстел{_W}"),
    ("conference", rf"конференция{_W}|конференцияс{_W}"),
    ("forum", rf"форум{_W}"),
    ("summit", rf"саммит{_W}"),
    ("seminar", rf"семинар{_W}"),
    ("congress", rf"съезд{_W}|құрылтай{_W}|конгресс{_W}"),
    ("talks", rf"келіссөз{_W}"),
    ("visit", rf"сапар{_W}"),
    ("exhibition", rf"көрме{_W}"),
    ("ceremony", rf"рәсім{_W}"),
    ("meeting", rf"кездесу{_W}|кездесуі{_W}|жиналыс{_W}|отырыс{_W}|мәжіліс{_W}"),
)

_MONTHS = {
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}
_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_SUFFIX = rf"(?:{_W})"  # "желтоқсанда" (on ... December), "желтоқсанның"
# "2021 жылғы 10 желтоқсанда", "2021 жылы 10-11 желтоқсан", "10 желтоқсан 2021 жыл"
_YEAR_FIRST = re.compile(
    rf"(?<!\d)(?P<year>\d{{4}})\s+ж(?:ылғы|ылы|\.)\s+(?P<d1>\d{{1,2}})(?:\s*[-–—]\s*(?P<d2>\d{{1,2}}))?\s+"
    rf"(?P<mon1>{_MONTH}){_SUFFIX}(?![{_LETTER}])", re.IGNORECASE)
_DAY_FIRST = re.compile(
    rf"(?<!\d)(?P<d1>\d{{1,2}})(?:\s*[-–—]\s*(?P<d2>\d{{1,2}}))?\s+(?P<mon1>{_MONTH}){_SUFFIX}"
    rf"(?:\s+(?P<year>\d{{4}})\s*(?:жыл{_W}|ж\.)?)?(?![\d{_LETTER}])", re.IGNORECASE)

# Case endings a place name takes (locative, genitive, dative, ablative, accusative,
# instrumental), front and back vowel variants.
_CASE_ENDINGS = ("", "да", "де", "та", "те", "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке",
                 "на", "не", "ны", "ні", "ды", "ді", "ты", "ті", "дан", "ден", "тан", "тен", "нан", "нен",
                 "мен", "бен", "пен", "ғы", "гі", "дағы", "дегі", "тағы", "тегі")


def place_forms(name: str) -> set[str]:
    """A place name with each case suffix ("Астана" -> "Астанада", "Астананың", ...)."""
    return {name + ending for ending in _CASE_ENDINGS}


# Canonical English city name -> its Kazakh names.
_CITY_NAMES = {
    "Astana": ("Астана", "Нұр-Сұлтан"),
    "Almaty": ("Алматы",),
    "Shymkent": ("Шымкент",),
    "Karaganda": ("Қарағанды",),
    "Aktobe": ("Ақтөбе",),
    "Atyrau": ("Атырау",),
    "Oskemen": ("Өскемен",),
    "Pavlodar": ("Павлодар",),
    "Semey": ("Семей",),
    "Taraz": ("Тараз",),
    "Turkistan": ("Түркістан",),
    "Kyzylorda": ("Қызылорда",),
    "Oral": ("Орал",),
    "Kostanay": ("Қостанай",),
    "Aktau": ("Ақтау",),
    "Moscow": ("Мәскеу",),
    "Minsk": ("Минск",),
    "Tashkent": ("Ташкент",),
    "Bishkek": ("Бішкек",),
    "Beijing": ("Бейжің", "Пекин"),
}
_COUNTRY_ALIASES = {
    "KZ": ("Қазақстан", "Қазақстан Республикасы"),
    "RU": ("Ресей", "Ресей Федерациясы"),
    "BY": ("Беларусь",),
    "UZ": ("Өзбекстан",),
    "KG": ("Қырғызстан",),
    "TJ": ("Тәжікстан",),
    "TM": ("Түрікменстан",),
    "CN": ("Қытай",),
    "US": ("АҚШ",),
    "TR": ("Түркия",),
    "DE": ("Германия",),
}

_I = re.IGNORECASE

PACK = LanguagePack(
    code="kk",
    script=re.compile(rf"[{_LETTER}]"),
    distinctive=re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]"),
    event_types=_EVENT_TYPES,
    event_stems=("дөңгелек", "конференц", "форум", "саммит", "семинар", "съезд", "құрылтай", "конгресс",
                 "келіссөз", "сапар", "көрме", "рәсім", "кездесу", "жиналыс", "отырыс", "мәжіліс"),
    reporting=Prefiltered(re.compile(r"(?<![\w])(?:өтті|өткізілді|өтеді|өткізді|ұйымдастырды|ұйымдастырылды|"
                                     r"қатысты|ашылды|басталды|жиналды|кездесті)(?![\w])", _I),
                          ("өт", "ұйымдастыр", "қатыс", "ашыл", "баста", "жиналд", "кездест")),
    non_event=Prefiltered(re.compile(r"(?<![\w])(?:телефон\w*|құттықта\w*|көңіл\s+айт\w*|сұхбат\w*|интервью|"
                                     r"жарлық\w*|заң\w*|мәлімдеме\w*|тағайында\w*)", _I),
                          ("телефон", "құттықта", "көңіл", "сұхбат", "интервью", "жарлық", "заң", "мәлімдеме",
                           "тағайында")),
    title_verbs=((re.compile(r"(?<![\w])кездест\w*", _I), "meeting"),
                 (re.compile(r"(?<![\w])(?:барды|сапар\w*|аралады)", _I), "visit")),
    name_trail_in=re.compile(r"^\s*(?:атты\s+|деген\s+|тақырыбында(?:ғы)?\s+)?(?:халықаралық\s+|республикалық\s+|ғылыми-практикалық\s+)*$", _I),
    name_lead_in=re.compile(r"^\s*[:,—–-]?\s*$"),
    months=_MONTHS,
    date_patterns=(_YEAR_FIRST, _DAY_FIRST),
    relative=re.compile(r"(?<![\w])(бүгін|кеше|ертең)(?![\w])", _I),
    relative_days={"бүгін": 0, "кеше": -1, "ертең": 1},
    number_words={"екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10},
    country_aliases=_COUNTRY_ALIASES,
    city_names=_CITY_NAMES,
    inflects=True,
    place_forms=place_forms,
    geonames_script="cyrillic",
    abbreviations=frozenset({"ж", "жж", "т.б", "т.с.с"}),
)
