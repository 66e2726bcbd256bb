"""`python -m etl report`: the main reporting views, as terminal tables or CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

FORMATS = ("table", "csv")
TOP_ROWS = 20


@dataclass(frozen=True)
class ReportView:
    title: str
    view: str
    columns: tuple[str, ...]
    order_by: str


REPORT_VIEWS = (
    ReportView("Source health", "reporting.source_health",
               ("source", "last_successful_run_at", "articles", "articles_per_day", "fetch_attempts",
                "fetch_error_rate", "last_error"), "source"),
    ReportView("Events by month", "reporting.events_by_month",
               ("month", "events", "reports", "participants", "countries"), "month DESC NULLS LAST"),
    ReportView("Events by type", "reporting.events_by_type",
               ("type", "events", "first_event", "last_event", "avg_participants"), "events DESC, type"),
    ReportView("Events by country and city", "reporting.events_by_place",
               ("country", "city", "events", "first_event", "last_event"), "events DESC, country, city"),
    ReportView("Organizer activity", "reporting.organizer_activity",
               ("organization", "events_organized", "first_event", "last_event", "countries"),
               "events_organized DESC, organization"),
    ReportView("Speaker appearances", "reporting.speaker_appearances",
               ("name", "events", "roles", "organizations", "languages"), "events DESC, name"),
)


@dataclass(frozen=True)
class ReportTable:
    title: str
    view: str
    columns: tuple[str, ...]
    rows: list[tuple]


def report_tables(conn, limit: int = TOP_ROWS) -> list[ReportTable]:
    """The first `limit` rows of each main reporting view."""
    tables = []
    for spec in REPORT_VIEWS:
        rows = conn.execute(
            f"SELECT {', '.join(spec.columns)} FROM {spec.view} ORDER BY {spec.order_by} LIMIT %s", (limit,)
        ).fetchall()
        tables.append(ReportTable(spec.title, spec.view, spec.columns, rows))
    return tables


def render(tables: list[ReportTable], fmt: str = "table") -> str:
    if fmt == "csv":
        return "\n".join(_csv_block(table) for table in tables)
    if fmt == "table":
        return "\n".join(_text_block(table) for table in tables)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def _text_block(table: ReportTable) -> str:
    from tabulate import tabulate

    heading = f"{table.title} ({table.view})"
    if not table.rows:
        body = "(no rows)"
    else:
        body = tabulate([[_cell(v, width=60) for v in row] for row in table.rows], headers=table.columns,
                        tablefmt="simple", disable_numparse=True)
    return f"{heading}\n{'=' * len(heading)}\n{body}\n"


def _csv_block(table: ReportTable) -> str:
    """One block per view: a `# view` line, the header, the rows (every block is valid CSV after its first line)."""
    out = io.StringIO()
    out.write(f"# {table.view}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([_cell(v) for v in row] for row in table.rows)
    return out.getvalue()


def _cell(value, width: int | None = None) -> str:
    if value is None:
        text = ""
    elif isinstance(value, list):
        text = ", ".join(_cell(v) for v in value)
    elif isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = str(value)
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return text
