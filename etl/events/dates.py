"""Event dates: single days and ranges, year from context when missing; the month names and
date shapes of each language come from its pack (`etl.lang`).

Own patterns rather than dateparser: the shapes that matter are few ("10 December 2021",
"December 10-11, 2021", "14-15 March 2022", "с 14 по 15 марта", "с 30 ноября по 2 декабря
2021 года", "10.12.2021"), and a regex pass is far cheaper than dateparser's search.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from etl.lang import pack

_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]|\.\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DIGIT = re.compile(r"\d")


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
    language_pack = pack(language)
    if language_pack is None:
        return []
    months = language_pack.months
    taken: list[tuple[int, int]] = []
    # Every written date holds a digit; most sentences hold none (only relative days remain).
    written = _DIGIT.search(text) is not None
    for pattern in language_pack.date_patterns if written else ():  # day first: d1 [- d2] month1 [year1] [- d3 month2] [year]
        for m in pattern.finditer(text):
            if pattern.groupindex:  # named groups: any order of day, month and year
                g = m.groupdict()
                d1, d2, mon1, year1, d3, mon2, year = (g.get(k) for k in ("d1", "d2", "mon1", "year1", "d3",
                                                                           "mon2", "year"))
            else:
                d1, d2, mon1, year1, d3, mon2, year = m.groups()
            year = year1 or year
            month1 = months[mon1.rstrip(".").lower()]
            if d3:
                parts = (year, month1, int(d1), months[mon2.rstrip(".").lower()], int(d3))
            else:
                parts = (year, month1, int(d1), month1, int(d2 or d1))
            found.append((m.start(), parts))
            taken.append(m.span())
    if written and language_pack.month_first is not None:  # month1 day1 [- [month2] day2] [year]
        for m in language_pack.month_first.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            mon1, d1, mon2, d2, year = m.groups()
            month1 = months[mon1.rstrip(".").lower()]
            month2 = months[mon2.rstrip(".").lower()] if mon2 else month1
            found.append((m.start(), (year, month1, int(d1), month2, int(d2 or d1))))
    for m in _NUMERIC.finditer(text) if written else ():
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        found.append((m.start(), (year, month, day, month, day)))
    for m in _ISO.finditer(text) if written else ():
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
        for m in language_pack.relative.finditer(text):
            day = reference + dt.timedelta(days=language_pack.relative_days[m.group(1).lower()])
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
    history is not the event's), else the publication's. Without a publication date there is
    none: the year of another date ("the summit of 17 September 2021", "29 March 1994") is not
    the year of the day the event is given ("6 September", "31 January")."""
    if published is None:
        return None
    for paragraph in paragraphs:
        if not _FOUR_DIGITS.search(paragraph):
            continue
        for span in find_dates(paragraph, language, None):
            if span.has_year and (published is None or abs(span.start.year - published.year) <= 1):
                return span.start.year
    return published.year if published is not None else None
