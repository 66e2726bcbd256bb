"""Load benchmark: 10,000 generated records into an empty warehouse, then the same 10,000 again.

    .venv/bin/python -m tests.bench.bench_load [--records N] [--repeat N] [--output PATH]

Targets (issue 5): >= 2,000 records/s for the first load; the second at least 5x faster, changing
nothing. Uses ETL_BENCH_DATABASE_URL (a server where it may create a database) or an embedded
PostgreSQL in a temporary directory. Prints the figures and writes tests/bench/results/load.json; it
fails only if the second load changed something (speed is measured and reported, not asserted).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import psycopg

from etl.store.db import scratch_database
from etl.store.load import load_records
from etl.store.migrate import migrate

EXTRACTOR_VERSION = "bench"
RESULTS = Path(__file__).parent / "results" / "load.json"
_WORDS_EN = ("conference security cooperation integration forum economic strategic dialogue region policy "
             "development research institute experts round table summit partnership energy trade digital").split()
_WORDS_RU = ("конференция безопасность сотрудничество интеграция форум экономический стратегический диалог "
             "регион политика развитие исследование институт эксперты саммит партнёрство энергетика").split()
_CITIES = (("Minsk", "BY"), ("Moscow", "RU"), ("Astana", "KZ"), ("Tashkent", "UZ"), ("Baku", "AZ"))
_TYPES = ("conference", "forum", "round table", "seminar", "meeting", "summit")
_ORGANIZERS = (("Belarusian Institute of Strategic Research", "BISR"), ("Institute of Economics", None),
               ("Centre for Strategic Studies", "CSS"), ("Eurasian Analytical Club", None))
_PEOPLE = ("Oleg Makarov", "Anna Ivanova", "Yerlan Karin", "Sergei Petrov", "Dilnoza Umarova", "Ivan Sidorov")


def generated_records(count: int, seed: int = 5) -> list[tuple[int | None, datetime, datetime, dict]]:
    """`count` plausible records (EN/RU, 4-8 paragraphs, one event with organizers and speakers)."""
    rng = random.Random(seed)
    fetched = datetime(2024, 6, 1, tzinfo=timezone.utc)
    rows = []
    for n in range(count):
        language = "ru" if n % 3 == 0 else "en"
        words = _WORDS_RU if language == "ru" else _WORDS_EN
        sentence = lambda k: " ".join(rng.choice(words) for _ in range(k)).capitalize() + "."  # noqa: E731
        city, country = rng.choice(_CITIES)
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(3500))
        organizer, acronym = rng.choice(_ORGANIZERS)
        record = {
            "url": f"https://bench.example/{language}/news/{n}.html",
            "source": f"bench{n % 4}",
            "language": language,
            "title": sentence(8),
            "alt_titles": {},
            "published_at": start.isoformat(),
            "translation_of_url": None,
            "body_paragraphs": [" ".join(sentence(12) for _ in range(3)) for _ in range(rng.randint(4, 8))],
            "countries_mentioned": sorted({country, rng.choice(_CITIES)[1]}),
            "events": [{
                "name": sentence(5).rstrip("."),
                "type": rng.choice(_TYPES),
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=rng.randint(0, 2))).isoformat(),
                "city": city, "city_as_written": city, "country": country,
                "format": rng.choice(("offline", "online", "hybrid")),
                "occasion": None,
                "organizers": [{"name": organizer, "acronym": acronym}],
                "participants_count": rng.randint(10, 300),
                "countries_count": rng.randint(1, 20),
                "sessions": [{"name": "Plenary session", "kind": "plenary", "format": None}],
                "speakers": [{"name": name, "role": "speaker", "organization": organizer,
                              "session": "Plenary session"} for name in rng.sample(_PEOPLE, 2)],
            }],
        }
        rows.append((None, fetched, fetched, record))
    return rows


def warehouse_fingerprint(conn) -> dict[str, str]:
    """An md5 of every row of every core table: equal fingerprints mean nothing changed."""
    tables = [r[0] for r in conn.execute(
        "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables "
        "WHERE table_schema = 'core' AND table_type = 'BASE TABLE' ORDER BY 1")]
    return {t: conn.execute(f"SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') "
                            f"FROM {t} x").fetchone()[0] for t in tables}


@contextmanager
def bench_database():
    server = os.environ.get("ETL_BENCH_DATABASE_URL")
    tmp = embedded = None
    if not server:
        tmp = tempfile.TemporaryDirectory(prefix="etl-bench-pg-")
        embedded = _embedded_server(os.path.join(tmp.name, "data"))
        server = embedded.get_uri()
    try:
        with scratch_database(server, "etl_bench") as dsn:
            yield dsn
    finally:
        if embedded is not None:
            embedded.cleanup()  # stops the server this benchmark started
            tmp.cleanup()


def _embedded_server(data_dir: str):
    import warnings

    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import; harmless here
        warnings.simplefilter("ignore")
        import pgserver
    return pgserver.get_server(data_dir, cleanup_mode="stop")


def load_twice(count: int) -> dict:
    """One measurement: a fresh warehouse, the first load, then the same records again."""
    rows = generated_records(count)
    with bench_database() as dsn:
        migrate(dsn)
        with psycopg.connect(dsn) as conn:
            started = time.perf_counter()
            first_counts = load_records(conn, rows, EXTRACTOR_VERSION)
            first = time.perf_counter() - started
            before = warehouse_fingerprint(conn)
            started = time.perf_counter()
            second_counts = load_records(conn, rows, EXTRACTOR_VERSION)
            second = time.perf_counter() - started
            after = warehouse_fingerprint(conn)
    if before != after or second_counts["articles_unchanged"] != count:
        raise AssertionError(f"the second load changed the warehouse: {second_counts}")
    return {"first_load_s": round(first, 3), "second_load_s": round(second, 3),
            "first_counts": first_counts, "second_counts": second_counts}


def run(count: int, repeat: int) -> dict:
    """`repeat` measurements (the machine may be shared); figures are their medians."""
    load_before = os.getloadavg()[0]
    runs = [load_twice(count) for _ in range(repeat)]
    first = statistics.median(r["first_load_s"] for r in runs)
    second = statistics.median(r["second_load_s"] for r in runs)
    return {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_average_before": round(load_before, 2)},
        "records": count, "repeat": repeat,
        "first_load_s": first, "first_load_records_per_s": round(count / first),
        "second_load_s": second, "second_load_records_per_s": round(count / second),
        "second_faster_x": round(first / second, 1),
        "targets_met": count / first >= 2000 and first / second >= 5,
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_load", description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="measurements; the medians are reported")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    result = run(args.records, args.repeat)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"load benchmark: {result['records']} records, median of {result['repeat']} runs "
          f"(load average {result['machine']['load_average_before']} on {result['machine']['cpus']} cpus)")
    print(f"  first load : {result['first_load_s']:.2f} s = {result['first_load_records_per_s']} records/s"
          f"  (target >= 2000)")
    print(f"  second load: {result['second_load_s']:.2f} s = {result['second_load_records_per_s']} records/s,"
          f" {result['second_faster_x']}x faster than the first (target >= 5x), changed nothing")
    print(f"  results in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
