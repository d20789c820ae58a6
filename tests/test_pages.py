"""The HTML pages through Flask's test client on the bundled samples: search, article, errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from search.engine import Searcher
from search.request import SearchRequest
from tests.conftest import index_records
from web import create_app
from web.pages import lead_and_spread


class Element:
    """A start tag with its attributes and the text inside it (up to its end tag)."""

    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.text = ""

    def get(self, name: str) -> str:
        return self.attrs.get(name) or ""


class Page(HTMLParser):
    """Just enough HTML parsing to find elements by tag and attribute in the tests."""

    VOID: ClassVar[set[str]] = {
        "input",
        "img",
        "meta",
        "link",
        "br",
        "hr",
        "rect",
        "line",
        "circle",
        "path",
    }

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def all(self, tag: str, **attrs: str) -> list[Element]:
        """Elements with this tag whose attributes contain the given values (class_ for class)."""
        found = []
        for element in self.elements:
            if element.tag != tag:
                continue
            wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
            if all(
                value in element.get(name).split() or value == element.get(name)
                for name, value in wanted.items()
            ):
                found.append(element)
        return found

    def one(self, tag: str, **attrs: str) -> Element:
        found = self.all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]


def text(element: Element) -> str:
    return " ".join(element.text.split())


def params(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


@pytest.fixture(scope="module")
def app(sample_index: Path) -> Flask:
    return create_app({"INDEX": str(sample_index), "TESTING": True})


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def get(client: FlaskClient, url: str, status: int = 200) -> tuple[Page, str]:
    answer = client.get(url)
    assert answer.status_code == status, answer.get_data(as_text=True)[:2000]
    assert answer.mimetype == "text/html"
    html = answer.get_data(as_text=True)
    return Page(html), html


def article_id(client: FlaskClient, title_words: str) -> str:
    answer = client.get("/api/search", query_string={"q": title_words, "in": "titles"})
    return str(json.loads(answer.data)["hits"][0]["id"])


# The search page


def test_front_page_has_a_focused_search_box_and_the_archive_at_a_glance(
    client: FlaskClient,
) -> None:
    page, _ = get(client, "/")
    form = page.one("form", role="search", id="search-form")
    assert form.get("method") == "get" and form.get("action") == "/search"
    box = page.one("input", id="q")
    assert "autofocus" in box.attrs and box.get("name") == "q"
    assert page.one("label", for_="q")
    assert page.all("a", class_="latest-title"), "the latest articles are listed"
    bars = page.all("a", class_="bar")
    assert bars and all("year=" in bar.get("href") for bar in bars)
    assert page.one("main") and page.one("header") and page.one("footer")


def test_results_show_headline_date_byline_fragments_and_a_caption_block(
    client: FlaskClient,
) -> None:
    page, html = get(client, "/search?q=sandbags")
    assert page.one("input", id="q").get("value") == "sandbags"
    assert "2 results" in text(page.one("h1", id="results-heading"))
    assert re.search(r"\d+ ms", text(page.one("p", class_="took")))
    titles = page.all("h2", class_="hit-title")
    assert len(titles) == 2
    assert page.all("time")
    assert "<mark>sandbags</mark>" in html
    caption = page.one("figure", class_="caption-match")
    assert "In photo caption 2" in text(caption)
    assert "Volunteers fill sandbags" in text(caption)
    assert "Photo by Lena Ortiz" in text(page.one("span", class_="credit"))
    fragment_link = page.one("a", class_="fragment-link")
    assert re.search(r"/articles/\w+\?q=sandbags#p\d+$", fragment_link.get("href"))


def test_everything_shown_is_escaped(client: FlaskClient) -> None:
    evil = '<script>alert("x")</script> "><img src=x onerror=alert(1)>'
    answer = client.get("/search", query_string={"q": evil})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    page = Page(html)
    assert page.one("input", id="q").get("value") == evil
    answer = client.get("/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert answer.status_code == 404
    assert "<script>alert" not in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/search?q=flood&page=abc", "page: must be a whole number"),
        ("/search?q=flood&per_page=1000", "per_page: must be between 1 and 50"),
        ("/search?q=flood&page=0", "page: must be between 1 and 100"),
        ("/search?q=flood&sort=best", "sort: must be one of relevance, newest, oldest"),
        ("/search?q=flood&in=everywhere", "in: must be one of"),
        ("/search?q=flood&since=2017-13-01", "since: must be a date"),
        (
            "/search?q=flood&since=2018-01-01&until=2017-01-01",
            "The start date 2018-01-01 is after the end date 2017-01-01.",
        ),
        ("/search?q=flood&month=4", "month: needs a year"),
        ("/search?q=" + "x" * 1100, "the limit is 1000"),
    ],
)
def test_bad_parameters_are_explained_and_keep_the_search_box(
    client: FlaskClient, url: str, message: str
) -> None:
    page, _ = get(client, url, status=400)
    alert = page.one("div", role="alert")
    assert message in text(alert)
    assert page.one("input", id="q")


def test_a_reversed_date_range_is_explained_with_the_form_filled_in(
    client: FlaskClient,
) -> None:
    page, _ = get(client, "/search?q=flood&in=titles&since=2020-01-01&until=2010-01-01", 400)
    alert = text(page.one("div", role="alert"))
    assert "The start date 2020-01-01 is after the end date 2010-01-01." in alert
    assert "until=" not in alert and "since:" not in alert
    assert page.one("input", id="q").get("value") == "flood"
    assert "checked" in page.one("input", type="radio", value="titles").attrs
    assert page.one("input", id="since").get("value") == "2020-01-01"
    assert page.one("input", id="until").get("value") == "2010-01-01"
    assert page.one("input", id="since").get("form") == "search-form"
    swap = next(a for a in page.all("a") if text(a) == "Swap the dates")
    page, _ = get(client, swap.get("href"))
    assert [text(chip) for chip in page.all("a", class_="chip")][:2] == [
        "From January 1, 2010 (remove this filter)",
        "Until January 1, 2020 (remove this filter)",
    ]


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("/search?q=flood&in=&since=&until=", "/search?q=flood"),
        (
            "/search?q=flood&author=&author=Grace+Liang&year=%20",
            "/search?q=flood&author=Grace+Liang",
        ),
        ("/search?q=&since=&until=", "/search"),
        ("/?q=&in=", "/"),
        (
            "/search?q=flood&since=&until=2010-01-01&page=2",
            "/search?q=flood&until=2010-01-01&page=2",
        ),
    ],
)
def test_empty_parameters_redirect_to_the_clean_url(
    client: FlaskClient, url: str, clean: str
) -> None:
    answer = client.get(url)
    assert answer.status_code == 302 and answer.headers["Location"] == clean
    assert client.get(clean).status_code == 200


def test_the_links_a_page_builds_carry_no_empty_parameter(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=flood&in=all&year=2011&per_page=2")
    hrefs = [a.get("href") for a in page.all("a") if a.get("href").startswith("/search?")]
    assert len(hrefs) > 10
    for href in hrefs:
        assert all(value.strip() for values in params(href).values() for value in values), href
        assert "=&" not in href and not href.endswith("="), href
    everything = page.one("input", type="radio", value="")
    assert "checked" in everything.attrs, "Everything is the default, sent as nothing"


def test_the_filter_panel_starts_closed_in_the_html(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=flood")
    assert "open" not in page.one("details", class_="refine-panel").attrs


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """60 authors with 61 down to 2 harbour stories each, across 60 years."""
    records = [
        {
            "id": f"s{author}-{n}",
            "title": f"Harbour story {n}",
            "authors": [f"Writer {author:02d}"],
            "body": ["The harbour board met."],
            "published": f"{1950 + author}-04-09",
        }
        for author in range(60)
        for n in range(61 - author)
    ]
    root = index_records(records, tmp_path_factory.mktemp("crowded"))
    return create_app({"INDEX": str(root), "TESTING": True}).test_client()


def facet(page: Page, title: str) -> tuple[list[str], list[str], str]:
    """A facet section's labels shown at once, behind "more", and its closing note."""
    section = next(s for s in page.all("section", class_="facet") if title in text(s))
    start = page.elements.index(section)
    end = next(
        (n for n, e in enumerate(page.elements) if n > start and e.tag == "section"),
        len(page.elements),
    )
    shown: list[str] = []
    more: list[str] = []
    note = ""
    inside_more = False
    for element in page.elements[start:end]:
        if element.tag == "details":
            inside_more = True
        elif element.tag == "span" and element.get("class") == "facet-label":
            (more if inside_more else shown).append(text(element))
        elif element.tag == "p" and element.get("class") == "facet-note":
            note = text(element)
    return shown, more, note


def test_a_long_facet_lists_its_top_values_and_a_bounded_more(crowded: FlaskClient) -> None:
    page, html = get(crowded, "/search?q=harbour")
    shown, more, note = facet(page, "Authors")
    assert shown == [f"Writer {n:02d}" for n in range(10)]
    assert more == [f"Writer {n:02d}" for n in range(10, 50)]
    assert "Show 40 more" in text(page.one("details", class_="facet-more"))
    assert note == "50 of 60 are listed."
    assert html.count('class="facet-item') <= 2 * 50 + 3, "authors and years, each bounded"
    years, more_years, _ = facet(page, "Years")
    assert years[0] == "2009" and len(years) == 10 and len(more_years) == 40

    page, _ = get(crowded, "/search?q=harbour&author=Writer+55")
    shown, more, note = facet(page, "Authors")
    assert "Writer 55 (chosen; select to remove)" in shown, "a chosen one is always shown"
    assert len(shown) == 11 and len(more) == 40 and note == "51 of 60 are listed."


def test_pages_need_no_inline_script_or_style(client: FlaskClient, sample_index: Path) -> None:
    hit = article_id(client, "Maren River Floods")
    for url in ["/", "/search?q=flood", "/search?q=xyzzy", f"/articles/{hit}?q=flood", "/nope"]:
        answer = client.get(url)
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
        page = Page(answer.get_data(as_text=True))
        assert all(script.get("src") for script in page.all("script")), url
        assert not page.all("style"), url
        for element in page.elements:
            assert "style" not in element.attrs, (url, element.tag)
            assert not [name for name in element.attrs if name.startswith("on")], url


def test_static_files_are_served(client: FlaskClient) -> None:
    for path, mimetype in [
        ("/static/scoop.css", "text/css"),
        ("/static/scoop.js", "text/javascript"),
        ("/static/icons/favicon.svg", "image/svg+xml"),
    ]:
        answer = client.get(path)
        assert answer.status_code == 200 and answer.mimetype == mimetype, path


def test_facets_narrow_and_show_as_removable_chips(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=flood")
    titles = [text(h) for h in page.all("h2", class_="facet-title")]
    assert titles[:3] == ["Authors", "Years", "Where it matched"]
    grace = next(a for a in page.all("a", class_="facet-item") if "Grace Liang" in text(a))
    assert text(grace).endswith("7")
    assert params(grace.get("href")) == {"q": ["flood"], "author": ["Grace Liang"]}

    page, _ = get(client, grace.get("href"))
    assert "7 results" in text(page.one("h1", id="results-heading"))
    chip = page.one("a", class_="chip")
    assert "By Grace Liang" in text(chip)
    assert params(chip.get("href")) == {"q": ["flood"]}
    selected = page.one("a", class_="is-selected")
    assert selected.get("aria-current") == "true"
    hidden = page.all("input", type="hidden", name="author")
    assert [h.get("value") for h in hidden] == ["Grace Liang"] * 2, "the search and within forms"

    captions = next(a for a in page.all("a", class_="facet-item") if "Photo captions" in text(a))
    assert params(captions.get("href"))["caption"] == ["1"]


def test_where_matched_facet_and_scope_chips(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=flood&caption=1")
    assert "Matched in a photo caption" in text(page.one("a", class_="chip"))
    assert page.all("figure", class_="caption-match")
    page, _ = get(client, "/search?q=flood&in=titles")
    assert "In headlines" in text(page.one("a", class_="chip"))
    assert "checked" in page.one("input", type="radio", value="titles").attrs


def test_timeline_per_year_then_per_month(client: FlaskClient) -> None:
    page, html = get(client, "/search?q=flood")
    assert "<svg" in html
    bars = page.all("a", class_="bar")
    labels = [bar.get("aria-label") for bar in bars]
    assert "2011: 3 articles" in labels
    year_2011 = bars[labels.index("2011: 3 articles")]
    assert params(year_2011.get("href")) == {"q": ["flood"], "year": ["2011"]}
    assert page.all("rect", class_="bar-empty"), "years without matches are drawn, not linked"

    page, _ = get(client, year_2011.get("href"))
    assert "per month, 2011" in text(page.one("span", id="timeline-title"))
    months = {bar.get("aria-label"): bar.get("href") for bar in page.all("a", class_="bar")}
    assert set(months) == {"April 2011: 2 articles", "September 2011: 1 article"}
    assert [text(tick) for tick in page.all("li", class_="tick")] == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ]

    page, _ = get(client, months["April 2011: 2 articles"])
    assert "2 results" in text(page.one("h1", id="results-heading"))
    current = page.one("a", class_="is-current")
    assert current.get("aria-label") == "April 2011: 2 articles"
    other = [bar.get("aria-label") for bar in page.all("a", class_="bar")]
    assert "September 2011: 1 article" in other, "the other months keep their counts"
    assert [text(chip) for chip in page.all("a", class_="chip")][:2] == [
        "April 2011 (remove this filter)",
        "Year 2011 (remove this filter)",
    ]


def test_paging_is_bounded_with_previous_next_and_numbers(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=harbour&per_page=1&page=3")
    pager = page.one("nav", class_="pager")
    assert pager.get("aria-label") == "Result pages"
    numbers = [int(text(a).removeprefix("Page ")) for a in page.all("a") if "Page " in text(a)]
    assert numbers[0] == 1 and numbers == sorted(numbers) and 3 in numbers
    current = next(a for a in page.all("a") if a.get("aria-current") == "page")
    assert text(current) == "Page 3"
    assert page.one("a", rel="prev").get("href").endswith("per_page=1&page=2")
    assert page.one("a", rel="next").get("href").endswith("per_page=1&page=4")
    assert page.all("li", class_="pager-gap")

    page, _ = get(client, "/search?q=harbour&page=40")
    assert "There is no page 40" in text(page.one("div", class_="empty"))
    page, _ = get(client, "/search?q=sandbags")
    assert not page.all("nav", class_="pager")


def test_sort_switch_marks_the_current_order(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=flood&sort=oldest")
    sort = {text(a): a for a in page.all("a") if "Sort by" in text(a)}
    assert sort["Sort by Oldest"].get("aria-current") == "true"
    assert params(sort["Sort by Newest"].get("href"))["sort"] == ["newest"]
    assert "sort" not in params(sort["Sort by Relevance"].get("href"))
    dates = [t.get("datetime") for t in page.all("time")]
    assert dates == sorted(dates)


def test_no_results_says_so_with_did_you_mean_and_tips(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=floood")
    empty = page.one("div", class_="empty")
    assert "Nothing in the archive matches" in text(empty)
    suggestion = page.one("p", class_="did-you-mean")
    assert "Did you mean flood?" in text(suggestion)
    assert page.one("a", href="/search?q=flood")
    assert len(page.one("ul", class_="tips").text.strip().splitlines()) >= 2
    assert not page.all("ol", class_="hits")


def test_malformed_query_shows_how_it_was_read(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=title%3A%28bridge")
    notice = page.one("p", class_="notice")
    assert "read as plain words: bridge" in text(notice)


def test_each_hit_says_why_it_matched(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=flood")
    why = text(page.all("span", class_="why-text")[0])
    assert why.startswith("Matched in headline, paragraphs")
    assert "photo caption" in why
    assert any("more matches in" in text(a) for a in page.all("a", class_="more-matches"))
    page, _ = get(client, '/search?q="harbour bridge"')
    assert page.all("span", class_="badge--phrase")
    page, _ = get(client, "/search?q=lena")
    assert "Matched only in a photo credit" in text(page.one("span", class_="badge--weak"))


def test_search_within_results_and_its_breadcrumb(client: FlaskClient) -> None:
    page, _ = get(client, "/search?q=flood")
    within = page.one("form", class_="within")
    assert within.get("method") == "get"
    assert page.one("input", name="within").get("value") == "flood"

    page, _ = get(client, "/search?q=levee&within=flood")
    crumbs = page.one("nav", class_="breadcrumb")
    assert "Results for flood" in text(crumbs) and "within them: levee" in text(crumbs)
    assert page.one("a", href="/search?q=flood")
    carried = [field.get("value") for field in page.all("input", name="within")]
    assert carried == ["flood", "(flood) AND (levee)"], "the search form keeps it, within adds"
    assert "Search within" in text(page.one("label", id="within-label"))


def test_a_url_without_a_query_but_with_a_filter_browses(client: FlaskClient) -> None:
    page, _ = get(client, "/search?author=Grace+Liang")
    assert "7 results" in text(page.one("h1", id="results-heading"))
    dates = [t.get("datetime") for t in page.all("time")]
    assert dates == sorted(dates, reverse=True)
    sorts = {text(a): a.get("aria-current") for a in page.all("a") if "Sort by" in text(a)}
    assert sorts == {"Sort by Newest": "true", "Sort by Oldest": ""}, "no relevance to sort by"


# The article page


def test_article_page_shows_the_whole_article_with_captions_in_place(
    client: FlaskClient,
) -> None:
    hit = article_id(client, "Maren River Floods")
    page, html = get(client, f"/articles/{hit}")
    assert "Maren River Floods" in text(page.one("h1", id="story-title"))
    assert "By Grace Liang" in text(page.one("p", class_="story-meta"))
    assert [t.get("datetime") for t in page.all("time")] == ["2011-04-09", "2011-04-10"]
    paragraphs = [p.get("id") for p in page.all("p") if re.fullmatch(r"p\d+", p.get("id"))]
    assert paragraphs == [f"p{n}" for n in range(1, 8)]
    figures = page.all("figure", class_="photo")
    assert [f.get("id") for f in figures] == ["photo1", "photo2", "photo3"]
    assert "photo--lead" in figures[0].get("class")
    assert "MARIA OKAFOR/Scoop Staff" in text(figures[0])
    order = re.findall(r'id="(p\d+|photo\d+)"', html)
    assert order.index("photo1") < order.index("p1") < order.index("photo2") < order.index("p7")
    assert order.index("photo2") < order.index("photo3")
    assert "dairy farm" in text(page.one("footer", class_="bio"))
    assert "<mark>" not in html
    assert not page.all("a", class_="back-link")


def test_arriving_from_a_search_marks_matches_and_links_back(client: FlaskClient) -> None:
    hit = article_id(client, "Maren River Floods")
    page, html = get(client, f"/articles/{hit}?q=sandbags&page=1&author=Grace+Liang")
    assert "Volunteers fill sandbags" in text(page.one("figure", id="photo2"))
    assert "Volunteers fill <mark>sandbags</mark>" in html
    back = page.one("a", class_="back-link")
    assert params(back.get("href")) == {
        "q": ["sandbags"],
        "author": ["Grace Liang"],
        "page": ["1"],
    }
    assert "1 match" in text(page.one("p", class_="match-bar"))

    page, html = get(client, f"/articles/{hit}?q=flood")
    marked = [p.get("id") for p in page.all("p", class_="has-match")]
    assert marked == ["p1", "p2", "p4", "p6"]
    assert "<mark>Floods</mark>" in html
    first = page.one("a", href="#p1")
    assert "first" in text(first)


def test_hiding_the_highlights_keeps_the_way_back_to_the_results(client: FlaskClient) -> None:
    hit = article_id(client, "Maren River Floods")
    search = "q=sandbags&author=Grace+Liang&page=1"
    page, _ = get(client, f"/articles/{hit}?{search}")
    back = page.one("a", class_="back-link").get("href")
    hide = next(a for a in page.all("a") if text(a) == "Hide highlighting")

    page, html = get(client, hide.get("href"))
    assert "<mark>" not in html and not page.all("p", class_="has-match")
    assert page.one("a", class_="back-link").get("href") == back
    assert "not highlighted" in text(page.one("p", class_="match-bar"))
    show = next(a for a in page.all("a") if text(a) == "Show highlighting")

    page, html = get(client, show.get("href"))
    assert "Volunteers fill <mark>sandbags</mark>" in html
    assert page.one("a", class_="back-link").get("href") == back
    assert params(show.get("href")) == params(f"?{search}")


def test_unknown_article_is_a_proper_404_page(client: FlaskClient) -> None:
    page, _ = get(client, "/articles/does-not-exist", status=404)
    assert "404" in text(page.one("p", class_="error-code"))
    assert "does-not-exist" in text(page.one("main"))
    assert page.one("a", class_="button").get("href") == "/"


def test_article_highlights_reuse_the_highlighter(sample_index: Path, client: FlaskClient) -> None:
    searcher = Searcher(sample_index)
    hit = article_id(client, "Maren River Floods")
    article = searcher.article(hit)
    assert article is not None
    marked = searcher.article_highlights(hit, "sandbags")
    assert marked is not None
    assert len(marked.paragraphs) == len(article.paragraphs)
    assert [c.text for c in marked.captions] == [c.text for c in article.captions]
    assert marked.captions[1].html.count("<mark>") == 1 and marked.match_count == 1
    phrase = searcher.article_highlights(hit, '"the river"')
    assert phrase is not None
    assert all(
        fragment.text[start:end].lower() == "the river"
        for fragment in phrase.paragraphs
        for start, end in fragment.marks
    )
    plain = searcher.article_highlights(hit, "")
    assert plain is not None and plain.match_count == 0
    assert [p.text for p in plain.paragraphs] == list(article.paragraphs)
    assert searcher.article_highlights("no-such-id", "flood") is None
    read = searcher.article_highlights(hit, 'flood "river')
    assert read is not None and read.notices and read.query == "flood river"


def test_article_highlights_escape_the_text(tmp_path: Path) -> None:
    record = {
        "id": "x1",
        "title": "Tags <b>bold</b> & more",
        "authors": ["A. Writer"],
        "published": "2020-01-02",
        "body": ["First <script>alert(1)</script> paragraph.", "Second & last bold word."],
        "captions": [{"text": "A <i>bold</i> caption", "credit": "Ph<o>to"}],
        "bio": "Writes bold things.",
    }
    searcher = Searcher(index_records([record], tmp_path))
    (hit,) = searcher.search(SearchRequest(query="bold")).hits
    marked = searcher.article_highlights(hit.id, "bold")
    assert marked is not None
    assert marked.title.html == "Tags &lt;b&gt;<mark>bold</mark>&lt;/b&gt; &amp; more"
    assert marked.paragraphs[0].html == "First &lt;script&gt;alert(1)&lt;/script&gt; paragraph."
    assert marked.paragraphs[1].html == "Second &amp; last <mark>bold</mark> word."
    assert marked.captions[0].html == "A &lt;i&gt;<mark>bold</mark>&lt;/i&gt; caption"
    assert marked.credits[0].html == "Ph&lt;o&gt;to"
    assert marked.bio.html == "Writes <mark>bold</mark> things."
    assert marked.matched_paragraphs == (2,)


@pytest.mark.parametrize(
    ("paragraphs", "captions", "places"),
    [
        (7, 3, [0, 2, 5]),
        (8, 1, [0]),
        (2, 5, [0, 1, 1, 1, 2]),
        (0, 2, [0, 0]),
        (5, 0, []),
    ],
)
def test_captions_lead_then_spread_between_paragraphs(
    paragraphs: int, captions: int, places: list[int]
) -> None:
    assert lead_and_spread(paragraphs, captions) == places


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[FlaskClient]:
    yield create_app({"INDEX": str(tmp_path / "missing"), "TESTING": True}).test_client()


def test_no_index_is_a_503_page(empty_app: FlaskClient) -> None:
    for url in ["/", "/search?q=flood", "/articles/x1"]:
        page, html = get(empty_app, url, status=503)
        assert "503" in text(page.one("p", class_="error-code"))
        assert "manage.py reindex" in html and "/tmp" not in html


def test_a_long_article_page_marks_every_matching_paragraph(tmp_path: Path) -> None:
    """Thousands of paragraphs: each one is marked once (the matched set is built once
    per page, not once per paragraph, so the page stays linear in the article)."""
    body = [f"Paragraph {n} about the {'harbour' if n % 2 else 'river'}." for n in range(3000)]
    root = index_records([{"id": "long", "title": "A long story", "body": body}], tmp_path)
    client = create_app({"INDEX": str(root)}).test_client()
    hit = client.get("/api/search", query_string={"q": "harbour"}).get_json()["hits"][0]
    engine = Searcher(root)
    highlights = engine.article_highlights(hit["id"], "harbour")
    engine.close()

    pages = [
        client.get(f"/articles/{hit['id']}", query_string={"q": "harbour", "part": part})
        for part in range(1, 11)
    ]

    assert highlights is not None
    assert highlights.matched_paragraphs is highlights.matched_paragraphs  # computed once
    assert highlights.matched_paragraphs == tuple(range(2, 3001, 2))
    assert sum(page.get_data(as_text=True).count('class="has-match"') for page in pages) == 1500
    assert all(page.get_data(as_text=True).count('class="has-match"') == 150 for page in pages)


def test_a_long_article_is_read_in_bounded_parts(tmp_path: Path) -> None:
    body = [f"Paragraph {n}." for n in range(1, 701)]
    body[449] = "Paragraph 450 about the harbour."
    root = index_records([{"id": "long", "title": "A long story", "body": body}], tmp_path)
    client = create_app({"INDEX": str(root)}).test_client()
    article = client.get("/api/search", query_string={"q": "harbour"}).get_json()["hits"][0]
    url = f"/articles/{article['id']}"

    first, html = get(client, f"{url}?q=harbour")
    numbers = [p.get("id") for p in first.all("p") if re.fullmatch(r"p\d+", p.get("id"))]
    assert numbers == [f"p{n}" for n in range(1, 301)]
    assert "Part 1 of 3" in html and f"{url}?q=harbour&amp;part=2" in html
    assert first.one("a", rel="next").get("href") == f"{url}?q=harbour&part=2"
    go_to = [a.get("href") for a in first.all("a") if text(a) == "Go to the first"]
    assert go_to == [f"{url}?q=harbour&part=2#p450"]
    last, html = get(client, f"{url}?part=3")
    numbers = [p.get("id") for p in last.all("p") if re.fullmatch(r"p\d+", p.get("id"))]
    assert numbers == [f"p{n}" for n in range(601, 701)] and "Part 3 of 3" in html
    for bad in ("4", "0", "x"):
        _, html = get(client, f"{url}?part={bad}", status=400)
        assert "part must be a whole number from 1 to 3" in html


def test_redirects_stay_on_this_site_whatever_the_host_header(client: FlaskClient) -> None:
    answer = client.get("/static//favicon.svg?v=1", headers={"Host": "evil.example"})
    assert answer.status_code == 308
    assert answer.headers["Location"] == "/static/favicon.svg?v=1"


def test_only_trusted_hosts_are_answered_when_configured(sample_index: Path) -> None:
    from web import create_app

    app = create_app({"INDEX": str(sample_index), "TRUSTED_HOSTS": ["archive.example.org"]})
    client = app.test_client()
    trusted = client.get("/search?q=flood", headers={"Host": "archive.example.org"})
    assert trusted.status_code == 200
    for path in ("/search?q=flood", "/api/search?q=flood", "/static//favicon.svg"):
        other = client.get(path, headers={"Host": "evil.example"})
        assert other.status_code == 400, path
        assert other.get_data(as_text=True) == "Host 'evil.example' is not trusted.\n"
        assert other.headers["Content-Security-Policy"] and "Location" not in other.headers


def test_an_author_typed_in_another_case_is_shown_chosen(client: FlaskClient) -> None:
    """``author=grace liang`` finds her articles and marks her facet value as chosen."""
    page = client.get("/search", query_string={"q": "flood", "author": "grace liang"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'Grace Liang<span class="visually-hidden"> (chosen; select to remove)' in text


def test_recency_is_a_control_and_a_checked_setting(
    client: FlaskClient, sample_index: Path
) -> None:
    page = client.get("/search?q=said&recency=strong").get_data(as_text=True)
    recency = page.split('aria-label="Favour newer articles"', 1)[1].split("</nav>", 1)[0]
    assert re.search(
        r'href="/search\?q=said&amp;recency=strong" aria-current="true">Newer a lot', recency
    )
    assert 'href="/search?q=said">Any date' in recency
    assert client.get("/search?q=said&recency=often").status_code == 400
    with pytest.raises(ValueError, match="RECENCY must be one of none, gentle, strong"):
        create_app({"INDEX": str(sample_index), "RECENCY": "often"})
    gentle = create_app({"INDEX": str(sample_index), "TESTING": True, "RECENCY": "gentle"})

    def ids(app_client: FlaskClient, url: str) -> list[str]:
        return [hit["id"] for hit in app_client.get(url).get_json()["hits"]]

    by_default = ids(gentle.test_client(), "/api/search?q=said&per_page=29")
    assert by_default == ids(client, "/api/search?q=said&per_page=29&recency=gentle")
    assert by_default != ids(client, "/api/search?q=said&per_page=29")
