"""The dek (standfirst): read from a scrape, indexed, searchable, on the article page and API."""

from __future__ import annotations

from pathlib import Path

from index.build import build_index
from search.engine import Searcher
from search.request import SearchRequest
from tests.conftest import FIXTURES, index_records
from web import create_app

DEK = "The first increase since 2019 will pay for fuel and insurance, the board says"


def test_a_scrape_dek_is_indexed_searchable_and_shown(tmp_path: Path) -> None:
    root = tmp_path / "index"
    report = build_index([FIXTURES / "articles" / "dek_standfirst.txt"], root)
    assert report.indexed == 1 and not report.problems
    searcher = Searcher(root)
    [hit] = searcher.search(SearchRequest(query="insurance")).hits
    article = searcher.article(hit.id)
    searcher.close()
    assert article is not None and article.dek == DEK
    client = create_app({"INDEX": str(root)}).test_client()
    page = client.get(f"/articles/{hit.id}").get_data(as_text=True)
    assert f'<p class="story-dek">{DEK}</p>' in page
    assert client.get(f"/api/articles/{hit.id}").get_json()["dek"] == DEK


def test_a_match_only_in_the_dek_is_a_full_hit(tmp_path: Path) -> None:
    root = index_records(
        [
            {"id": "in-dek", "title": "Board votes", "dek": "Ferry fares rise", "body": "x y"},
            {"id": "in-body", "title": "Board votes", "body": "Ferry fares rise"},
        ],
        tmp_path,
    )
    searcher = Searcher(root)
    hits = searcher.search(SearchRequest(query="ferry")).hits
    searcher.close()
    assert len(hits) == 2 and all(not hit.weak for hit in hits)


def test_an_article_without_a_dek_shows_none(tmp_path: Path) -> None:
    root = index_records(
        [{"id": "a", "title": "Board votes", "body": "Ferry fares rise"}], tmp_path
    )
    client = create_app({"INDEX": str(root)}).test_client()
    searcher = Searcher(root)
    [hit] = searcher.search(SearchRequest(query="ferry")).hits
    searcher.close()
    assert "story-dek" not in client.get(f"/articles/{hit.id}").get_data(as_text=True)
    assert client.get(f"/api/articles/{hit.id}").get_json()["dek"] == ""
