"""Article extraction: the reference pages give the gold article fields; bad input never crashes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from htmldate import find_date
from lxml import html as lxml_html

from conftest import FIXTURES, REFERENCE
from etl.extract import extract_record
from etl.extract.article import ExtractionError, decode_html, extract_article
from etl.extract.quotes import repair_quotes
from gold import assert_gold_article_fields, gold_record

PAGES = FIXTURES / "pages"
ARTICLE_FIELDS = ("url", "language", "title", "alt_titles", "published_at", "translation_of_url",
                  "body_paragraphs")


def page_paragraphs(path) -> list[str]:
    """The paragraphs of the page's body field, read straight from its markup."""
    tree = lxml_html.fromstring(path.read_bytes())
    return [" ".join(p.text_content().split())
            for p in tree.xpath("//div[contains(@class, 'field--name-body')]/p")]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_reference_pages_give_the_gold_article_fields(language):
    page = REFERENCE / f"page.{language}.html"
    gold = gold_record(language)

    article = extract_article(page.read_bytes(), "https://bisr.gov.by/some/other/address")
    for field in ARTICLE_FIELDS:
        if field == "body_paragraphs" and gold[field] is None:
            assert article.body_paragraphs == page_paragraphs(page)
            assert len(article.body_paragraphs) == 13
        else:
            assert getattr(article, field) == gold[field], field

    record = extract_record(page.read_bytes(), None, source="bisr")  # source naming: not ours
    assert_gold_article_fields(record, gold)
    assert "error" not in record


def test_bad_input_gives_a_clear_error_or_a_best_effort_article():
    with pytest.raises(ExtractionError, match="empty input"):
        extract_article((PAGES / "empty.html").read_bytes())
    with pytest.raises(ExtractionError, match="not HTML: the input is a PNG image"):
        extract_article((PAGES / "binary.png").read_bytes())
    with pytest.raises(ExtractionError, match="not HTML"):
        extract_article("just a line of plain text, no markup at all")

    record = extract_record((PAGES / "binary.png").read_bytes(), "https://example.org/logo.png")
    assert record["error"] == "not HTML: the input is a PNG image"
    assert record["url"] == "https://example.org/logo.png" and record["body_paragraphs"] == []

    # windows-1251 without any charset declaration: detected, not mojibake.
    russian = extract_article((PAGES / "cp1251_no_charset.html").read_bytes())
    assert russian.title == "Круглый стол о транзите через Каспий"
    assert russian.language == "ru"
    assert russian.body_paragraphs[2].startswith("Следующая встреча пройдет весной, её тема —")

    truncated = extract_article((PAGES / "truncated.html").read_bytes())
    assert truncated.title == "Notes from the Minsk expert club"
    assert len(truncated.body_paragraphs) == 2
    assert truncated.body_paragraphs[1].endswith("the value of the goods carri")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(0, 20000), noise=st.lists(st.tuples(st.integers(0, 20000),
                                                          st.integers(0, 255)), max_size=40))
def test_corrupted_pages_give_an_article_or_an_extraction_error(cut, noise):
    page = bytearray((REFERENCE / "page.ru.html").read_bytes())
    for position, byte in noise:
        page[position % len(page)] = byte
    try:
        article = extract_article(bytes(page[:cut]), "https://bisr.gov.by/x")
    except ExtractionError as exc:
        assert str(exc)
    else:
        assert all(isinstance(p, str) and p for p in article.body_paragraphs)


def test_huge_and_deeply_nested_markup_does_not_crash():
    deep = "<html><body>" + "<div>" * 20000 + "<p>Deep text of the nested page.</p>" \
        + "</div>" * 20000 + "</body></html>"
    with pytest.raises(ExtractionError, match="too deeply nested"):
        extract_article(deep)
    shallow_text_then_deep = deep.replace("<body>", "<body><h1>Still readable</h1>")
    assert extract_article(shallow_text_then_deep).title == "Still readable"

    paragraph = "<p>" + "A long sentence about regional trade and transport costs, " * 5 + "</p>"
    huge = "<html><body><article><h1>Big page</h1>" + paragraph * 5000 + "</article></body></html>"
    article = extract_article(huge)
    assert article.title == "Big page" and len(article.body_paragraphs) == 5000


def test_published_date_comes_from_the_article_never_from_sidebars_teasers_or_the_text():
    sidebar_page = (PAGES / "sidebar_dates.html").read_bytes()
    # The trap is real: a generic date finder on the whole page takes a sidebar date.
    assert find_date(sidebar_page.decode(), extensive_search=False) is not None
    assert extract_article(sidebar_page).published_at is None

    article = extract_article((PAGES / "dated_article.html").read_bytes(),
                              "https://caspian.example/en/news/")
    # Not the teaser (05-30), not the related block (06-01), not the event in the text (12-01).
    assert article.published_at == "2022-06-03"
    assert article.url == "https://caspian.example/en/news/think-tanks-meet-in-baku"
    assert article.translation_of_url == "https://caspian.example/az/news/think-tanks-meet-in-baku"
    assert article.title == "Think tanks meet in Baku"
    assert article.body_paragraphs == [
        "Research centres from the South Caucasus met in Baku this week to compare notes on the "
        "energy transition and regional transport links.",
        "The meeting, which will be held again on 1 December 2022, ended with a joint statement "
        "on data sharing.",
        "\"Shared data is the basis of any sensible policy,\" one of the organisers said after "
        "the closing session.",
    ]


def test_metadata_fallbacks_language_by_script_and_configured_selectors():
    page = ("<html lang='ru'><head><title>Grain corridors after the war – Black Sea Desk</title>"
            "<meta property='og:url' content='/analysis/grain'>"
            "<meta name='date' content='2021-05-04'></head><body>"
            "<div class='headline'>Grain corridors, one year on</div>"
            "<div class='stamp'>Posted 5 May 2021</div>"
            "<div class='copy'><div>Shipping through the corridor has settled into a routine, "
            "with insurers pricing the risk week by week and ports working at full capacity."
            "</div><div>Traders still expect the arrangement to change before the harvest, "
            "which keeps forward prices volatile and contracts short.</div></div></body></html>")
    generic = extract_article(page, "https://desk.example/x/")
    assert generic.language == "en"  # the English body wins over the site's lang="ru"
    assert generic.title == "Grain corridors after the war"  # <title> minus the site name
    assert generic.url == "https://desk.example/analysis/grain"
    assert generic.published_at == "2021-05-04"

    # Without the meta tag the byline stamp is found (htmldate, outside the article's text).
    assert extract_article(page.replace("<meta name='date' content='2021-05-04'>", ""),
                           "https://desk.example/x/").published_at == "2021-05-05"

    configured = extract_article(page, "https://desk.example/x/", selectors={
        "title": ".headline", "body": ".copy > div", "published_at": ".stamp"})
    assert configured.title == "Grain corridors, one year on"
    assert configured.published_at == "2021-05-05"
    assert len(configured.body_paragraphs) == 2

    # A CMS that escaped twice: the headline is decoded once more.
    assert extract_article(page.replace("Grain corridors, one year on",
                                        "Grain &amp;#039;corridors&amp;#039;"),
                           selectors={"title": ".headline"}).title == "Grain 'corridors'"

    with pytest.raises(ExtractionError, match="bad CSS selector"):
        extract_article(page, selectors={"body": "div[[["})


def test_decode_html_prefers_bom_then_http_header_then_page_declaration_then_detection():
    text = "<html><body><p>Минск и Астана: экспертный диалог о будущем региона</p></body></html>"
    assert decode_html(b"\xef\xbb\xbf" + text.encode("utf-8"), "windows-1251") == text
    assert decode_html(text.encode("koi8-r"), "koi8-r") == text
    declared = text.replace("<html>", "<html><meta charset='windows-1251'>")
    assert decode_html(declared.encode("cp1251")) == declared
    assert decode_html(text.encode("cp1251")) == text
    with pytest.raises(ExtractionError, match="not HTML: the input is a PNG image"):
        decode_html((PAGES / "binary.png").read_bytes(), "utf-8")


@pytest.mark.parametrize("broken, repaired", [
    ("Лидерство. Стабильность. Прогресс» на полях Евразии",
     "«Лидерство. Стабильность. Прогресс» на полях Евразии"),
    ("«Открытый диалог: итоги года", "«Открытый диалог: итоги года»"),
    ("„Новый курс“ и его критики", "„Новый курс“ и его критики"),
    ('Dialogue" in Minsk', '"Dialogue" in Minsk'),
    ("“Open doors policy in Astana.", "“Open doors policy in Astana”."),
])
def test_broken_quotes_are_repaired(broken, repaired):
    assert repair_quotes(broken) == repaired


def test_dates_from_url_and_utc_stamps_are_the_publishers_local_dates():
    def page(head: str, lang: str = "en") -> str:
        return (f"<html lang='{lang}'><head>{head}</head><body><article><h1>Port talks</h1>"
                "<p>Delegations from the Caspian states discussed ferry schedules, tariffs and "
                "the new container terminal for most of the day.</p></article></body></html>")

    stamp = "<meta property='article:published_time' content='2020-05-02T02:54:29Z'>"
    # 02:54 UTC is still 1 May in New York: the publisher's date, from its locale region.
    assert extract_article(page(stamp, "en-US"), "https://news.example/a").published_at \
        == "2020-05-01"
    # A country domain says where the publisher is too (Moscow: already 2 May at 02:54 UTC).
    assert extract_article(page(stamp), "https://news.example.ru/a").published_at == "2020-05-02"
    # Nothing says where: the date as stated.
    assert extract_article(page(stamp), "https://news.example/a").published_at == "2020-05-02"
    # The site's filing date in the URL comes first.
    assert extract_article(page(stamp), "https://news.example/2020/04/30/a").published_at \
        == "2020-04-30"


@pytest.mark.parametrize("lang, body, expected", [
    ("en", "Der Bundestag hat am Donnerstag die neue Regelung beschlossen, die auch für die "
           "Länder gilt. Das ist nicht das erste Mal, dass sich der Rat mit dem Thema befasst "
           "und die Regierung auf eine Linie festlegt.", "de"),
    (None, "La conférence a été organisée par l'institut et la fondation, avec des experts de "
           "douze pays de la région pour les questions de sécurité et de commerce.", "fr"),
    ("ru", "Конференція відбулася у Києві: експерти з дванадцяти країн обговорили питання "
           "безпеки та торгівлі в регіоні.", "uk"),
    ("en-GB", "The institute hosted a seminar on trade corridors with experts from the region "
              "and officials of the ministry of foreign affairs.", "en"),
])
def test_language_is_the_bodys_even_when_the_page_declares_another(lang, body, expected):
    declared = f" lang='{lang}'" if lang else ""
    page = f"<html{declared}><body><article><h1>Headline</h1><p>{body}</p></article></body></html>"
    assert extract_article(page).language == expected


def test_alt_titles_are_repeated_or_heading_headlines_not_single_captions():
    def page(figure: str) -> str:
        return ("<html lang='ru'><body><article><h1>Круглый стол о транзите через Каспий</h1>"
                "<p>Эксперты обсудили перспективы транзита грузов через Каспийское море и роль "
                f"портов в новой логистике региона.</p>{figure}</article></body></html>")

    caption = "<figure><img src='a.jpg'><figcaption>Experts at the round table in Baku port"
    assert extract_article(page(caption + "</figcaption></figure>")).alt_titles == {}
    repeated = ("<figure><img src='a.jpg' alt='Round table on transit across the Caspian'>"
                "<figcaption>Round table on transit across the Caspian</figcaption></figure>")
    assert extract_article(page(repeated)).alt_titles == {
        "en": "Round table on transit across the Caspian"}
    heading = "<h2>Round table on «transit across the Caspian</h2>"
    assert extract_article(page(heading)).alt_titles == {
        "en": "Round table on «transit across the Caspian»"}


def test_a_logo_or_section_h1_gives_way_to_the_stated_headline():
    page = ("<html lang='en'><head><meta property='og:site_name' content='Steppe Policy Forum'>"
            "<meta property='og:title' content='Water talks in Tashkent end with a plan'>"
            "</head><body><div class='top'><h1>Steppe Policy Forum</h1></div><div class='post'>"
            "{heading}<p>Delegations from five countries agreed on a timetable for sharing data "
            "on river flows and for a joint monitoring station on the Amu Darya.</p></div>"
            "</body></html>")
    with_heading = page.format(heading="<h2>Water talks in Tashkent end with a plan</h2>")
    assert extract_article(with_heading).title == "Water talks in Tashkent end with a plan"
    assert extract_article(page.format(heading="")).title == \
        "Water talks in Tashkent end with a plan"


def test_the_benchmark_body_metric_follows_the_aeb_definition():
    from tests.bench.aeb_metric import corpus_score, score_page

    assert score_page("One two three four five.", "One two three four five") == (1.0, 1.0)
    partial = score_page("a b c d", "a b c d e")  # 1 of the 2 gold shingles, nothing extra
    assert (partial.precision, partial.recall) == (1.0, 0.5)
    assert score_page("", "a b c d") == (0.0, 0.0)
    assert score_page("", "") == (1.0, 1.0)
    scores = corpus_score([partial, score_page("w x y z", "a b c d")])
    assert scores["precision"] == 0.5 and scores["recall"] == 0.25
    assert abs(scores["f1"] - 2 * 0.5 * 0.25 / 0.75) < 1e-12


@pytest.mark.parametrize("stated, expected", [
    ("10 декабря 2021", "2021-12-10"),
    ("3 марта 2020 г.", "2020-03-03"),
    ("15.12.2021", "2021-12-15"),
    ("December 3, 2020", "2020-12-03"),
    ("2020-07-24T17:00:00+03:00", "2020-07-24"),
    ("Posted at 17:00", None),  # no year: not a date (dateutil would say "today")
    ("", None),
])
def test_dates_stated_in_an_article_date_field(stated, expected):
    page = (f"<html lang='ru'><body><article><div class='news-date'>{stated}</div>"
            "<h1>Заседание экспертного совета</h1><p>Эксперты обсудили итоги года и планы "
            "на следующий, включая новые исследования и совместные проекты.</p></article>"
            "</body></html>")
    assert extract_article(page).published_at == expected


def test_teaser_cards_and_tickers_inside_the_content_are_not_body_text():
    card = ("<div class='card'><a href='/n/{0}'><img src='/i/{0}.jpg'></a>"
            "<a href='/n/{0}'>Other story number {0}</a><p>A short blurb of story {0}.</p></div>")
    page = ("<html lang='en'><body><div class='ticker'><p>Breaking: markets close higher after "
            "a volatile session, with energy shares leading the gains today.</p></div>"
            "<div class='story'><h1>Ferry tariffs cut</h1>"
            "<p>The Caspian ferry operators agreed to cut tariffs for empty containers by a "
            "fifth from next month, after talks with freight forwarders.</p>"
            "<p>The cut applies on the Baku to Aktau line first and, from the autumn, on the "
            "Turkmenbashi line as well, the operators said.</p>"
            + "".join(card.format(n) for n in range(3)) + "</div></body></html>")
    body = extract_article(page).body_paragraphs
    assert len(body) == 2 and body[0].startswith("The Caspian ferry operators")


# Characters near the unspaced scripts' edges, in all the UTF-8 lengths, and others of every kind.
_NEAR_UNSPACED = st.sampled_from("aЯ“—\u2fff\u3000\u303f\u3040\u30ff\u3100\u3400\u4dbf\u4e00\u9fff\ua000"
                                 "\uf8ff\uf900\ufaff\ufb00\uff65\uff66\uff9f\uffa0\ufeff\ufffd😀")


@given(st.lists(_NEAR_UNSPACED | st.characters(), max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_a_page_is_marked_unspaced_exactly_when_it_holds_han_or_kana(text):
    from etl.extract.tree import UNSPACED_MARK, UNSPACED_SCRIPT, parse_html

    html = f"<html><body><p>x{text}</p></body></html>"
    assert (parse_html(html).get(UNSPACED_MARK) == "1") == bool(UNSPACED_SCRIPT.search(html))
