"""`python -m etl extract`: the stable command-line interface other tools drive."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

from conftest import PROJECT_DIR, REFERENCE
from gold import assert_gold_article_fields, gold_record


def extract(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "extract", *args], cwd=PROJECT_DIR,
                          capture_output=True, text=True)


def test_reference_pages_give_the_gold_records_in_order_from_html_and_gzip(tmp_path):
    gz = tmp_path / "page.ru.html.gz"
    gz.write_bytes(gzip.compress((REFERENCE / "page.ru.html").read_bytes()))
    result = extract(str(REFERENCE / "page.en.html"), str(gz))
    assert result.returncode == 0, result.stderr
    en, ru = (json.loads(line) for line in result.stdout.splitlines())
    for record, language in ((en, "en"), (ru, "ru")):
        gold = gold_record(language)
        assert_gold_article_fields(record, gold)
        assert record["events"] == gold["events"]


def test_from_list_uses_the_given_url_or_the_pages_canonical(tmp_path):
    page = tmp_path / "no-canonical.html"
    page.write_text("<html lang=en><head><title>A note | Site</title></head><body><article><h1>A note</h1>"
                    "<p>The Valdai Club met in Sochi to discuss the multipolar world and its prospects.</p>"
                    "</article></body></html>", encoding="utf-8")
    listing = tmp_path / "pages.tsv"
    listing.write_text(f"{page.name}\thttps://valdaiclub.com/a/highlights/a-note/\n"
                       f"{REFERENCE / 'page.en.html'}\t\n", encoding="utf-8")
    result = extract("--from-list", str(listing))
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["url"] == "https://valdaiclub.com/a/highlights/a-note/"
    assert first["source"] == "valdai" and first["title"] == "A note"
    assert second["url"] == gold_record("en")["url"] and second["source"] == "bisr"


def test_bad_input_gives_a_line_per_page_and_never_a_crash(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    cp1251 = tmp_path / "cp1251.html"
    cp1251.write_bytes("<html><head><title>Круглый стол</title></head><body><article><h1>Круглый стол в Минске</h1>"
                       "<p>Эксперты Беларуси и России обсудили вопросы региональной безопасности в Минске.</p>"
                       "</article></body></html>".encode("cp1251"))
    truncated = tmp_path / "truncated.html"
    truncated.write_bytes((REFERENCE / "page.en.html").read_bytes()[:5200])
    missing = tmp_path / "missing.html"

    result = extract(*(str(p) for p in (empty, binary, cp1251, truncated, missing)))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 5
    assert records[0].get("error") and records[1].get("error") and records[4].get("error")
    assert set(records[4]) == set(records[0]) and records[4]["error_class"] == "FileNotFoundError"
    assert records[2]["title"] == "Круглый стол в Минске" and records[2]["language"] == "ru"
    assert "Минске" in records[2]["body_paragraphs"][0]
    assert records[3].get("error") or records[3]["body_paragraphs"][0].startswith("On December 10, 2021")


def test_usage_errors_exit_non_zero():
    assert extract().returncode == 2
    assert extract("--url", "https://example.org/", "a.html", "b.html").returncode == 2
