"""Atom feeds of searches (``/search.atom``), parsed back with feedparser and as XML."""

from __future__ import annotations

import html
import re
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from flask.testing import FlaskClient

from tests.conftest import index_records
from web import create_app
from web.feeds import ATOM, FEED_ENTRIES


@pytest.fixture
def client(sample_index: Path) -> FlaskClient:
    app = create_app({"INDEX": str(sample_index), "TESTING": True, "RATELIMIT_ENABLED": False})
    return app.test_client()


def test_a_search_feed_lists_its_newest_articles(client: FlaskClient) -> None:
    answer = client.get("/search.atom?q=flood&sort=oldest&page=3")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(answer.get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Scoop: flood"
    newest = client.get("/api/search?q=flood&sort=newest&per_page=50").get_json()["hits"]
    links = [entry.link for entry in feed.entries]
    assert [link.split("/articles/")[1].split("?")[0] for link in links] == [
        hit["id"] for hit in newest[:FEED_ENTRIES]
    ]
    assert all(link.endswith("?q=flood") for link in links)
    first = feed.entries[0]
    assert "flood" in first.summary and first.authors
    assert first.published_parsed and first.updated_parsed
    # The summary is the hit's highlighted lead fragment (feedparser drops <mark> tags).
    raw = ElementTree.fromstring(answer.get_data()).find(f"{{{ATOM}}}entry/{{{ATOM}}}summary")
    assert (
        raw is not None and raw.get("type") == "html" and "<mark>flood</mark>" in (raw.text or "")
    )
    alternate = [link.href for link in feed.feed.links if link.rel == "alternate"]
    assert alternate == ["http://localhost/search?q=flood&sort=oldest&page=3"]


def test_a_feed_is_bounded_and_answers_conditional_requests(client: FlaskClient) -> None:
    answer = client.get("/search.atom")  # no query: every article, newest first
    entries = ElementTree.fromstring(answer.get_data()).findall(f"{{{ATOM}}}entry")
    assert len(entries) == FEED_ENTRIES
    assert answer.headers["ETag"] and answer.headers["Last-Modified"]
    again = client.get("/search.atom", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()
    since = client.get(
        "/search.atom", headers={"If-Modified-Since": answer.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    other = client.get("/search.atom?q=bridge", headers={"If-None-Match": answer.headers["ETag"]})
    assert other.status_code == 200


def test_markup_in_articles_and_queries_stays_text(tmp_path: Path) -> None:
    records = [
        {
            "title": 'Tides <script>alert("x")</script> & "quotes"',
            "authors": ["<b>Bold</b> Writer"],
            "published": "2020-02-03",
            "body": ["The <img src=x onerror=alert(1)> tide rose & fell."],
        }
    ]
    app = create_app({"INDEX": str(index_records(records, tmp_path)), "TESTING": True})
    answer = app.test_client().get('/search.atom?q=tide+"<script>"')
    root = ElementTree.fromstring(answer.get_data())  # well-formed XML
    [entry] = root.findall(f"{{{ATOM}}}entry")
    assert entry.findtext(f"{{{ATOM}}}title") == records[0]["title"]
    summary = entry.findtext(f"{{{ATOM}}}summary") or ""
    assert "<img" not in summary and "&lt;img" in summary  # escaped HTML inside the text
    assert "<script>" not in answer.get_data(as_text=True)


def test_the_search_page_offers_its_feed(client: FlaskClient) -> None:
    page = client.get("/search?q=flood&page=2&sort=oldest").get_data(as_text=True)
    [alternate] = re.findall(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page
    )
    [follow] = re.findall(r'<a class="feed-link" href="([^"]+)"', page)
    assert html.unescape(alternate) == html.unescape(follow) == "/search.atom?q=flood"
    assert client.get(html.unescape(follow)).status_code == 200
    assert client.get("/search.atom?since=2020-01-01&until=2010-01-01").status_code == 400
