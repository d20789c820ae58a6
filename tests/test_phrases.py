"""Phrase verification within a request's budget: the best-scoring candidates are
checked against positions, the rest are reported, never silently dropped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from manage import cli as cli_main
from search import phrases
from search.engine import UNCHECKED_NOTICE, Searcher
from search.reference import ReferenceSearcher
from search.request import Scope, SearchRequest
from tests.conftest import index_records
from web import create_app

ADJACENT = 30
"""Articles holding "harbour bridge" side by side, each a different number of times."""
APART = 6
"""Articles holding both words, never side by side (candidates the positions reject)."""


def _records() -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for number in range(ADJACENT):
        text = " ".join(["the harbour bridge opened"] * (1 + number % 7))
        records.append({"id": f"near-{number}", "title": f"Report {number}", "body": [text]})
    for number in range(APART):
        text = "the bridge over the river, far from the harbour, closed for repairs."
        records.append({"id": f"apart-{number}", "title": f"Notice {number}", "body": [text]})
    return records


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return index_records(_records(), tmp_path_factory.mktemp("phrases"))


@pytest.fixture
def engine(root: Path) -> Iterator[Searcher]:
    searcher = Searcher(root)
    yield searcher
    searcher.close()


def _ids(searcher: Searcher, query: str, per_page: int = 10) -> list[str]:
    response = searcher.search(SearchRequest(query=query, per_page=per_page))
    return [hit.id for hit in response.hits]


def test_within_budget_the_total_is_exact_and_apart_words_are_rejected(engine: Searcher) -> None:
    response = engine.search(SearchRequest(query='"harbour bridge"', per_page=50))
    assert response.total == ADJACENT
    assert response.total_exact
    assert all(hit.title.startswith("Report") for hit in response.hits)
    assert UNCHECKED_NOTICE not in response.notices


def test_over_budget_checks_the_best_scoring_and_says_the_total_is_a_floor(
    engine: Searcher, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = ReferenceSearcher(root)
    best = _ids(reference, '"harbour bridge"', per_page=10)
    reference.close()
    monkeypatch.setattr(phrases, "PHRASE_CHECKS", 10)

    response = engine.search(SearchRequest(query='"harbour bridge"', per_page=10))

    assert [hit.id for hit in response.hits] == best
    assert response.total == 10
    assert not response.total_exact
    assert response.notices == (UNCHECKED_NOTICE,)


def test_the_budget_is_shared_by_every_phrase_of_a_request(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(phrases, "PHRASE_CHECKS", 12)
    engine = Searcher(root)
    opened = engine._current()
    evaluator = opened.evaluator()
    parsed = opened.read('"harbour bridge" OR "bridge opened"', Scope.ALL)
    evaluator.match(parsed.query)
    engine.close()

    assert evaluator.work.verified == 12
    assert sum(evaluator.work.unchecked.values()) == (ADJACENT + APART) + ADJACENT - 12


def test_the_page_the_api_and_the_cli_say_at_least(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(phrases, "PHRASE_CHECKS", 10)
    client = create_app({"INDEX": str(root)}).test_client()

    page = client.get("/search", query_string={"q": '"harbour bridge"'})
    body = client.get("/api/search", query_string={"q": '"harbour bridge"'}).get_json()
    cli = CliRunner().invoke(cli_main, ["search", '"harbour bridge"', "--index", str(root)])

    assert page.status_code == 200
    assert "at least 10 results" in " ".join(page.get_data(as_text=True).split())
    assert (body["total"], body["total_exact"]) == (10, False)
    assert UNCHECKED_NOTICE in body["notices"]
    assert "at least 10 results" in cli.output


ACROSS = [
    {
        "title": "Evening crowds",
        "body": ["Crowds gathered at the harbour.", "Bridge traffic was light all evening."],
    },
    {
        "title": "Photos of the day",
        "body": ["A quiet day."],
        "captions": [{"text": "Boats in the harbour"}, {"text": "Bridge lights at dusk"}],
    },
    {
        "title": "Council notes",
        "authors": ["Ana Harbour", "Bridge Okafor"],
        "body": ["The council met."],
    },
    {"title": "Walks", "body": ["We crossed the harbour bridge at noon."]},
]


def _titles(searcher: Searcher, query: str) -> list[str]:
    return [hit.title for hit in searcher.search(SearchRequest(query=query)).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"harbour bridge"', ["Walks"]),
        ('caption:"harbour bridge"', []),
        ('by:"harbour bridge"', []),
    ],
)
def test_a_phrase_never_spans_two_paragraphs_captions_or_authors(
    tmp_path: Path, query: str, expected: list[str]
) -> None:
    """The end of one section and the start of the next are not side by side."""
    searcher = Searcher(index_records(ACROSS, tmp_path))
    try:
        assert _titles(searcher, query) == expected
        assert len(_titles(searcher, "harbour bridge")) == len(ACROSS)
    finally:
        searcher.close()
