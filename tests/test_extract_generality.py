"""Issue 13: extraction that generalizes. Each test is one class of pages seen failing on pages
we were never tuned to, on a small page of our own."""

from __future__ import annotations

from etl.extract.article import extract_article
from etl.extract.content import normalize_text

_FILLER = ("The council met for the third time this year to weigh the proposal, and members "
           "asked for more detail on costs, timing and the people it would affect. ")


def _page(body: str, head: str = "", title: str = "A headline for the test page") -> str:
    return (f"<html lang='en'><head><title>{title} | Site</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>{body}"
            f"<footer>Copyright 2019 Site</footer></body></html>")


def test_a_month_only_url_date_narrows_the_candidates_instead_of_becoming_the_first():
    # /2016/12/slug says the month; the page states the day in its text only.
    page = _page(f"<article><h1>A headline for the test page</h1>"
                 f"<p>Posted on Tuesday 20 December 2016 by the editor.</p>"
                 f"<p>{_FILLER * 4}</p></article>")
    article = extract_article(page, "https://blog.example.org/archive/2016/12/some-slug.html")
    assert article.published_at == "2016-12-20"


def test_a_month_only_url_rejects_stated_dates_of_another_month():
    head = "<meta property='article:published_time' content='2019-03-04T10:00:00'>"
    page = _page(f"<article><h1>A headline for the test page</h1>"
                 f"<p>{_FILLER * 4}</p><p>Written 7 December 2016.</p></article>", head)
    article = extract_article(page, "https://blog.example.org/2016/12/some-slug/")
    assert article.published_at == "2016-12-07"


def test_a_url_with_a_day_is_the_date():
    page = _page(f"<article><h1>A headline for the test page</h1><p>{_FILLER * 4}</p></article>")
    article = extract_article(page, "https://news.example.org/2016/12/05/some-slug/")
    assert article.published_at == "2016-12-05"


def test_a_date_aside_inside_the_article_is_the_articles_a_linked_sidebars_is_not():
    # An aside holding only the article's date links nowhere: it cannot be another page's teaser.
    page = _page(f"<article><aside><time datetime='2021-06-06'>June 6, 2021</time></aside>"
                 f"<h1>A headline for the test page</h1><p>{_FILLER * 4}</p></article>")
    assert extract_article(page, "https://www.example.dev/posts/intro").published_at == "2021-06-06"
    teaser = _page(f"<article><aside><a href='/other'>Another story</a>"
                   f"<time datetime='2021-06-01'>June 1, 2021</time></aside>"
                   f"<h1>A headline for the test page</h1><p>{_FILLER * 4}</p></article>")
    assert extract_article(teaser, "https://www.example.dev/posts/intro").published_at is None


_SENTENCES = [
    "Meditation has a long history, and many of its techniques began in Eastern traditions.",
    "Researchers have studied how it affects stress, anxiety, pain and sleep in adults.",
    "Some studies found modest benefits, while others found no clear effect at all.",
    "Programs that last eight weeks are the ones most often tested in clinical trials.",
    "People with health conditions should talk to their doctors before they start.",
    "The evidence for children is thinner, although school programs are spreading fast.",
]


_WORDS = ("river", "council", "budget", "harbour", "school", "railway", "museum", "clinic",
          "market", "bridge", "library", "garden", "station", "theatre", "factory", "archive")


def _prose(seed: int) -> str:
    """A paragraph of its own (no two alike: extractors drop repeated text)."""
    words = [_WORDS[(seed * 7 + k * 3) % len(_WORDS)] for k in range(12)]
    return (f"In year {seed} the {words[0]} and the {words[1]} were rebuilt, while the "
            f"{words[2]} near the {words[3]} waited for a decision on the {words[4]}. Plans for "
            f"the {words[5]}, the {words[6]} and the {words[7]} followed, and residents asked "
            f"about the {words[8]}, the {words[9]} and the {words[10]} by the {words[11]}.")


def _sectioned_article() -> str:
    """An article whose text sits one paragraph per deeply nested section."""
    sections = "".join(
        f"<section><div class='row'><div class='col'><div class='text'><h2>Part {i}</h2>"
        f"<p>{sentence} {_prose(i)}</p><p>{_prose(i + 20)}</p></div></div></div></section>"
        for i, sentence in enumerate(_SENTENCES * 2))
    return (f"<div class='page'><h1>A headline for the test page</h1>"
            f"<div class='wrap'><div class='inner'>{sections}</div></div></div>")


def test_a_reference_list_does_not_win_over_the_article():
    references = "".join(
        f"<li>Author{i} A, Writer B, Other C, et al. Title of study {i}, with words. "
        f"Journal of Studies, 2016;{i}(3):e2016, 1896, 12-34.</li>" for i in range(14))
    page = _page(_sectioned_article() + f"<div class='refs'><ol>{references}</ol></div>")
    body = " ".join(extract_article(page, "https://health.example.gov/topic").body_paragraphs)
    for sentence in _SENTENCES:
        assert sentence in body


def test_an_article_inside_a_page_wide_form_or_an_unclosed_button_is_kept():
    article = f"<article><h1>A headline for the test page</h1><p>{_FILLER * 3}</p></article>"
    for wrapper in (f"<form action='/page.aspx' method='post'>{article}</form>",
                    f"<button class='menu-button'>Menu {article}"):
        body = extract_article(_page(wrapper), "https://example.org/a").body_paragraphs
        assert body == [normalize_text(_FILLER * 3)]
    # A form that is only a form (a search box, a login) is still no text.
    login = _page(f"<form><p>Sign in</p><p>Password</p></form>{article}")
    assert "Sign in" not in " ".join(extract_article(login, "https://example.org/a").body_paragraphs)


def test_a_plus_zero_offset_stamp_is_local_time_unless_the_page_states_another_offset():
    body = f"<article><h1>A headline for the test page</h1><p>{_FILLER * 4}</p></article>"
    # en_US is a CMS's default locale, not where the publisher is: 02:10+00:00 stays the 16th.
    stated = ("<meta property='og:locale' content='en_US'>"
              "<meta property='article:published_time' content='2025-01-16T02:10:27+00:00'>")
    assert extract_article(_page(body, stated), "https://blog.example.com/p").published_at \
        == "2025-01-16"
    # "Z" is UTC by definition: the locale's zone applies (21:10 the 15th in New York).
    utc = stated.replace("+00:00", "Z")
    assert extract_article(_page(body, utc), "https://blog.example.com/p").published_at \
        == "2025-01-15"
    # The page's other stamps state +02:00: its +00:00 stamp was UTC (the 25th at 01:59 local).
    other = ("<meta property='article:published_time' content='2020-12-24T23:59:50+00:00'>"
             "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
             "\"dateModified\": \"2020-12-25T01:59:50+02:00\"}</script>")
    assert extract_article(_page(body, other), "https://news.example.net/p").published_at \
        == "2020-12-25"


def test_a_date_in_words_in_the_pages_language_is_read():
    text = ("El precio del petróleo mexicano cayó este martes por la tarde, según los datos "
            "publicados por la secretaría, que atribuyó la baja a la menor demanda mundial. ")
    page = (f"<html lang='es'><head><title>El petróleo cae</title></head><body>"
            f"<main><h1>El petróleo mexicano cae otra vez</h1>"
            f"<div class='fecha-nota'>martes 17 de marzo de 2020</div>"
            f"<div class='nota'><p>{text * 4}</p></div></main></body></html>")
    assert extract_article(page, "https://www.example.com.mx/finanzas/petroleo").published_at \
        == "2020-03-17"


def test_a_date_only_a_script_states_is_found_on_the_page_as_served_but_never_a_sidebars():
    body = f"<main><h1>A headline for the test page</h1><p>{_FILLER * 4}</p></main>"
    scripted = _page(body + "<div class='meta'><script>showDate('2020/04/17 01:43:09')"
                            "</script></div>")
    assert extract_article(scripted, "http://city.example.com/67926/6950016").published_at \
        == "2020-04-17"
    # The only date outside scripts is a sidebar's: another article's, never this one's.
    sidebar = _page(body + "<aside class='latest-news'><a href='/n/2'>Other news</a>"
                           "<span class='date'>15.12.2021</span></aside>")
    assert extract_article(sidebar, "http://city.example.com/67926/6950016").published_at is None


def test_a_code_listing_keeps_its_highlighted_comments():
    listing = ("<pre><code class='language-bash'><span class='hljs-comment'># initialize the "
               "repository</span>\ngit init\n<span class='hljs-comment'># view the state of "
               "the repository</span>\ngit status</code></pre>")
    page = _page(f"<article><h1>A headline for the test page</h1><p>{_FILLER * 3}</p>"
                 f"{listing}<p>{_FILLER * 2}</p></article>")
    body = "\n".join(extract_article(page, "https://example.dev/posts/git").body_paragraphs)
    assert "# initialize the repository" in body and "# view the state of the repository" in body


def test_the_opening_paragraphs_in_a_container_of_their_own_are_kept():
    # The intro sits in its own block before the body, a promotion box between them.
    opening = ("Your town produces more waste than ever, and most of it ends up in the same "
               "place it did twenty years ago, whatever the brochures say.")
    body = "".join(f"<p>{_prose(i)}</p>" for i in range(20))
    page = _page(f"<article><h1>A headline for the test page</h1><div class='column'>"
                 f"<div><p>{opening}</p><p>{_prose(40)}</p></div>"
                 f"<div class='cta'><h4>Try it now</h4><p>See why teams choose it</p>"
                 f"<a href='/demo'>Get a demo</a></div>"
                 f"<div>{body}</div></div></article>")
    paragraphs = extract_article(page, "https://example.org/blog/waste").body_paragraphs
    assert paragraphs[:2] == [opening, _prose(40)]
    assert "See why teams choose it" not in paragraphs
    # A header block before the body (reading time, byline) is not an opening.
    header = _page(f"<article><h1>A headline for the test page</h1><div class='column'>"
                   f"<div><p>By Jane Writer</p><p>6 min read</p><p>{opening}</p></div>"
                   f"<div>{body}</div></div></article>")
    assert "6 min read" not in extract_article(header, "https://example.org/b").body_paragraphs


_JAPANESE = [
    "政府は五日、来年度の予算案を閣議決定した。総額は過去最大となる見通しだ。",
    "防衛費と社会保障費の伸びが大きく、歳出の三分の一を占める。",
    "財務省によると、新たな国債の発行額は前年度より減る見込みだという。",
    "野党は「将来世代へのつけ回しだ」として、国会で追及する構えを見せている。",
    "専門家の間では、税収の上振れが続くかどうかを疑問視する声も多い。",
    "一方、地方自治体への交付金は増額され、子育て支援の拡充が盛り込まれた。",
    "首相は記者団に対し「必要な政策には予算をしっかり付けた」と述べた。",
    "予算案は来年一月に召集される通常国会に提出され、三月末までの成立を目指す。",
]


def test_a_script_without_spaces_is_measured_by_its_characters():
    # Japanese paragraphs of 30-40 characters say as much as English ones of 100 or more: the
    # paragraphs set after the main block (past a banner) are the article's too.
    opening = _JAPANESE[:6] + [s.replace("。", "、さらに続く。") for s in _JAPANESE[:4]]
    inside = "".join(f"<p>{s}</p>" for s in opening)
    page = (f"<html lang='ja'><head><title>来年度予算案を閣議決定 | ニュース</title></head><body>"
            f"<nav><a href='/'>トップ</a></nav><div class='main'><h1>来年度予算案を閣議決定</h1>"
            f"<div class='text'>{inside}</div><div><img src='/banner.png' alt=''></div>"
            f"<p>{_JAPANESE[6]}</p><p>{_JAPANESE[7]}</p></div></body></html>")
    article = extract_article(page, "https://news.example.jp/articles/123")
    assert article.body_paragraphs == opening + _JAPANESE[6:]
    assert article.title == "来年度予算案を閣議決定" and article.language == "ja"


def test_a_section_whose_id_is_its_headings_slug_is_not_named_furniture():
    # id="menu-ideas-for-spring-weddings" is a link target made from the heading, not a menu.
    page = _page(f"<article><h1>A headline for the test page</h1><p>{_prose(1)}</p>"
                 f"<section id='menu-ideas-for-spring-weddings'><h2>Menu ideas for spring "
                 f"weddings</h2><p>{_prose(2)}</p><ul><li>Build-your-own taco stations</li>"
                 f"<li>Live pasta cooking at the tables</li></ul></section>"
                 f"<div id='related-stories-list'><h2>More stories</h2><p>{_prose(3)}</p></div>"
                 f"<p>{_prose(4)}</p></article>")
    body = extract_article(page, "https://example.org/blog/catering").body_paragraphs
    assert "Menu ideas for spring weddings" in body and _prose(2) in body
    assert "Live pasta cooking at the tables" in body
    assert _prose(3) not in body  # a related block named so stays furniture


def test_an_author_box_inside_the_body_is_removed_the_headers_byline_date_is_still_read():
    bio = ("Jane Writer is a freelance journalist who has covered city politics for ten years, "
           "and she writes about housing and transport.")
    page = _page(f"<article><h1>A headline for the test page</h1>"
                 f"<div class='post-header_author-wrapper'><span>By Jane Writer</span>"
                 f"<div class='post-header_date'>August 28, 2025</div></div>"
                 f"<div class='post__content'>{''.join(f'<p>{_prose(i)}</p>' for i in range(6))}"
                 f"<div class='post__author'><img src='/jane.jpg' alt=''><h4>Jane Writer</h4>"
                 f"<p>{bio}</p></div></div></article>")
    article = extract_article(page, "https://example.org/blog/housing")
    assert bio not in article.body_paragraphs and "Jane Writer" not in article.body_paragraphs
    assert article.body_paragraphs == [_prose(i) for i in range(6)]
    assert article.published_at == "2025-08-28"


def test_an_explore_further_box_inside_the_article_is_removed():
    # Its markup indented (white space counts as unlinked text): not dense in links.
    indent = "\n" + "\t" * 12
    page = _page(f"<article><h1>A headline for the test page</h1>"
                 f"{''.join(f'<p>{_prose(i)}</p>' for i in range(5))}"
                 f"<div class='article-main__explore'>{indent}<div>{indent}<p>Explore further</p>"
                 f"{indent}</div>{indent}<a href='/news/other-story.html'>Unravelling the "
                 f"network of torpor</a>{indent}</div><p>{_prose(9)}</p></article>")
    body = extract_article(page, "https://example.org/news/story.html").body_paragraphs
    assert body == [_prose(i) for i in (0, 1, 2, 3, 4, 9)]


def test_a_data_table_inside_the_article_is_kept_a_row_a_line_a_layout_table_as_paragraphs():
    table = ("<table><tr><th></th><th>Virtual classroom</th><th>Digital classroom</th></tr>"
             "<tr><td>Location</td><td>Fully online</td><td>A room and online instruction</td>"
             "</tr><tr><td>Interaction</td><td>Live, <b>in real time</b></td><td>Mixed</td></tr>"
             "</table>")
    page = _page(f"<article><h1>A headline for the test page</h1><p>{_prose(1)}</p>{table}"
                 f"<p>{_prose(2)}</p></article>")
    body = extract_article(page, "https://example.org/guide").body_paragraphs
    assert body == [_prose(1), "| | Virtual classroom | Digital classroom |",
                    "| Location | Fully online | A room and online instruction |",
                    "| Interaction | Live, in real time | Mixed |", _prose(2)]
    # A table laying out the page: its cells hold paragraphs, which stay paragraphs.
    layout = _page(f"<table><tr><td><h1>A headline for the test page</h1><p>{_prose(3)}</p>"
                   f"<p>{_prose(4)}</p><p>{_prose(5)}</p></td><td><p>Weather: sunny</p></td>"
                   f"</tr></table>")
    assert extract_article(layout, "https://example.org/old")\
        .body_paragraphs[:3] == [_prose(3), _prose(4), _prose(5)]


def _article_body(inner: str) -> list[str]:
    page = _page(f"<article><h1>A headline for the test page</h1>{inner}</article>")
    return extract_article(page, "https://example.org/news/story.html").body_paragraphs


def _paragraphs(*seeds: int) -> str:
    return "".join(f"<p>{_prose(i)}</p>" for i in seeds)


def test_an_inline_related_link_inside_the_article_is_not_body_text():
    for cue in ("<strong>Related:</strong> ", "Read also: "):
        body = _article_body(f"{_paragraphs(0, 1)}<p>{cue}<a href='/news/other.html'>Ministers agree on "
                             f"a new budget plan</a></p>{_paragraphs(2, 3)}")
        assert body == [_prose(i) for i in range(4)], cue


def test_a_promotion_box_inside_the_article_is_not_body_text():
    body = _article_body(f"{_paragraphs(0, 1)}<div class='promo-box'><p>Subscribe to our weekly newsletter "
                         f"for the best analysis</p><a href='/subscribe'>Sign up</a></div>{_paragraphs(2, 3)}")
    assert body == [_prose(i) for i in range(4)]


def test_a_related_stories_box_and_the_comment_headers_after_the_article_are_not_body_text():
    body = _article_body(f"{_paragraphs(0, 1, 2)}<aside class='related'><h4>Related stories</h4><ul>"
                         f"<li><a href='/a'>Story one about things</a></li><li><a href='/b'>Story two about "
                         f"other things</a></li></ul></aside>{_paragraphs(3)}"
                         f"<h3 class='comments-title'>3 thoughts on “A headline”</h3>"
                         f"<div class='comment-respond'><h3>Leave a Reply</h3></div>")
    assert body == [_prose(i) for i in range(4)]
