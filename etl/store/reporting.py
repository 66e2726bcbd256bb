"""`python -m etl report`: the main reporting views, as terminal tables, CSV, or one HTML page with charts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

FORMATS = ("table", "csv", "html")
TOP_ROWS = 20


@dataclass(frozen=True)
class ReportView:
    title: str
    view: str
    columns: tuple[str, ...]
    order_by: str
    where: str = "true"


REPORT_VIEWS = (
    ReportView("Source health", "reporting.source_health",
               ("source", "last_successful_run_at", "articles", "articles_per_day", "fetch_attempts",
                "fetch_error_rate", "check_warnings", "check_failures", "last_error"), "source"),
    ReportView("Data quality checks (latest run)", "reporting.check_results",
               ("check_name", "source", "status", "offending", "threshold", "checked_at"),
               "status = 'ok', check_name, source NULLS FIRST"),
    # One row per event (its reports in two languages merged), the newest first.
    ReportView("Latest events", "reporting.events",
               ("start_date", "event_title", "type", "city", "country", "organizers", "speaker_names"),
               "start_date DESC NULLS LAST, event_key",
               where="first_report"),
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
            f"SELECT {', '.join(spec.columns)} FROM {spec.view} WHERE {spec.where} ORDER BY {spec.order_by} LIMIT %s",
            (limit,)
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


# ---------------------------------------------------------------- HTML

# Charts of the HTML report: (element id, title, SQL of (label, value) rows, horizontal bars?).
CHARTS = (
    ("chart-events-per-month", "Events per month",
     "SELECT month::text, events FROM reporting.events_by_month ORDER BY month", False),
    ("chart-events-by-country", "Events by country",
     """SELECT coalesce(country, '(not stated)'), count(DISTINCT event_key) FROM reporting.events
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30""", False),
    ("chart-events-by-type", "Events by type",
     "SELECT coalesce(type, '(not stated)'), events FROM reporting.events_by_type ORDER BY events DESC, 1", False),
    ("chart-top-organizers", "Top organizers (events)",
     "SELECT organization, events_organized FROM reporting.organizer_activity "
     "ORDER BY events_organized DESC, organization LIMIT 15", True),
    ("chart-top-speakers", "Top speakers (events)",
     "SELECT name, events FROM reporting.speaker_appearances ORDER BY events DESC, name LIMIT 15", True),
)

# Click a column header to sort by it (again: the other way). `#sort=TABLE:COLUMN[:desc]` in the URL
# sorts on load, so a sorted view can be linked to.
_SORT_JS = r"""
function sortTable(table, column, descending) {
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const key = (row) => row.cells[column].dataset.sort ?? row.cells[column].textContent;
  const numeric = rows.every((row) => key(row) === '' || !isNaN(Number(key(row))));
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const order = numeric ? (Number(x) - Number(y)) : x.localeCompare(y);
    return descending ? -order : order;
  });
  rows.forEach((row) => body.appendChild(row));
  table.querySelectorAll('th').forEach((th, i) => {
    th.setAttribute('aria-sort', i === column ? (descending ? 'descending' : 'ascending') : 'none');
  });
}
document.querySelectorAll('table.sortable').forEach((table) => {
  table.querySelectorAll('th').forEach((th, i) => {
    th.addEventListener('click', () => sortTable(table, i, th.getAttribute('aria-sort') === 'ascending'));
  });
});
const wanted = /#sort=([\w-]+):(\w+)(:desc)?/.exec(decodeURIComponent(location.hash));
if (wanted) {
  const table = document.getElementById(wanted[1]);
  if (table) {
    const names = Array.from(table.querySelectorAll('th')).map((th) => th.dataset.column);
    if (names.includes(wanted[2])) sortTable(table, names.indexOf(wanted[2]), Boolean(wanted[3]));
  }
}
"""

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { margin-bottom: 0.2em; } .generated { color: #666; margin-top: 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1em; }
.chart { border: 1px solid #ddd; border-radius: 6px; padding: 0.5em; }
table { border-collapse: collapse; margin: 0.5em 0 2em; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " \\25B2"; } th[aria-sort=descending]::after { content: " \\25BC"; }
tr:nth-child(even) td { background: #fafafa; }
"""


def render_html(conn, limit: int = TOP_ROWS) -> str:
    """One self-contained page: the charts (plotly, its JavaScript inline: works offline) and the
    report's tables, sortable."""
    import html
    from datetime import datetime, timezone

    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    charts = []
    for element_id, title, sql, horizontal in CHARTS:
        rows = conn.execute(sql).fetchall()
        labels, values = [r[0] for r in rows], [r[1] for r in rows]
        bar = go.Bar(y=labels[::-1], x=values[::-1], orientation="h") if horizontal else go.Bar(x=labels, y=values)
        figure = go.Figure(bar, layout=go.Layout(title=title, height=380, margin=dict(l=40, r=20, t=50, b=40)))
        if horizontal:
            figure.update_yaxes(automargin=True)
        charts.append(f'<div class="chart" data-points="{len(rows)}">'
                      + figure.to_html(full_html=False, include_plotlyjs=False, div_id=element_id,
                                       config={"displaylogo": False, "responsive": True})
                      + "</div>")
    tables = []
    for table in report_tables(conn, limit):
        table_id = "table-" + table.view.split(".")[-1].replace("_", "-")
        head = "".join(f'<th data-column="{html.escape(c)}">{html.escape(c)}</th>' for c in table.columns)
        body = "".join("<tr>" + "".join(_html_cell(v) for v in row) + "</tr>" for row in table.rows)
        if not table.rows:
            body = f'<tr><td colspan="{len(table.columns)}">(no rows)</td></tr>'
        tables.append(f"<h2>{html.escape(table.title)} <small>({html.escape(table.view)})</small></h2>"
                      f'<table class="sortable" id="{table_id}"><thead><tr>{head}</tr></thead>'
                      f"<tbody>{body}</tbody></table>")
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Think-tank events report</title>"
            f"<style>{_CSS}</style><script>{get_plotlyjs()}</script></head><body>"
            f'<h1>Think-tank events report</h1><p class="generated">Generated {generated}</p>'
            f'<div class="charts">{"".join(charts)}</div>{"".join(tables)}'
            f"<script>{_SORT_JS}</script></body></html>\n")


def _html_cell(value) -> str:
    import html

    text = html.escape(_cell(value))
    # Numbers and dates sort by their value, not by their text.
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f'<td data-sort="{value}">{text}</td>'
    return f"<td>{text}</td>"


# ---------------------------------------------------------------- `run`'s summary

RUN_COLUMNS = ("source", "discovered", "fetched", "unchanged", "skipped", "failed", "loaded", "events")


def run_summary_table(summaries: list[dict], conn=None) -> str:
    """What `run` did, one line per source: discovered, fetched, unchanged, skipped (by reason),
    failed, loaded (new or changed articles) and the events of the articles the run fetched."""
    from tabulate import tabulate

    lines = []
    for summary in summaries:
        if "error" in summary and "batch_id" not in summary:
            lines.append([summary["source"], "", "", "", "", "", "", "", summary["error"]])
            continue
        reasons = {key.removeprefix("skipped_"): n for key, n in summary.items()
                   if (key.startswith("skipped_") or key == "refused_url") and n}
        skipped = ", ".join(f"{reason}: {n}" for reason, n in sorted(reasons.items())) or "0"
        loaded = summary.get("inserted", 0) + summary.get("updated", 0)
        loaded_text = f"{loaded} ({summary.get('inserted', 0)} new)" if loaded else "0"
        events = _batch_events(conn, summary.get("batch_id")) if conn is not None else ""
        failed = summary.get("failed", 0) + summary.get("extract_errors", 0) + summary.get("load_errors", 0)
        lines.append([summary["source"], summary.get("discovered", 0), summary.get("fetched", 0),
                      summary.get("unchanged", 0) + summary.get("articles_unchanged", 0), skipped, failed,
                      loaded_text, events, summary.get("error", "")])
    headers = list(RUN_COLUMNS) + ["error"]
    if not any(line[-1] for line in lines):
        headers, lines = headers[:-1], [line[:-1] for line in lines]
    return tabulate(lines, headers=headers, tablefmt="simple", disable_numparse=True) + "\n"


def _batch_events(conn, batch_id: int | None) -> int | str:
    if batch_id is None:
        return ""
    return conn.execute(
        """SELECT count(*) FROM core.events e JOIN core.articles a USING (article_id)
           WHERE a.page_id IN (SELECT page_id FROM raw.batch_urls WHERE batch_id = %s AND page_id IS NOT NULL)""",
        (batch_id,)).fetchone()[0]
