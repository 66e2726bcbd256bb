"""`report --format html` opened in a real browser (headless Chromium): charts drawn, tables sortable."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from test_reporting import etl_cli, loaded_sample  # noqa: F401 - the fixture

CHART_IDS = ("chart-events-per-month", "chart-events-by-country", "chart-events-by-type", "chart-top-organizers",
             "chart-top-speakers")
PLOTLY_BLUE = (0x63, 0x6E, 0xFA)  # plotly's first trace colour


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise AssertionError("headless Chromium is needed (Debian: apt-get install -y chromium; .ci/run installs it)")


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--virtual-time-budget=15000", *args]
    # timeout: a browser that hangs must not hang the suite (the process is killed with it)
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


@pytest.fixture
def report_page(loaded_sample, tmp_path) -> Path:  # noqa: F811
    page = tmp_path / "report.html"
    etl_cli("report", "--format", "html", "--output", str(page))
    return page


def test_the_html_page_is_self_contained(report_page):
    text = report_page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # Nothing is fetched: no external script, stylesheet or image (plotly's JavaScript is inline).
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)
    assert "Plotly" in text and "Leadership. Stability. Progress" in text


def test_the_browser_draws_every_chart_and_the_tables(report_page, tmp_path):
    dom = run_chromium(tmp_path, "--dump-dom", report_page.as_uri()).stdout
    for chart_id in CHART_IDS:
        # After the scripts ran, each chart is an SVG with one bar per row of its data.
        start = dom.index(f'id="{chart_id}"')
        chart = dom[start:dom.find('class="chart"', start + 1) if 'class="chart"' in dom[start + 1:] else len(dom)]
        assert "main-svg" in chart, chart_id
        assert len(re.findall(r'class="point"', chart)) >= 1, chart_id
    months = dom[dom.index('id="chart-events-per-month"'):dom.index('id="chart-events-by-country"')]
    assert len(re.findall(r'class="point"', months)) == 2  # 2021-12 and 2022-03
    # The tables are there, with the events by name.
    latest = dom[dom.index('id="table-events"'):]
    latest = latest[:latest.index("</table>")]
    assert "Regional Security in Eastern Europe" in latest and "Leadership. Stability. Progress" in latest


def test_a_table_sorts_by_a_column(report_page, tmp_path):
    def first_organizer(url: str) -> str:
        dom = run_chromium(tmp_path, "--dump-dom", url).stdout
        table = dom[dom.index('id="table-organizer-activity"'):]
        return re.search(r"<tbody><tr><td>([^<]*)</td>", table).group(1)

    assert first_organizer(report_page.as_uri()) == "Belarusian Institute of Strategic Research"
    assert first_organizer(report_page.as_uri() + "#sort=table-organizer-activity:organization:desc") == \
        "Nursultan Nazarbayev Foundation"


def test_a_screenshot_shows_the_charts(report_page, tmp_path):
    shot = tmp_path / "report.png"
    run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1400", report_page.as_uri())
    width, height, pixels = read_png(shot)
    assert (width, height) == (1280, 1400)
    white = sum(1 for p in pixels if p[:3] == (255, 255, 255))
    blue = sum(1 for p in pixels if all(abs(a - b) <= 8 for a, b in zip(p[:3], PLOTLY_BLUE)))
    assert white < 0.97 * len(pixels)  # not a blank page
    assert blue > 2000  # the bars of the charts are drawn


def read_png(path: Path) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and pixels of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunk = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    width, height, depth, color_type = header[:4]
    assert depth == 8 and color_type in (2, 6)
    channels = 3 if color_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(line)
        previous = line
    pixels = [tuple(row[x * channels:(x + 1) * channels]) for row in rows for x in range(width)]
    return width, height, pixels
