"""Events into the warehouse (sql/010_events.sql) and back out in the record's event shape.

`replace_events` runs inside the loader's transaction, after the article row is upserted. It is
idempotent and writes only what differs: the same events again change nothing (no serial ids
consumed); a changed event is updated in place at its position and its children rewritten;
events past the new count are deleted. Organizations and people are resolved to one row per
organization (any alias) and per spelling; when the article's translation is loaded too, the
speakers (and organizers) at the same position of the same event are linked as one person
(organization).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from etl.record import (EVENT, EVENT_FIELDS, ORGANIZER, SCALAR_KINDS, SESSION, SPEAKER, RecordError, printed,
                        validate)
from etl.events.organizations import KnownOrganization, known_organization
from etl.store.identity_keys import refresh_keys

_EVENT_COLUMNS = EVENT.columns(SCALAR_KINDS)


class EventsError(ValueError):
    """Events that cannot be stored as given (the message says which field of which event)."""


def replace_events(conn, article_id: int, events: list[dict]) -> None:
    """Make the stored events of `article_id` equal `events` (the record's event list)."""
    events = [validated_event(event, index) for index, event in enumerate(events or [])]
    stored = events_for_articles(conn, [article_id]).get(article_id, [])
    with conn.cursor() as cur:
        for position, event in enumerate(events):
            if position < len(stored) and _same(stored[position], event):
                continue
            event_id = _upsert_event(cur, article_id, position, event)
            _write_children(cur, event_id, event)
        cur.execute("DELETE FROM core.events WHERE article_id = %s AND position >= %s", (article_id, len(events)))
        link_translations(cur, [article_id])


def events_for_articles(conn, article_ids: list[int]) -> dict[int, list[dict]]:
    """Stored events per article, in the same shape (and key order) as extract_events returns."""
    if not article_ids:
        return {}
    ids = list(article_ids)
    with conn.cursor() as cur:
        rows = cur.execute(
            f"""SELECT event_id, article_id, {', '.join(_EVENT_COLUMNS)} FROM core.events
                WHERE article_id = ANY(%s) ORDER BY article_id, position""", (ids,)).fetchall()
        event_ids = [row[0] for row in rows]
        organizers = _children(cur, """SELECT event_id, name_as_written, acronym FROM core.event_organizers
                                       WHERE event_id = ANY(%s) ORDER BY event_id, position""", event_ids)
        sessions = _children(cur, """SELECT event_id, name, kind, format FROM core.event_sessions
                                     WHERE event_id = ANY(%s) ORDER BY event_id, position""", event_ids)
        speakers = _children(cur, """SELECT event_id, name_as_written, role, organization_as_written, session_name
                                     FROM core.event_speakers WHERE event_id = ANY(%s)
                                     ORDER BY event_id, position""", event_ids)
    result: dict[int, list[dict]] = {}
    for event_id, article_id, *values in rows:
        event = dict(zip(_EVENT_COLUMNS, values))
        for key in ("start_date", "end_date"):
            if event[key] is not None:
                event[key] = event[key].isoformat()
        event["organizers"] = [printed(ORGANIZER, {"name": n, "acronym": a}) for n, a in organizers.get(event_id, [])]
        event["sessions"] = [printed(SESSION, {"name": n, "kind": k, "format": f}) for n, k, f in sessions.get(event_id, [])]
        event["speakers"] = [{"name": n, "role": r, "organization": o, "session": s}
                             for n, r, o, s in speakers.get(event_id, [])]
        result.setdefault(article_id, []).append({key: event[key] for key in EVENT_FIELDS})
    return result


# ---------------------------------------------------------------- validation


def validated_event(event: dict, index: int) -> dict:
    """The event checked against its declaration (etl/record.py: EVENT and its parts)."""
    try:
        return validate(EVENT, event, f"event {index}")
    except RecordError as exc:
        raise EventsError(str(exc)) from None


def _same(stored: dict, new: dict) -> bool:
    return stored == {key: new[key] for key in EVENT_FIELDS}


# ---------------------------------------------------------------- writing


def _upsert_event(cur, article_id: int, position: int, event: dict) -> int:
    values = [event[c] for c in _EVENT_COLUMNS]
    assignments = ", ".join(f"{c} = %s" for c in _EVENT_COLUMNS)
    # UPDATE first: INSERT ... ON CONFLICT would draw a new serial value even when it updates.
    row = cur.execute(f"UPDATE core.events SET {assignments} WHERE article_id = %s AND position = %s "
                      f"RETURNING event_id", (*values, article_id, position)).fetchone()
    if row is None:
        row = cur.execute(
            f"""INSERT INTO core.events (article_id, position, {', '.join(_EVENT_COLUMNS)})
                VALUES (%s, %s, {', '.join(['%s'] * len(_EVENT_COLUMNS))}) RETURNING event_id""",
            (article_id, position, *values)).fetchone()
    return row[0]


# The tables under core.events: the record's part each row holds, and the ids the loader resolves for
# it (organization, person) before the part's declared columns (etl/record.py).
_CHILD_TABLES = {
    "core.event_organizers": ("organizers", ORGANIZER, ("organization_id",)),
    "core.event_sessions": ("sessions", SESSION, ()),
    "core.event_speakers": ("speakers", SPEAKER, ("person_id", "organization_id")),
}
# Their columns, in the order child_rows gives the values.
CHILD_COLUMNS = {table: ("event_id", "position", *resolved, *part.columns())
                 for table, (_, part, resolved) in _CHILD_TABLES.items()}


def child_rows(event_id: int, event: dict, organization_id: Callable[[str, str | None], int],
               person_id: Callable[[str], int]) -> dict[str, list[tuple]]:
    """An event's organizer, session and speaker rows by table (columns: CHILD_COLUMNS). The one mapping
    from record to rows, for both writers: row by row here, by COPY in the bulk loader."""
    def resolved(key: str, item: dict) -> tuple:
        if key == "organizers":
            return (organization_id(item["name"], item.get("acronym")),)
        if key == "speakers":
            return (person_id(item["name"]),
                    organization_id(item["organization"], None) if item.get("organization") else None)
        return ()

    return {table: [(event_id, n, *resolved(key, item), *(item.get(f.name) for f in part.fields if f.column_name))
                    for n, item in enumerate(event[key])]
            for table, (key, part, _) in _CHILD_TABLES.items()}


def _write_children(cur, event_id: int, event: dict) -> None:
    for table in CHILD_COLUMNS:
        cur.execute(f"DELETE FROM {table} WHERE event_id = %s", (event_id,))
    rows = child_rows(event_id, event, lambda name, acronym: organization_id_for(cur, name, acronym),
                      lambda name: person_id_for(cur, name))
    for table, table_rows in rows.items():
        if table_rows:
            columns = CHILD_COLUMNS[table]
            cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                            table_rows)


def fold(name: str) -> str:
    """The lookup key of a spelling: case-folded, quotes and a leading article removed."""
    text = re.sub(r"[\"«»“”„]+", " ", name)
    text = re.sub(r"^\s*the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip().casefold().replace("ё", "е")


def organization_id_for(cur, name: str, acronym: str | None) -> int:
    """One organization per alias: known spelling -> its row; a curated think tank -> its row
    (created with all its aliases on first use); anything else -> a new row of its own."""
    row = cur.execute("SELECT organization_id FROM core.organization_aliases WHERE alias_folded = %s",
                      (fold(name),)).fetchone()
    if row:
        return row[0]
    known = known_organization(name) or (known_organization(acronym) if acronym else None)
    if known is not None:
        return _curated_organization_id(cur, known)
    script = _script(name)
    row = cur.execute(
        """INSERT INTO core.organizations (key, name_en, name_ru, acronyms) VALUES (%s, %s, %s, %s)
           ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING organization_id""",
        ("name:" + fold(name), name if script != "Cyrl" else None, name if script == "Cyrl" else None,
         [acronym] if acronym else [])).fetchone()
    _add_aliases(cur, row[0], [name] + ([acronym] if acronym else []))
    return row[0]


def _curated_organization_id(cur, known: KnownOrganization) -> int:
    row = cur.execute("SELECT organization_id FROM core.organizations WHERE key = %s", (known.key,)).fetchone()
    if row is None:
        row = cur.execute(
            """INSERT INTO core.organizations (key, name_en, name_ru, acronyms, curated)
               VALUES (%s, %s, %s, %s, true) RETURNING organization_id""",
            (known.key, known.name_en, known.name_ru, list(known.acronyms))).fetchone()
    _add_aliases(cur, row[0], [known.name_en, known.name_ru, *known.acronyms, *known.aliases])
    return row[0]


def _add_aliases(cur, organization_id: int, aliases: list[str]) -> None:
    # No serial here: ON CONFLICT DO NOTHING costs nothing on a repeat. An alias already taken
    # by another organization keeps its first owner (acronyms can collide).
    cur.executemany(
        """INSERT INTO core.organization_aliases (alias_folded, alias, organization_id) VALUES (%s, %s, %s)
           ON CONFLICT (alias_folded) DO NOTHING""",
        [(fold(a), a, organization_id) for a in aliases if a and fold(a)])


def _script(text: str) -> str:
    if re.search("[А-Яа-яЁё]", text):
        return "Cyrl"
    if re.search("[A-Za-z]", text):
        return "Latn"
    return "other"


def person_id_for(cur, name: str) -> int:
    key = (fold(name), _script(name))
    row = cur.execute("SELECT person_id FROM core.people WHERE name_folded = %s AND script = %s", key).fetchone()
    if row is None:
        row = cur.execute("INSERT INTO core.people (name, name_folded, script) VALUES (%s, %s, %s) RETURNING person_id",
                          (name, *key)).fetchone()
    return row[0]


def person_ids_for(cur, names: list[str]) -> dict[str, int]:
    """`person_id_for` of many names in two statements (a bulk load's speakers): the missing spellings
    inserted, the first one seen standing for its (folded, script) key, then every id read back."""
    first_spelling: dict[tuple[str, str], str] = {}
    key_of = {name: (fold(name), _script(name)) for name in names}
    for name, key in key_of.items():
        first_spelling.setdefault(key, name)
    if not first_spelling:
        return {}
    folded, scripts = [key[0] for key in first_spelling], [key[1] for key in first_spelling]
    cur.execute("""INSERT INTO core.people (name, name_folded, script)
                   SELECT * FROM unnest(%s::text[], %s::text[], %s::text[])
                   ON CONFLICT (name_folded, script) DO NOTHING""", (list(first_spelling.values()), folded, scripts))
    ids = {(name_folded, script): person_id for person_id, name_folded, script in cur.execute(
        """SELECT person_id, name_folded, script FROM core.people
           WHERE (name_folded, script) IN (SELECT * FROM unnest(%s::text[], %s::text[]))""", (folded, scripts))}
    return {name: ids[key] for name, key in key_of.items()}


# The same event in an article and in its translation (the other language version, when loaded).
_TRANSLATED_EVENTS = """
           FROM core.articles a
           JOIN core.articles b ON (b.url = a.translation_of_url OR b.translation_of_url = a.url)
                               AND b.article_id <> a.article_id
                               AND b.language IS DISTINCT FROM a.language
           JOIN core.events e1 ON e1.article_id = a.article_id
           JOIN core.events e2 ON e2.article_id = b.article_id AND e2.position = e1.position
"""


def link_translations(cur, article_ids: list[int]) -> None:
    """Link the speakers (people) and organizers (organizations) of these articles' events with
    those at the same positions of the same events in their translations, when loaded.
    Positions only correspond when both lists have the same length. Writes nothing twice.

    The links are recomputed for these articles and their translations: when a reload changed the
    events, the links the old events made go (a wrong link merges whole groups of spellings)."""
    article_ids = [row[0] for row in cur.execute(
        """SELECT article_id FROM core.articles WHERE article_id = ANY(%(ids)s)
           UNION
           SELECT b.article_id FROM core.articles a
           JOIN core.articles b ON (b.url = a.translation_of_url OR b.translation_of_url = a.url)
                               AND b.article_id <> a.article_id
           WHERE a.article_id = ANY(%(ids)s)""", {"ids": list(article_ids)})]
    # The rows whose links go or come: their groups' stored keys are refreshed at the end.
    touched: dict[str, set[int]] = {"person_links": set(), "organization_links": set()}
    for table, columns in (("person_links", "person_id, other_person_id"),
                           ("organization_links", "organization_id, other_organization_id")):
        deleted = cur.execute(f"DELETE FROM core.{table} WHERE evidence = 'translation_pair' AND article_id = ANY(%s) "
                              f"RETURNING {columns}", (article_ids,)).fetchall()
        touched[table].update(n for pair in deleted for n in pair)
    cur.execute(
        f"""INSERT INTO core.person_links (person_id, other_person_id, evidence, article_id)
           SELECT DISTINCT least(s1.person_id, s2.person_id), greatest(s1.person_id, s2.person_id),
                  'translation_pair', a.article_id
           {_TRANSLATED_EVENTS}
           JOIN core.event_speakers s1 ON s1.event_id = e1.event_id
           JOIN core.event_speakers s2 ON s2.event_id = e2.event_id AND s2.position = s1.position
           JOIN core.people p1 ON p1.person_id = s1.person_id
           JOIN core.people p2 ON p2.person_id = s2.person_id
           WHERE a.article_id = ANY(%s) AND p1.script <> p2.script
             AND (SELECT count(*) FROM core.event_speakers x WHERE x.event_id = e1.event_id)
               = (SELECT count(*) FROM core.event_speakers y WHERE y.event_id = e2.event_id)
           ON CONFLICT (person_id, other_person_id) DO NOTHING
           RETURNING person_id, other_person_id""",
        (list(article_ids),))
    touched["person_links"].update(n for pair in cur.fetchall() for n in pair)
    cur.execute(
        f"""INSERT INTO core.organization_links (organization_id, other_organization_id, evidence, article_id)
           SELECT DISTINCT least(o1.organization_id, o2.organization_id),
                  greatest(o1.organization_id, o2.organization_id), 'translation_pair', a.article_id
           {_TRANSLATED_EVENTS}
           JOIN core.event_organizers o1 ON o1.event_id = e1.event_id
           JOIN core.event_organizers o2 ON o2.event_id = e2.event_id AND o2.position = o1.position
           WHERE a.article_id = ANY(%s) AND o1.organization_id <> o2.organization_id
             AND (SELECT count(*) FROM core.event_organizers x WHERE x.event_id = e1.event_id)
               = (SELECT count(*) FROM core.event_organizers y WHERE y.event_id = e2.event_id)
           ON CONFLICT (organization_id, other_organization_id) DO NOTHING
           RETURNING organization_id, other_organization_id""",
        (list(article_ids),))
    touched["organization_links"].update(n for pair in cur.fetchall() for n in pair)
    # The stored identity keys of the groups these links joined or split (etl/store/identity_keys.py).
    refresh_keys(cur, organization_ids=touched["organization_links"], person_ids=touched["person_links"])


# ---------------------------------------------------------------- reading helpers


def _children(cur, sql: str, event_ids: list[int]) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = {}
    if not event_ids:
        return grouped
    for event_id, *values in cur.execute(sql, (event_ids,)).fetchall():
        grouped.setdefault(event_id, []).append(tuple(values))
    return grouped
