"""The record every page becomes (contract: shared/reference/README.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# Longer URLs are neither followed nor stored: no site means one (browsers stop near 2,000
# characters), and a btree index entry could not hold it.
MAX_URL_LENGTH = 2048

# ---------------------------------------------------------------- the declaration
#
# The record and its parts, each field declared once: its kind drives validation (`validate`), its
# column the loaders' column lists and export, its order the key order of printed records. Adding a
# field touches its declaration here, its rule (a kind, or a new one in `_check_value`), a migration
# adding the column, and tests.

FORMATS = ("offline", "online", "hybrid")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str                  # text, date, count, country, format, texts, object, or a part's name (a list of it)
    column: str | None = ""    # its column in the part's core table ("": the field's name; None: no column)
    required: bool = False     # must be present and non-empty
    omit_null: bool = False    # printed records leave it out when null (optional keys of organizers, sessions)

    @property
    def column_name(self) -> str | None:
        return self.name if self.column == "" else self.column


@dataclass(frozen=True)
class Part:
    name: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def columns(self, kinds: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The core columns of the fields stored as columns (of these kinds only, when given)."""
        return tuple(f.column_name for f in self.fields
                     if f.column_name is not None and (kinds is None or f.kind in kinds))

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


SCALAR_KINDS = ("text", "date", "count", "country", "format")

ORGANIZER = Part("organizer", (
    Field("name", "text", column="name_as_written", required=True),
    Field("acronym", "text", omit_null=True),
))
SESSION = Part("session", (
    Field("name", "text", required=True),
    Field("kind", "text", omit_null=True),
    Field("format", "format", omit_null=True),
))
SPEAKER = Part("speaker", (
    Field("name", "text", column="name_as_written", required=True),
    Field("role", "text"),
    Field("organization", "text", column="organization_as_written"),
    Field("session", "text", column="session_name"),
))
EVENT = Part("event", (
    Field("name", "text"),
    Field("type", "text"),
    Field("start_date", "date"),
    Field("end_date", "date"),
    Field("city", "text"),
    Field("city_as_written", "text"),
    Field("country", "country"),
    Field("format", "format"),
    Field("occasion", "text"),
    Field("organizers", "organizer", column=None),
    Field("participants_count", "count"),
    Field("countries_count", "count"),
    Field("sessions", "session", column=None),
    Field("speakers", "speaker", column=None),
))
RECORD = Part("record", (
    Field("url", "text", required=True),
    Field("source", "text", required=True),
    Field("language", "text"),
    Field("title", "text"),
    Field("alt_titles", "object"),
    Field("published_at", "date"),
    Field("translation_of_url", "text"),
    Field("body_paragraphs", "texts"),
    Field("countries_mentioned", "texts"),
    Field("events", "event", column=None),
))
PARTS = {part.name: part for part in (RECORD, EVENT, ORGANIZER, SESSION, SPEAKER)}

# Order matters: `extract` and `export` print records with keys in this order.
RECORD_FIELDS = RECORD.names
EVENT_FIELDS = EVENT.names
_EMPTY = {"object": dict, "texts": list, **{name: list for name in PARTS}}


def empty_record(url: str | None = None, source: str | None = None) -> dict:
    """A record with every field present and nothing known yet."""
    record = {f.name: _EMPTY[f.kind]() if f.kind in _EMPTY else None for f in RECORD.fields}
    record.update(url=url, source=source)
    return record


class RecordError(ValueError):
    """A value the declaration does not allow (the message names the field and why)."""


def validate(part: Part, item, where: str) -> dict:
    """`item` checked against the declaration of `part`: every field present, in order (a missing one
    None or empty), each value of its kind; raises RecordError naming `where` and the field."""
    if not isinstance(item, dict):
        raise RecordError(f"{where}: expected an object, got {type(item).__name__}")
    unknown = set(item) - set(part.names)
    if unknown:
        raise RecordError(f"{where}: unknown fields {sorted(unknown)}")
    clean = {}
    for f in part.fields:
        value = item.get(f.name)
        if value is None and f.kind in _EMPTY:
            value = _EMPTY[f.kind]()
        if f.required and not value:
            raise RecordError(f"{where}: {f.name} is required")
        clean[f.name] = _check_value(f, value, where)
    return clean


def printed(part: Part, item: dict) -> dict:
    """`item` as records print it: declared order, optional keys left out when null."""
    return {f.name: item.get(f.name) for f in part.fields if not (f.omit_null and item.get(f.name) is None)}


def _check_value(f: Field, value, where: str):
    if value is None:
        return None
    if f.kind == "text" and not isinstance(value, str):
        raise RecordError(f"{where}: {f.name} must be a string, got {value!r}")
    if f.kind == "date":
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            raise RecordError(f"{where}: {f.name} is not an ISO date: {value!r}") from None
    if f.kind == "count" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise RecordError(f"{where}: {f.name} must be a non-negative integer, got {value!r}")
    if f.kind == "format" and value not in FORMATS:
        raise RecordError(f"{where}: {f.name} must be offline, online or hybrid, got {value!r}")
    if f.kind == "country" and not (isinstance(value, str) and re.fullmatch(r"[A-Z]{2}", value)):
        raise RecordError(f"{where}: {f.name} must be an ISO alpha-2 code, got {value!r}")
    if f.kind == "texts" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise RecordError(f"{where}: {f.name} must be a list of strings")
    if f.kind == "object" and not isinstance(value, dict):
        raise RecordError(f"{where}: {f.name} must be an object")
    if f.kind in PARTS:
        part = PARTS[f.kind]
        named = "name" in part.names and part.field("name").required
        if not isinstance(value, list) or not all(isinstance(i, dict) and (i.get("name") or not named) for i in value):
            raise RecordError(f"{where}: {f.name} must be a list of objects" + (" with a name" if named else ""))
        if f.kind == "event":
            return value  # events are validated one by one where they are loaded (etl/store/load_events.py)
        return [printed(part, validate(part, i, f"{where} {f.name}[{n}]")) for n, i in enumerate(value)]
    return value


@dataclass
class Article:
    """The article fields of a page, as the extractor found them (events come later)."""

    url: str | None
    language: str | None
    title: str | None
    alt_titles: dict[str, str] = field(default_factory=dict)
    published_at: str | None = None
    translation_of_url: str | None = None
    body_paragraphs: list[str] = field(default_factory=list)
    place: str | None = None  # the place the page's markup states for the article (a dateline), if any
    lead: str | None = None  # the lead / standfirst the markup states for the article, if any
    date_line: str | None = None  # ISO day of the article's date line when the markup declares it
