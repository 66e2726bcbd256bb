"""Warehouse at size (issue 15): every reporting view read in full, every README example query, and
`report`, on 100,000 organizations, 100,000 people and 12,000 articles (6,000 EN/RU translation pairs,
one event each, with organizers, sessions and speakers; spellings linked across the pairs, and one
group of 6,000 linked spellings of each kind).

    .venv/bin/python -m tests.bench.bench_warehouse [--articles N] [--organizations N] [--people N]

Targets: each view's full read and each README query under 500 ms, `report` under 2 s (best of 3,
after one warm-up run, wall time on the client). Beside it, server-side figures that other load on a
shared machine distorts less: EXPLAIN (ANALYZE, BUFFERS) execution time and the backend's CPU time. Uses ETL_BENCH_DATABASE_URL (a server where it may create a database) or an
embedded PostgreSQL in a temporary directory. Prints the figures and writes
tests/bench/results/warehouse.json; speed is measured and reported (MISS marks a target not met), it
fails only if a query fails.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import psycopg

from etl.store.identity_keys import refresh_keys
from etl.store.migrate import migrate
from etl.store.reporting import render, report_tables
from tests.bench.bench_load import bench_database

RESULTS = Path(__file__).parent / "results" / "warehouse.json"
README = Path(__file__).resolve().parents[2] / "README.md"
VIEW_TARGET_S, REPORT_TARGET_S = 0.5, 2.0
BIG_GROUP = 6000


def generate(conn, articles: int, organizations: int, people: int) -> None:
    """Set-based generation straight into core (the loader's speed is bench_load's business); the
    identity keys are then refreshed the way the loader does it."""
    pairs = articles // 2
    conn.execute("SELECT setseed(0.15)")
    conn.execute(
        """INSERT INTO core.articles (url, source, language, title, body_paragraphs, translation_of_url,
                                      published_at, extractor_version, content_hash, first_seen, last_seen, valid_from)
           SELECT 'https://bench.example/' || lang || '/' || n, 'bench' || (n %% 4), lang,
                  CASE lang WHEN 'en' THEN 'Conference on security ' ELSE 'Конференция по безопасности ' END || n,
                  ARRAY['Experts discussed regional security and cooperation ' || n, 'Second paragraph ' || n],
                  'https://bench.example/' || CASE lang WHEN 'en' THEN 'ru' ELSE 'en' END || '/' || n,
                  DATE '2015-01-01' + (n * 7 %% 3650), 'bench', md5(lang || n), now(), now(), now()
           FROM generate_series(1, %s) n CROSS JOIN (VALUES ('en'), ('ru')) l(lang)""", (pairs,))
    conn.execute(
        """INSERT INTO core.events (article_id, position, name, type, start_date, end_date, city, country,
                                    participants_count)
           SELECT a.article_id, 0, a.title, (ARRAY['conference','forum','round table','seminar','summit'])[1 + n % 5],
                  DATE '2015-01-01' + (n * 7 % 3650), DATE '2015-01-01' + (n * 7 % 3650) + (n % 3),
                  (ARRAY['Minsk','Moscow','Astana','Tashkent','Baku','Almaty','Bishkek'])[1 + n % 7],
                  (ARRAY['BY','RU','KZ','UZ','AZ','KZ','KG'])[1 + n % 7], 20 + n % 400
           FROM core.articles a CROSS JOIN LATERAL (SELECT split_part(a.url, '/', 5)::int AS n) x""")
    # Organizations: the first half English spellings, the second their Russian twins.
    half = organizations // 2
    conn.execute(
        """INSERT INTO core.organizations (key, name_en, name_ru, acronyms)
           SELECT 'name:org ' || n, CASE WHEN n <= %(half)s THEN 'Institute of Studies ' || n END,
                  CASE WHEN n > %(half)s THEN 'Институт исследований ' || (n - %(half)s) END,
                  -- acronyms for the well-known ones (the organizers that recur), as in real reports
                  CASE WHEN (n - 1) %% %(half)s < 300 THEN ARRAY['IS' || ((n - 1) %% %(half)s + 1)] ELSE '{}' END
           FROM generate_series(1, %(count)s) n""", {"half": half, "count": organizations})
    conn.execute(
        """INSERT INTO core.people (name, name_folded, script)
           SELECT CASE WHEN n <= %(half)s THEN 'Person Number ' || n ELSE 'Персона Номер ' || (n - %(half)s) END,
                  'person ' || n, CASE WHEN n <= %(half)s THEN 'Latn' ELSE 'Cyrl' END
           FROM generate_series(1, %(count)s) n""", {"half": people // 2, "count": people})
    # Each event: 1-3 organizers, 2-6 speakers, 0-3 sessions; popular organizers and speakers recur.
    # The English and Russian reports of an event name twin rows (ids k and k + half).
    # (A fresh database: ids start at 1.)
    conn.execute(
        """INSERT INTO core.event_organizers (event_id, position, organization_id, name_as_written)
           SELECT e.event_id, p, o.organization_id, coalesce(o.name_en, o.name_ru)
           FROM core.events e JOIN core.articles a USING (article_id)
           CROSS JOIN LATERAL (SELECT split_part(a.url, '/', 5)::int AS n) x
           CROSS JOIN LATERAL generate_series(0, x.n %% 3) p
           JOIN core.organizations o ON o.organization_id = 1 + CASE WHEN a.language = 'ru' THEN %(half)s ELSE 0 END
                + (x.n * 31 + p * 977) %% CASE WHEN p = 0 THEN 300 ELSE %(half)s END""", {"half": half})
    conn.execute(
        """INSERT INTO core.event_speakers (event_id, position, person_id, name_as_written, role, organization_id,
                                            organization_as_written, session_name)
           SELECT e.event_id, p, pe.person_id, pe.name, (ARRAY['Director','moderator','expert',NULL])[1 + p %% 4],
                  eo.organization_id, eo.name_as_written, CASE WHEN p %% 2 = 0 THEN 'Session ' || (p %% 3) END
           FROM core.events e JOIN core.articles a USING (article_id)
           CROSS JOIN LATERAL (SELECT split_part(a.url, '/', 5)::int AS n) x
           CROSS JOIN LATERAL generate_series(0, 1 + x.n %% 5) p
           JOIN core.people pe ON pe.person_id = 1 + CASE WHEN a.language = 'ru' THEN %(half)s ELSE 0 END
                + (x.n * 17 + p * 7919) %% CASE WHEN p = 0 THEN 500 ELSE %(half)s END
           LEFT JOIN core.event_organizers eo ON eo.event_id = e.event_id AND eo.position = 0""", {"half": people // 2})
    conn.execute(
        """INSERT INTO core.event_sessions (event_id, position, name, kind, format)
           SELECT e.event_id, p, 'Session ' || p, (ARRAY['plenary','panel'])[1 + p % 2], 'offline'
           FROM core.events e CROSS JOIN LATERAL generate_series(0, e.event_id::int % 4 - 1) p""")
    # Links: every English row with its Russian twin, and one group of BIG_GROUP spellings in a chain.
    for table, other, keys, count in (
            ("organization_links", "other_organization_id", "organization_id", organizations),
            ("person_links", "other_person_id", "person_id", people)):
        conn.execute(
            f"""INSERT INTO core.{table} ({keys}, {other}, evidence)
                SELECT n, n + %(half)s, 'bench' FROM generate_series(1, %(half)s) n
                UNION
                SELECT n, n + 1, 'bench' FROM generate_series(%(half)s - %(big)s + 1, %(half)s - 1) n
                ON CONFLICT DO NOTHING""", {"half": count // 2, "big": min(BIG_GROUP, count // 2 - 1)})
    with conn.cursor() as cur:
        started = time.perf_counter()
        refresh_keys(cur, organization_ids=[r[0] for r in cur.execute("SELECT organization_id FROM core.organizations")],
                     person_ids=[r[0] for r in cur.execute("SELECT person_id FROM core.people")])
        print(f"identity keys of {organizations + people:,} rows refreshed in {time.perf_counter() - started:.1f} s",
              flush=True)
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE")
    conn.autocommit = False


def readme_queries() -> list[tuple[str, str]]:
    """The README's example queries (the SQL block after **Example queries.**), with their comment titles."""
    text = README.read_text(encoding="utf-8")
    block = text[text.index("**Example queries.**"):]
    block = block[block.index("```sql") + 6:block.index("```", block.index("```sql") + 6)]
    queries = []
    for chunk in block.split(";"):
        lines = [line for line in chunk.strip().splitlines()]
        title = next((line[3:] for line in lines if line.startswith("-- ")), "?")
        sql = "\n".join(line for line in lines if not line.startswith("--")).strip()
        if sql:
            queries.append((title, sql))
    return queries


def best_of(conn, sql: str, runs: int = 3) -> dict:
    """Wall time as the client sees it (transfer and decoding included), and two server-side figures
    less sensitive to other load on a shared machine: the backend's CPU time (from /proc, when the
    server runs on this host) and EXPLAIN ANALYZE's execution time (per-node timing off), with its
    buffers (temp blocks: sorts or hashes spilled to disk). Best of `runs` each, after a warm-up."""
    conn.execute(sql).fetchall()  # warm-up: caches, plans
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    timings, cpu = [], []
    for _ in range(runs):
        cpu_before = backend_cpu_seconds(pid)
        started = time.perf_counter()
        rows = conn.execute(sql).fetchall()
        timings.append(time.perf_counter() - started)
        if cpu_before is not None:
            cpu.append(backend_cpu_seconds(pid) - cpu_before)
    plans = [conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) {sql}").fetchone()[0][0]
             for _ in range(runs)]
    best_plan = min(plans, key=lambda plan: plan["Execution Time"])
    return {"seconds": round(min(timings), 4), "rows": len(rows),
            "server_ms": round(best_plan["Execution Time"], 1),
            "backend_cpu_ms": round(min(cpu) * 1000, 1) if cpu else None,
            "temp_blocks_written": best_plan["Plan"].get("Temp Written Blocks", 0)}


def backend_cpu_seconds(pid: int) -> float | None:
    """CPU time the server process `pid` has run (Linux schedstat, nanoseconds); None when the server
    is not on this host."""
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as stat:
            return int(stat.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def best_report(conn, runs: int = 3) -> float:
    render(report_tables(conn), "table")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        render(report_tables(conn), "table")
        timings.append(time.perf_counter() - started)
    return min(timings)


def run(articles: int, organizations: int, people: int) -> dict:
    with bench_database() as dsn:
        migrate(dsn)
        started = time.perf_counter()
        with psycopg.connect(dsn) as conn:
            generate(conn, articles, organizations, people)
        generated_s = time.perf_counter() - started
        with psycopg.connect(dsn, autocommit=True) as conn:  # a new session: the database's settings (jit)
            jit = conn.execute("SHOW jit").fetchone()[0]
            views = [r[0] for r in conn.execute(
                "SELECT 'reporting.' || viewname FROM pg_views WHERE schemaname = 'reporting' ORDER BY 1")]
            figures = {"views": {}, "readme_queries": {}}
            for view in views:
                figures["views"][view] = best_of(conn, f"SELECT * FROM {view}")
            for title, sql in readme_queries():
                figures["readme_queries"][title] = best_of(conn, sql)
            figures["report_seconds"] = round(best_report(conn), 4)
            sizes = dict(conn.execute(
                """SELECT 'articles', count(*) FROM core.articles UNION ALL SELECT 'events', count(*) FROM core.events
                   UNION ALL SELECT 'organizations', count(*) FROM core.organizations
                   UNION ALL SELECT 'people', count(*) FROM core.people
                   UNION ALL SELECT 'event_speakers', count(*) FROM core.event_speakers
                   UNION ALL SELECT 'event_organizers', count(*) FROM core.event_organizers
                   UNION ALL SELECT 'largest organization group', max(n) FROM
                       (SELECT count(*) AS n FROM core.organization_keys GROUP BY organization_key) g""").fetchall())
    return {"machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
            "jit": jit, "sizes": sizes, "generate_seconds": round(generated_s, 1), **figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12_000)
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args(argv)
    result = run(args.articles, args.organizations, args.people)
    print(f"sizes: {result['sizes']}; jit={result['jit']}; generated in {result['generate_seconds']} s")
    misses = 0
    for kind in ("views", "readme_queries"):
        print(f"\n{kind} (full read, best of 3; target < {VIEW_TARGET_S * 1000:.0f} ms wall; "
              f"server: EXPLAIN ANALYZE execution / backend CPU):")
        for name, figure in result[kind].items():
            ok = figure["seconds"] < VIEW_TARGET_S
            misses += not ok
            cpu = f"{figure['backend_cpu_ms']:7.1f}" if figure["backend_cpu_ms"] is not None else "      -"
            spilled = f"  spilled {figure['temp_blocks_written']} blocks" if figure["temp_blocks_written"] else ""
            print(f"  {'ok  ' if ok else 'MISS'} {figure['seconds'] * 1000:8.1f} ms  server {figure['server_ms']:7.1f}"
                  f" / {cpu} ms  {figure['rows']:>7} rows  {name}{spilled}")
    ok = result["report_seconds"] < REPORT_TARGET_S
    misses += not ok
    print(f"\n{'ok  ' if ok else 'MISS'} report: {result['report_seconds'] * 1000:.0f} ms (target < 2 s)")
    result["targets_missed"] = misses
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"targets missed: {misses}; written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
