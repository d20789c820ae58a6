"""Questions typed as prose are read as prose: ``?``, stray colons and all-capital
``AND``/``OR``/``NOT`` are text, while the query language keeps working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engine import Searcher
from search.query import TYPED_FIELD_NAMES
from search.questions import as_typed
from search.request import SearchRequest, SearchResponse


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("will the bridge close?", "will the bridge close"),
        ("is it close ? yes", "is it close yes"),
        ('he asked "why?" twice', 'he asked "why" twice'),
        ("wom?n t??t* colo?r", "wom?n t??t* colo?r"),
        ("Office Technology: a survey", "Office Technology a survey"),
        ("at 8:15 am", "at 8 15 am"),
        ("title:bridge by:ana headline:flood", "title:bridge by:ana headline:flood"),
        ("published:[2018 TO 2019] flood", "published:[2018 TO 2019] flood"),
        ("RUSSIA AND CANADA", "RUSSIA and CANADA"),
        ("SPARSE NOT MATRICES OR GRAPHS", "SPARSE not MATRICES or GRAPHS"),
        ("sparse NOT matrices", "sparse -matrices"),
        ("(ferry OR bridge) NOT council", "(ferry OR bridge) -council"),
        ("NOT council", "NOT council"),
        ("ferry OR council", "ferry OR council"),
        ("ferry AND council", "ferry AND council"),
        ("notable ORCHESTRA", "notable ORCHESTRA"),
        ("difficult - even impossible -- to draw", "difficult even impossible to draw"),
        ("hypertrophy \u2014 stimulus", "hypertrophy stimulus"),
        ("four authors (Bauer, Duncan, and Land)", "four authors Bauer, Duncan, and Land"),
        ("the (unbalanced bracket", "the unbalanced bracket"),
        ("(ferry OR bridge) council", "(ferry OR bridge) council"),
        ("harbour -(bridge ferry)", "harbour -(bridge ferry)"),
        ("title:(bridge ferry) flood", "title:(bridge ferry) flood"),
        ("-ferry", "-ferry"),
    ],
)
def test_prose_punctuation_is_text_and_syntax_stays_syntax(typed: str, read: str) -> None:
    assert as_typed(typed, TYPED_FIELD_NAMES) == read


@pytest.fixture(scope="module")
def engine(sample_index: Path) -> Iterator[Searcher]:
    searcher = Searcher(sample_index)
    yield searcher
    searcher.close()


def _search(engine: Searcher, query: str) -> SearchResponse:
    return engine.search(SearchRequest(query=query, per_page=50))


def _titles(response: SearchResponse) -> list[str]:
    return [hit.title for hit in response.hits]


def test_a_question_mark_ends_a_question(engine: Searcher) -> None:
    asked = _search(engine, "When will the harbour bridge close?")
    plain = _search(engine, "When will the harbour bridge close")
    assert asked.total and _titles(asked) == _titles(plain)
    assert asked.notices == plain.notices == ()
    assert asked.all_words_total == plain.all_words_total
    assert asked.hits[0].title == "Harbour Bridge to Close for Nine Months of Repairs"


def test_a_colon_after_a_word_that_is_no_field_is_text(engine: Searcher) -> None:
    asked = _search(engine, "Light rail: did voters approve the sales tax?")
    assert _titles(asked) == _titles(_search(engine, "Light rail did voters approve the sales tax"))
    assert asked.hits[0].title == "Voters Approve Sales Tax for Eastside Light Rail"


def test_capitals_are_prose_but_operators_in_lower_case_queries_work(engine: Searcher) -> None:
    shouted = _search(engine, "CANNERY AND FLOOD")
    assert _titles(shouted) == _titles(_search(engine, "cannery flood"))
    required = _search(engine, "cannery AND flood")
    assert 0 < required.total <= shouted.total


def test_not_between_words_excludes(engine: Searcher) -> None:
    without = _search(engine, "cannery NOT flood")
    assert without.total
    assert _titles(without) == _titles(_search(engine, "cannery -flood"))
    assert without.total < _search(engine, "cannery").total
    assert not any("flood" in title.lower() for title in _titles(without))
