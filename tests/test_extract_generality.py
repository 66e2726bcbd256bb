"""Issue 13: extraction that generalizes. Each test is one class of pages seen failing on pages
we were never tuned to, on a small page of our own."""

from __future__ import annotations

from etl.extract.article import extract_article

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
