"""Related articles ("more like this") on the bundled samples: the core, the JSON
endpoint and the article page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search.engine import MAX_RELATED, Searcher
from search.related import MAX_TERMS, significant_terms
from search.request import SearchRequest
from web import create_app


@pytest.fixture(scope="module")
def engine(sample_index: Path) -> Iterator[Searcher]:
    opened = Searcher(sample_index)
    yield opened
    opened.close()


def _first(engine: Searcher, query: str) -> str:
    return engine.search(SearchRequest(query=query)).hits[0].id


@pytest.mark.parametrize(
    ("query", "alike"),
    [
        ("light rail plan billion", "Voters Approve Sales Tax for Eastside Light Rail"),
        ("harbour bridge centenary party", "Harbour Bridge Reopens Nearly Two Months Early"),
        ("housing park cannery site", "Halvorsen Cannery Will Not Reopen After Flood, Owners Say"),
    ],
)
def test_the_most_alike_article_comes_first(engine: Searcher, query: str, alike: str) -> None:
    article = _first(engine, query)
    found = engine.related(article)
    assert found is not None and 1 <= len(found) <= MAX_RELATED
    assert found[0].title == alike
    assert article not in {item.id for item in found}
    assert len({item.id for item in found}) == len(found)


def test_significant_terms_leave_out_glue_and_lone_words(engine: Searcher) -> None:
    reader = engine._current().searcher.reader()
    terms = significant_terms(reader, "The Quokkaquux of the Harbour", "the the the harbour ferry")
    assert [term for term, _ in terms][:1] == ["harbour"]
    assert not {"the", "of", "quokkaquux"} & {term for term, _ in terms}
    assert len(terms) <= MAX_TERMS


def test_an_unknown_article_has_no_related_ones(engine: Searcher) -> None:
    assert engine.related("0" * 16) is None


@pytest.fixture
def client(sample_index: Path) -> FlaskClient:
    return create_app({"INDEX": str(sample_index), "TESTING": True}).test_client()


def test_the_endpoint_and_the_page_list_them(client: FlaskClient, engine: Searcher) -> None:
    article = _first(engine, "light rail plan billion")
    answer = client.get(f"/api/articles/{article}/related")
    assert answer.status_code == 200 and answer.headers["ETag"]
    body = answer.get_json()
    assert body["id"] == article and body["related"][0]["url"].startswith("/articles/")
    page = client.get(f"/articles/{article}").get_data(as_text=True)
    related = page.split('class="related"', 1)[1]
    for item in body["related"]:
        assert f'href="/articles/{item["id"]}"' in related
    assert client.get("/api/articles/0000000000000000/related").status_code == 404
