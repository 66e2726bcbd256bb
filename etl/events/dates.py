"""Event dates in English and Russian: single days and ranges, year from context when missing.

Own patterns rather than dateparser: the shapes that matter are few ("10 December 2021",
"December 10-11, 2021", "14-15 March 2022", "с 14 по 15 марта", "с 30 ноября по 2 декабря
2021 года", "10.12.2021"), and a regex pass is far cheaper than dateparser's search.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_RU_MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}

_EN_MONTH = r"(?:" + "|".join(sorted((m.capitalize() for m in _EN_MONTHS), key=len, reverse=True)) + r")\.?"
_RU_MONTH = r"(?:" + "|".join(_RU_MONTHS) + r")"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_DASH = r"\s*(?:[-–—]|to|until|till|through|and)\s*"
_RU_DASH = r"\s*(?:[-–—]|по|до)\s*"
_YEAR = r"(\d{4})"

# "14 March", "14-15 March 2022", "14 March - 2 April 2022", "from 14 to 15 March"
_EN_DAY_FIRST = re.compile(
    rf"\b{_DAY}(?:{_DASH}{_DAY})?\s+(?:of\s+)?({_EN_MONTH})(?:,?\s+{_YEAR})?"
    rf"(?:{_DASH}{_DAY}\s+({_EN_MONTH}))?(?:,?\s+{_YEAR})?(?!\d)"
)
# "December 10, 2021", "December 10-11, 2021", "March 30 - April 2, 2022"
_EN_MONTH_FIRST = re.compile(
    rf"\b({_EN_MONTH})\s+{_DAY}(?:{_DASH}(?:({_EN_MONTH})\s+)?{_DAY})?(?:,?\s+{_YEAR})?(?!\d)"
)
# "10 декабря 2021 года", "с 14 по 15 марта", "с 30 ноября по 2 декабря 2021 г."
_RU_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:{_RU_DASH}(\d{{1,2}}))?\s+({_RU_MONTH})(?:\s+{_YEAR}(?:\s*(?:года|г\.))?)?"
    rf"(?:{_RU_DASH}(\d{{1,2}})\s+({_RU_MONTH}))?(?:\s+{_YEAR})?(?!\d)",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]|\.\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_RELATIVE = {
    "en": re.compile(r"\b(today|yesterday|tomorrow)\b", re.IGNORECASE),
    "ru": re.compile(r"(?<!\w)(сегодня|вчера|завтра)(?!\w)", re.IGNORECASE),
}
_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1, "сегодня": 0, "вчера": -1, "завтра": 1}


@dataclass(frozen=True)
class DateSpan:
    start: dt.date
    end: dt.date
    position: int  # where it was written, to tell which sentence part it belongs to
    has_year: bool


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _span(year, month1, day1, month2, day2, position, has_year) -> DateSpan | None:
    start = _safe_date(year, month1, day1)
    end_year = year + 1 if (month2, day2) < (month1, day1) else year
    end = _safe_date(end_year, month2, day2)
    if start is None or end is None:
        return None
    return DateSpan(start, end, position, has_year)


def find_dates(text: str, language: str, default_year: int | None,
               reference: dt.date | None = None) -> list[DateSpan]:
    """Dates and date ranges written in `text`, in order. Without a written year the
    `default_year` is used; with neither, the date is dropped (never guessed)."""
    found: list[tuple[int, tuple]] = []
    if language == "ru":
        for m in _RU_DATE.finditer(text):
            d1, d2, mon1, year1, d3, mon2, year = m.groups()
            month1 = _RU_MONTHS[mon1.lower()]
            if d3:
                found.append((m.start(), (year1 or year, month1, int(d1), _RU_MONTHS[mon2.lower()], int(d3))))
            else:
                found.append((m.start(), (year1 or year, month1, int(d1), month1, int(d2 or d1))))
    else:
        taken: list[tuple[int, int]] = []
        for m in _EN_DAY_FIRST.finditer(text):
            d1, d2, mon1, year1, d3, mon2, year = m.groups()
            year = year1 or year
            month1 = _EN_MONTHS[mon1.rstrip(".").lower()]
            if d3:
                parts = (year, month1, int(d1), _EN_MONTHS[mon2.rstrip(".").lower()], int(d3))
            else:
                parts = (year, month1, int(d1), month1, int(d2 or d1))
            found.append((m.start(), parts))
            taken.append(m.span())
        for m in _EN_MONTH_FIRST.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            mon1, d1, mon2, d2, year = m.groups()
            month1 = _EN_MONTHS[mon1.rstrip(".").lower()]
            month2 = _EN_MONTHS[mon2.rstrip(".").lower()] if mon2 else month1
            found.append((m.start(), (year, month1, int(d1), month2, int(d2 or d1))))
    for m in _NUMERIC.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        found.append((m.start(), (year, month, day, month, day)))
    for m in _ISO.finditer(text):
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        found.append((m.start(), (year, month, day, month, day)))

    spans = []
    for position, (year, month1, day1, month2, day2) in sorted(found, key=lambda f: f[0]):
        if year is None and default_year is None:
            continue
        span = _span(int(year) if year else default_year, month1, day1, month2, day2,
                     position, year is not None)
        if span is not None:
            spans.append(span)
    if reference is not None:
        for m in _RELATIVE.get(language, _RELATIVE["en"]).finditer(text):
            day = reference + dt.timedelta(days=_RELATIVE_DAYS[m.group(1).lower()])
            spans.append(DateSpan(day, day, m.start(), True))
        spans.sort(key=lambda s: s.position)
    return spans


def published_date(published_at: str | None) -> dt.date | None:
    if not published_at:
        return None
    try:
        return dt.date.fromisoformat(published_at[:10])
    except ValueError:
        return None


_FOUR_DIGITS = re.compile(r"\d{4}")


def context_year(paragraphs: list[str], language: str, published: dt.date | None) -> int | None:
    """Year for dates written without one: the first year the article writes in a full date
    ("15-16 May 2024 ... the plenary on 16 May") when it is near the publication's (a date of
    history is not the event's), else the publication's."""
    for paragraph in paragraphs:
        if not _FOUR_DIGITS.search(paragraph):
            continue
        for span in find_dates(paragraph, language, None):
            if span.has_year and (published is None or abs(span.start.year - published.year) <= 1):
                return span.start.year
    return published.year if published is not None else None
