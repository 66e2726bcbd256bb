"""Event extraction and countries: the reference case and the event fixtures (tests/fixtures/events),
scored with the reference README's rules, plus the date and place forms they rely on."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REFERENCE
from etl.events.dates import find_dates
from etl.extract import extract_record
from etl.geo import countries_mentioned, find_cities, resolve_city

EVENT_FIXTURES = FIXTURES / "events"

# Scoring (shared/reference/README.md): text after NFC and collapsed white space; names by
# similarity >= 0.9 after case folding and stripping surrounding quotes; dates, counts, codes exact.
_NAME_FIELDS = {"name", "organization", "session"}
_EXACT_FIELDS = {"type", "start_date", "end_date", "city", "city_as_written", "country", "format", "occasion",
                 "participants_count", "countries_count", "role", "kind", "acronym"}


def _text(value):
    if not isinstance(value, str):
        return value
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


def _name_key(value: str) -> str:
    return _text(value).strip("\"'«»“”„ ").casefold()


def names_match(got, expected) -> bool:
    if got is None or expected is None:
        return got is expected
    return difflib.SequenceMatcher(None, _name_key(got), _name_key(expected)).ratio() >= 0.9


def mismatches(got, expected, path: str = "events") -> list[str]:
    """Where `got` differs from `expected` under the scoring rules (empty list: they match)."""
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {got!r}"]
        return [m for i, (g, e) in enumerate(zip(got, expected)) for m in mismatches(g, e, f"{path}[{i}]")]
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{path}: expected an object, got {got!r}"]
        problems = [f"{path}.{key}: unexpected field" for key in got if key not in expected and got[key] is not None]
        for key, value in expected.items():
            where = f"{path}.{key}"
            if isinstance(value, (list, dict)):
                problems += mismatches(got.get(key), value, where)
            elif key in _NAME_FIELDS:
                if not names_match(got.get(key), value):
                    problems.append(f"{where}: {got.get(key)!r} != {value!r}")
            elif _text(got.get(key)) != _text(value):
                problems.append(f"{where}: {got.get(key)!r} != {value!r}")
        return problems
    return [] if _text(got) == _text(expected) else [f"{path}: {got!r} != {expected!r}"]


def test_scorer_tolerates_small_name_differences_only():
    expected = [{"name": "Leadership. Stability. Progress", "start_date": "2021-12-10", "sessions": [{"name": "History Lessons"}]}]
    assert mismatches([{"name": "«leadership. stability. progress»", "start_date": "2021-12-10",
                        "sessions": [{"name": "History lessons", "format": None}]}], expected) == []
    assert mismatches([{"name": "Leadership", "start_date": "2021-12-10", "sessions": [{"name": "History Lessons"}]}],
                      expected) == ["events[0].name: 'Leadership' != 'Leadership. Stability. Progress'"]
    assert mismatches([{"name": "Leadership. Stability. Progress", "start_date": "2021-12-11",
                        "sessions": [{"name": "History Lessons", "kind": "panel"}]}], expected) == [
        "events[0].start_date: '2021-12-11' != '2021-12-10'", "events[0].sessions[0].kind: unexpected field"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_reference_page_events_and_countries_match_gold_exactly(language):
    gold = json.loads((REFERENCE / f"expected.{language}.json").read_text(encoding="utf-8"))
    record = extract_record((REFERENCE / f"page.{language}.html").read_bytes(), gold["url"])
    assert mismatches(record["events"], gold["events"]) == []
    assert record["events"] == gold["events"]
    assert record["countries_mentioned"] == gold["countries_mentioned"]


def _fixture_names() -> list[str]:
    return sorted(p.name[: -len(".expected.json")] for p in EVENT_FIXTURES.glob("*.expected.json"))


def test_fixture_suite_covers_the_required_cases():
    names = _fixture_names()
    assert len(names) >= 15
    assert {n[:2] for n in names} == {"en", "ru", "kk"}  # Kazakh: the proof pack (issue 11)
    assert sum(n.startswith("kk") for n in names) >= 2


@pytest.mark.parametrize("name", _fixture_names())
def test_fixture_events(name):
    expected = json.loads((EVENT_FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    record = extract_record((EVENT_FIXTURES / f"{name}.html").read_bytes(), expected["url"])
    assert record.get("error") is None
    assert record["language"] == expected["language"]
    assert record["published_at"] == expected["published_at"]
    assert mismatches(record["events"], expected["events"]) == []
    assert record["countries_mentioned"] == expected["countries_mentioned"]


def test_extract_without_events_leaves_them_out():
    gold = json.loads((REFERENCE / "expected.en.json").read_text(encoding="utf-8"))
    record = extract_record((REFERENCE / "page.en.html").read_bytes(), gold["url"], with_events=False)
    assert record["events"] == []
    assert record["countries_mentioned"] == ["BY", "KZ"]


@pytest.mark.parametrize("text, language, default_year, expected", [
    ("On December 10, 2021, Nur-Sultan hosted", "en", None, ("2021-12-10", "2021-12-10")),
    ("held on 14-15 March 2022 in Minsk", "en", None, ("2022-03-14", "2022-03-15")),
    ("from 30 November to 2 December", "en", 2021, ("2021-11-30", "2021-12-02")),
    ("March 30 – April 2, 2022", "en", None, ("2022-03-30", "2022-04-02")),
    ("с 14 по 15 марта", "ru", 2022, ("2022-03-14", "2022-03-15")),
    ("с 30 декабря 2021 года по 2 января 2022 года", "ru", None, ("2021-12-30", "2022-01-02")),
    ("30 December 2021 to 2 January", "en", None, ("2021-12-30", "2022-01-02")),
    ("С 30 сентября по 1 октября 2021 года", "ru", None, ("2021-09-30", "2021-10-01")),
    ("10.12.2021 в Минске", "ru", None, ("2021-12-10", "2021-12-10")),
    ("5 октября пройдет", "ru", None, None),  # no year anywhere: never guessed
])
def test_date_forms(text, language, default_year, expected):
    spans = find_dates(text, language, default_year)
    got = (spans[0].start.isoformat(), spans[0].end.isoformat()) if spans else None
    assert got == expected


def test_places_in_any_case_form_and_historical_names():
    assert [(m.group(0), c.name, c.country) for m, c in find_cities("прошла в Нур-Султане и в Минске", "ru")] == [
        ("Нур-Султане", "Astana", "KZ"), ("Минске", "Minsk", "BY")]
    assert resolve_city("Nur-Sultan", "en").name == "Astana"
    assert resolve_city("Алма-Аты", "ru").name == "Almaty"
    assert resolve_city("Череповце", "ru").name == "Cherepovets"  # GeoNames, via the pymorphy lemma
    assert countries_mentioned(["Схожий характер развития Беларуси и Казахстана, Южной Кореи и США."], "ru") == \
        ["BY", "KR", "KZ", "US"]
    assert countries_mentioned(["Kazakhstan's experience and the Republic of Belarus; a turkey dinner on china plates"],
                               "en") == ["BY", "KZ"]


def test_page_stated_place_gives_the_main_event_city():
    from lxml import html as lxml_html

    from etl.events import extract_events
    from etl.extract.dateline import stated_place
    from etl.record import Article

    microformat = lxml_html.fromstring('<html><body><article class="h-entry"><h1>Meeting</h1>'
                                       '<div class="read__place p-location"><i></i> Novo-Ogaryovo, Moscow Region </div>'
                                       '</article></body></html>')
    assert stated_place(microformat) == "Novo-Ogaryovo, Moscow Region"
    json_ld = lxml_html.fromstring('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
                                   '"contentLocation": {"@type": "Place", "name": "Minsk"}}</script></head>'
                                   '<body><p>x</p></body></html>')
    assert stated_place(json_ld) == "Minsk"
    assert stated_place(lxml_html.fromstring("<html><body><p>No place here.</p></body></html>")) is None

    article = Article(url=None, language="en", title="Meeting with Minister of Agriculture Dmitry Patrushev",
                      published_at="2020-01-24",
                      body_paragraphs=["The discussion focused on the results of the year in agriculture."])
    assert extract_events(article)[0]["city"] is None  # the body names no place: never guessed
    article.place = "The Kremlin, Moscow"
    event = extract_events(article)[0]
    assert (event["type"], event["city"], event["city_as_written"], event["country"]) == \
        ("meeting", "Moscow", "Moscow", "RU")
    article.place = "Novo-Ogaryovo, Moscow Region"
    event = extract_events(article)[0]
    assert (event["city"], event["country"]) == ("Novo-Ogaryovo", "RU")


_WORDS = ["On", "10", "December", "2021", "декабря", "с", "по", "14-15", "March", "conference", "форум",
          "круглый стол", "«Лидерство»", '"Progress"', "in", "в", "Minsk", "Минске", "Нур-Султане", "held",
          "состоялся", "organized by", "Организаторами выступили", "BISR", "БИСИ", "Director", "Директор",
          "Oleg Makarov", "Олег Макаров", "online", "онлайн-сессии", "plenary session", "attended by 500",
          "из 12 стран", "dedicated to the 30th anniversary", ",", ".", "и", "and", "(", ")", "«", '"', "—"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join), max_size=6),
       st.sampled_from(["en", "ru", None]), st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_any_text_gives_well_formed_events(paragraphs, language, published_at):
    from etl.events import EVENT_FIELDS, extract_events
    from etl.record import Article

    events = extract_events(Article(url=None, language=language, title=None, published_at=published_at,
                                    body_paragraphs=paragraphs))
    assert isinstance(events, list)
    for event in events:
        assert tuple(event) == EVENT_FIELDS
        if event["start_date"] is not None and event["end_date"] is not None:  # either may be unstated
            assert event["end_date"] >= event["start_date"]
        assert event["format"] in (None, "offline", "online", "hybrid")
        assert all(o.get("name") for o in event["organizers"])
        assert all(s.get("name") and s.get("kind") for s in event["sessions"])
        assert all(set(s) == {"name", "role", "organization", "session"} for s in event["speakers"])
