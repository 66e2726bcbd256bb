"""`python -m etl ...`: the same functions the DAG runs, from a terminal."""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

USAGE_ERROR = 2
INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.handler(args) or 0
    except UsageError as exc:
        parser.error(str(exc))  # exits with status 2
    except KeyboardInterrupt:
        # Every stage commits as it goes and a rerun resumes from the raw store: nothing to undo.
        print("\ninterrupted; the next run resumes", file=sys.stderr)
        return INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - a clear one-line error, not a traceback, for operators
        from etl.store.db import DatabaseUnavailable
        from etl.store.migrate import MigrationError
        from etl.pipeline import LoadFailed, SiteUnreachable
        from etl.setup import SetupMissing
        from etl.sources import SourcesError

        if isinstance(exc, (DatabaseUnavailable, SourcesError, LoadFailed, SiteUnreachable, MigrationError,
                            SetupMissing)):
            print(f"error: {exc}", file=sys.stderr)
            return 1
        raise


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("db", help="print the warehouse DSN in use (password masked); `db stop` stops the embedded one")
    p.add_argument("action", nargs="?", choices=("show", "stop"), default="show",
                   help="show (default): the DSN in use; stop: stop the embedded PostgreSQL of this directory")
    p.add_argument("--demo", action="store_true", help="with stop: the demo's embedded PostgreSQL (.etl/demo/)")
    p.set_defaults(handler=cmd_db)

    p = sub.add_parser("migrate", help="apply the SQL migrations not yet applied")
    p.set_defaults(handler=cmd_migrate)

    p = sub.add_parser("setup", help="what the DAGs need: the warehouse migrations and the Airflow connection "
                                      "etl_warehouse (from ETL_DATABASE_URL)")
    p.add_argument("--dsn", help="the warehouse (default: ETL_DATABASE_URL, else the embedded PostgreSQL)")
    p.add_argument("--no-airflow", action="store_true", help="only the migrations; leave Airflow alone")
    p.set_defaults(handler=cmd_setup)

    p = sub.add_parser("extract", help="print one JSON record per page, without a database")
    p.add_argument("paths", nargs="*", metavar="PATH", help=".html or .html.gz files")
    p.add_argument("--url", help="the URL the page was fetched from (one PATH only)")
    p.add_argument("--from-list", metavar="LIST", help="TSV of PATH<TAB>URL lines (URL may be empty)")
    p.add_argument("--config", metavar="SOURCES", help="sources file used to name the source (default: shipped)")
    p.add_argument("--no-events", action="store_true", help="skip event extraction")
    p.set_defaults(handler=cmd_extract)

    p = sub.add_parser("run", help="the whole pipeline for the sources of a file, without Airflow")
    p.add_argument("--config", metavar="SOURCES", help="sources file (default: dags/sources.yaml)")
    p.add_argument("--source", metavar="NAME", help="only this source")
    p.add_argument("--refresh", action="store_true", help="fetch article URLs already loaded again")
    p.add_argument("--json", action="store_true", help="one JSON object of statistics per source instead of a table")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("export", help="print records from the warehouse as JSON Lines")
    p.add_argument("--url", help="only the article with this canonical URL")
    p.add_argument("--source", metavar="NAME", help="only this source's articles")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("demo", help="serve the sample site, run the DAG once with `airflow dags test`, summarise")
    p.add_argument("--keep-running", action="store_true",
                   help="leave the demo's embedded PostgreSQL running afterwards (for report/check)")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("reprocess", help="re-extract every stored page with the current extractor (no network)")
    p.add_argument("--source", metavar="NAME", help="only this source's pages")
    p.add_argument("--config", metavar="SOURCES", help="sources file for selector overrides (default: shipped)")
    p.set_defaults(handler=cmd_reprocess)

    p = sub.add_parser("check", help="run the data quality checks on the sources of a file and record them; "
                                     "exit status 1 when an error, or a warning past its threshold, is found")
    p.add_argument("--source", metavar="NAME", help="only this source's rows")
    p.add_argument("--config", metavar="SOURCES", help="sources file: which sources should be running (default: shipped)")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("report", help="print the main reporting views")
    p.add_argument("--format", choices=("table", "csv", "html"), default="table",
                   help="html: one self-contained page with charts and sortable tables")
    p.add_argument("--output", metavar="PATH", help="write the report to PATH instead of printing it")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("sources", help="the sources file: check that each source finds articles on its site")
    sources_sub = p.add_subparsers(dest="sources_command", required=True)
    p = sources_sub.add_parser("check", help="read each source's listing pages, feeds and sitemaps (robots.txt "
                               "honoured) and report the articles found; exit status 1 when a source finds none")
    p.add_argument("--config", metavar="SOURCES", help="sources file (default: dags/sources.yaml)")
    p.add_argument("--source", metavar="NAME", help="only this source")
    p.add_argument("--max-listing-pages", type=int, default=2, metavar="N", help="per start URL (default 2)")
    p.add_argument("--max-requests", type=int, default=40, metavar="N", help="per source (default 40)")
    p.add_argument("--json", action="store_true", help="one JSON object per source instead of text")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(handler=cmd_sources_check)

    p = sub.add_parser("errors", help="list the pages failing now, by stage (cleared when they succeed)")
    p.add_argument("--source", metavar="NAME", help="only this source's pages")
    p.add_argument("--json", action="store_true", help="one JSON object per line instead of a table")
    p.set_defaults(handler=cmd_errors)
    return parser


def _print_json(record: dict) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def cmd_db(args) -> None:
    from etl.store.db import embedded_data_dir, mask_dsn, normalise_dsn, resolve_dsn, stop_embedded

    if args.action == "stop":
        from etl.demo import DEMO_DATA_DIR

        where = Path.cwd() / DEMO_DATA_DIR if args.demo else embedded_data_dir()
        print(f"stopped the embedded PostgreSQL at {where}" if stop_embedded(where)
              else f"no embedded PostgreSQL running at {where}")
        return
    dsn = resolve_dsn()
    normalise_dsn(dsn)  # an unreadable DSN is an error (DsnUnparseable), not something to print
    print(mask_dsn(dsn))


def cmd_migrate(args) -> None:
    from etl.store.migrate import migrate

    applied = migrate()
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))


def cmd_setup(args) -> None:
    from etl.setup import setup

    for line in setup(args.dsn, airflow=not args.no_airflow):
        print(line)


def cmd_extract(args) -> None:
    from etl.extract import extract_record
    from etl.record import empty_record
    from etl.sources import load_sources

    inputs = list(_extract_inputs(args))
    sources = load_sources(args.config)
    for path, url in inputs:
        try:
            body = _read_page(path)
        except OSError as exc:
            # Same shape as any other record that failed, so consumers need one parser.
            failed = empty_record(url)
            failed.update(error=f"cannot read {path}: {exc.strerror or exc}", error_class=type(exc).__name__)
            _print_json(failed)
            continue
        record = extract_record(body, url or None, sources=sources, with_events=not args.no_events)
        _print_json(record)


def _extract_inputs(args) -> Iterator[tuple[Path, str | None]]:
    if not args.paths and not args.from_list:
        raise UsageError("extract needs PATH... or --from-list LIST")
    if args.url and len(args.paths) != 1:
        raise UsageError("--url goes with exactly one PATH")
    for path in args.paths:
        yield Path(path), args.url
    if args.from_list:
        yield from _read_list(Path(args.from_list))


def _read_list(list_path: Path) -> Iterator[tuple[Path, str | None]]:
    try:
        lines = list_path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read list {list_path}: {exc.strerror or exc}") from exc
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        path_text, _, url = line.partition("\t")
        path = Path(path_text.strip())
        # Relative paths are relative to the list file, like most manifest formats.
        if not path.is_absolute() and (list_path.parent / path).exists():
            path = list_path.parent / path
        yield path, url.strip() or None


def _read_page(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError):
            return data  # not really gzip: let extraction say what it is
    return data


def cmd_run(args) -> int:
    import psycopg

    from etl.store import db
    from etl.store.migrate import migrate
    from etl.pipeline import LoadFailed, SiteUnreachable, run_source
    from etl.sources import get_source, load_sources

    sources = load_sources(args.config)
    selected = [get_source(sources, args.source)] if args.source else sources
    migrate()
    failed, summaries = 0, []
    for source in selected:
        try:
            summary = run_source(source, refresh=args.refresh)
        except (SiteUnreachable, LoadFailed, db.DatabaseUnavailable) as exc:
            # One site being down is no reason to skip the others; the exit status still says so.
            print(f"error: {exc}", file=sys.stderr)
            summary, failed = {"source": source.name, "error": str(exc)}, failed + 1
        except psycopg.OperationalError as exc:
            # The warehouse connection went away mid-run (terminated, server restarted): what was
            # stored is kept, the next run carries the rest over; the other sources still run.
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            message = (f"source {source.name}: lost the warehouse connection ({type(exc).__name__}: "
                       f"{db.mask_text(first, db.resolve_dsn())}); what was stored is kept and the next run resumes")
            print(f"error: {message}", file=sys.stderr)
            summary, failed = {"source": source.name, "error": message}, failed + 1
        summaries.append(summary)
        if args.json:
            _print_json(summary)
    if not args.json:
        _print_run_summary(summaries)
    return 1 if failed else 0


def _print_run_summary(summaries: list[dict]) -> None:
    from etl.store import db
    from etl.store.reporting import run_summary_table

    with db.connect() as conn:
        sys.stdout.write(run_summary_table(summaries, conn))


def cmd_export(args) -> None:
    from etl.store import db
    from etl.store.export import export_records

    with db.connect() as conn:
        for record in export_records(conn, url=args.url, source=args.source):
            _print_json(record)


def cmd_demo(args) -> int:
    from etl.demo import run_demo

    return run_demo(keep_running=args.keep_running)


def cmd_reprocess(args) -> None:
    from etl.store.migrate import migrate
    from etl.reprocess import reprocess
    from etl.sources import load_sources

    sources = load_sources(args.config)
    migrate()
    _print_json(reprocess(source=args.source, sources=sources))


def cmd_check(args) -> int:
    from etl.store import db
    from etl.store.checks import ChecksFailed, check_warehouse, configured_checks
    from etl.sources import load_sources_file

    settings = load_sources_file(args.config)
    configured_checks(settings.check_thresholds, settings.path)  # a bad `checks:` section: refused before any query
    with db.connect() as conn:
        if not _reporting_ready(conn):
            return 1
        try:
            # The sources of the file given are the ones checked (the demo's sample, a site's own file).
            results = check_warehouse(conn, settings.sources, args.source, only_configured=True,
                                      thresholds=settings.check_thresholds)
        except ChecksFailed as failed:
            results = failed.results
    for result in results:
        print(result.describe())
    return 1 if any(result.failed for result in results) else 0


def cmd_sources_check(args) -> int:
    from etl.crawl.probe import check_source, format_check
    from etl.sources import get_source, load_sources

    if args.max_listing_pages < 1 or args.max_requests < 1:
        raise UsageError("--max-listing-pages and --max-requests must be at least 1")
    sources = load_sources(args.config)
    selected = [get_source(sources, args.source)] if args.source else sources
    empty = []
    for source in selected:
        report = check_source(source, max_listing_pages=args.max_listing_pages, max_requests=args.max_requests)
        if args.json:
            _print_json(report.as_dict())
        else:
            print(format_check(report), flush=True)
        if not report.ok:
            empty.append(source.name)
    if empty:
        print(f"error: no article found for {len(empty)} of {len(selected)} sources: {', '.join(empty)}",
              file=sys.stderr)
    return 1 if empty else 0


def cmd_report(args) -> int:
    from etl.store import db
    from etl.store.reporting import render, render_html, report_tables

    with db.connect() as conn:
        if not _reporting_ready(conn):
            return 1
        conn.execute("SET jit = off")  # short queries: compiling them costs more than it saves
        text = render_html(conn) if args.format == "html" else render(report_tables(conn), args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _reporting_ready(conn) -> bool:
    if conn.execute("SELECT to_regclass('reporting.check_results') IS NOT NULL").fetchone()[0]:
        return True
    print("error: the warehouse has no reporting views yet: run `python -m etl migrate`", file=sys.stderr)
    return False


def cmd_errors(args) -> int:
    from tabulate import tabulate

    from etl.store import db
    from etl.store.errors import list_errors

    with db.connect() as conn:
        if conn.execute("SELECT to_regclass('raw.page_errors') IS NULL").fetchone()[0]:
            print("error: the warehouse has no errors table yet: run `python -m etl migrate`", file=sys.stderr)
            return 1
        page_errors = list_errors(conn, args.source)
    if args.json:
        for e in page_errors:
            _print_json({**e.__dict__, "first_failed_at": e.first_failed_at.isoformat(),
                         "last_failed_at": e.last_failed_at.isoformat()})
        return 0
    rows = [(e.source, e.stage, e.url, e.error_class, e.attempts, f"{e.first_failed_at:%Y-%m-%d %H:%M}",
             f"{e.last_failed_at:%Y-%m-%d %H:%M}", e.message if len(e.message) <= 100 else e.message[:99] + "…")
            for e in page_errors]
    print(tabulate(rows, headers=("source", "stage", "url", "error", "attempts", "first", "last", "message")))
    print(f"{len(rows)} page(s) failing")
    return 0
