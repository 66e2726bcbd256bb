"""Stored identity keys (sql/050_identity_keys.sql): which organization (person) each spelling row
belongs to, however its links chain, and that one's canonical name.

Kept on load: after the links of some rows changed, `refresh_keys` takes the groups those rows
belonged to (by their stored key: one indexed lookup, whatever the size of a group), reads the links
among them, and joins them again with union-find. A group that lost a link may split; groups that
gained one merge. The cost follows the groups touched, never the whole warehouse or the length of a
chain of links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# One refresher at a time (until its transaction ends): two loads joining the same groups at once
# would each compute from what they see and the later write would lose the other's links.
_ADVISORY_LOCK_KEY = 7_310_412_050


@dataclass(frozen=True)
class _Kind:
    keys: str        # the key table
    row_id: str      # its row column
    key: str         # its key column
    links: str       # the links table
    other: str       # the links' second column
    rows_sql: str    # id and what the canonical name is chosen from, for ids = ANY(%s)


ORGANIZATIONS = _Kind(
    "core.organization_keys", "organization_id", "organization_key", "core.organization_links",
    "other_organization_id",
    "SELECT organization_id, name_en, name_ru, acronyms, curated FROM core.organizations WHERE organization_id = ANY(%s)",
)
PEOPLE = _Kind(
    "core.person_keys", "person_id", "person_key", "core.person_links", "other_person_id",
    "SELECT person_id, name, script FROM core.people WHERE person_id = ANY(%s)",
)


def refresh_keys(cur, organization_ids: Iterable[int] = (), person_ids: Iterable[int] = ()) -> None:
    """Recompute the groups of these rows (those whose links were added or removed)."""
    organization_ids, person_ids = set(organization_ids), set(person_ids)
    if not organization_ids and not person_ids:
        return
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK_KEY,))
    if organization_ids:
        _refresh(cur, ORGANIZATIONS, organization_ids, _organization_names)
    if person_ids:
        _refresh(cur, PEOPLE, person_ids, _person_names)


def _refresh(cur, kind: _Kind, touched: set[int], names) -> None:
    nodes = set(touched)
    frontier = set(touched)
    edges: set[tuple[int, int]] = set()
    while frontier:
        # Every member of the groups the frontier belonged to, then the links among them. A link
        # leading outside (keys written by something else than this module) widens the search.
        members = {row[0] for row in cur.execute(
            f"""SELECT {kind.row_id} FROM {kind.keys} WHERE {kind.key} IN
                    (SELECT {kind.key} FROM {kind.keys} WHERE {kind.row_id} = ANY(%s))""", (list(frontier),))}
        nodes |= members
        found = cur.execute(
            f"""SELECT {kind.row_id}, {kind.other} FROM {kind.links} WHERE {kind.row_id} = ANY(%(ids)s)
                UNION SELECT {kind.row_id}, {kind.other} FROM {kind.links} WHERE {kind.other} = ANY(%(ids)s)""",
            {"ids": list(members | frontier)}).fetchall()
        edges |= set(found)
        reached = {n for edge in found for n in edge}
        frontier = reached - nodes
        nodes |= reached
    groups = _union_find(nodes, edges)
    rows = {row[0]: row for row in cur.execute(kind.rows_sql, (list(nodes),))}
    values, acronyms = [], []
    for key, members in groups.items():
        present = [rows[m] for m in sorted(members) if m in rows]
        if not present:
            continue
        name, group_acronyms = names(present)
        values += [(m, key, name) for m in sorted(members) if m in rows]
        acronyms += [(key, a) for a in group_acronyms or ()]
    cur.execute(
        f"""INSERT INTO {kind.keys} AS k ({kind.row_id}, {kind.key}, name)
            SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[])
            ON CONFLICT ({kind.row_id}) DO UPDATE SET {kind.key} = EXCLUDED.{kind.key}, name = EXCLUDED.name
            WHERE (k.{kind.key}, k.name) IS DISTINCT FROM (EXCLUDED.{kind.key}, EXCLUDED.name)""",
        ([v[0] for v in values], [v[1] for v in values], [v[2] for v in values]))
    if kind is ORGANIZATIONS:
        # The acronyms of every group these nodes were or are in: rewritten only where they differ.
        cur.execute(
            """WITH wanted AS (SELECT * FROM unnest(%(keys)s::bigint[], %(acronyms)s::text[]) AS w(organization_key, acronym)),
                    gone AS (DELETE FROM core.organization_acronyms x
                             WHERE x.organization_key = ANY(%(nodes)s)
                               AND NOT EXISTS (SELECT FROM wanted w WHERE w.organization_key = x.organization_key
                                               AND w.acronym = x.acronym))
               INSERT INTO core.organization_acronyms (organization_key, acronym) SELECT * FROM wanted
               ON CONFLICT DO NOTHING""",
            {"keys": [a[0] for a in acronyms], "acronyms": [a[1] for a in acronyms], "nodes": list(nodes)})


def _union_find(nodes: set[int], edges: set[tuple[int, int]]) -> dict[int, set[int]]:
    """Groups of connected nodes, keyed by their smallest member."""
    parent = {n: n for n in nodes}

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]  # path halving
            n = parent[n]
        return n

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the smaller root wins: a group's root is its smallest id
    groups: dict[int, set[int]] = {}
    for n in nodes:
        groups.setdefault(root(n), set()).add(n)
    return groups


def _organization_names(rows: list[tuple]) -> tuple[str, list[str]]:
    """English when any row has it (curated rows first), else Russian; every acronym."""
    ordered = sorted(rows, key=lambda r: (r[1] is None, not r[4], r[0]))
    first = ordered[0]
    name = first[1] if first[1] is not None else first[2]
    acronyms = sorted({a for r in rows for a in (r[3] or [])})
    return name, acronyms


def _person_names(rows: list[tuple]) -> tuple[str, None]:
    """The Latin spelling when there is one, else the first met."""
    ordered = sorted(rows, key=lambda r: (r[2] != "Latn", r[0]))
    return ordered[0][1], None

