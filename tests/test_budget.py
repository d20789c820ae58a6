"""The time budget: a search past it stops starting work and answers with a subset of the
full answer, never letting an excluded article through, and says so."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import numpy as np
import pytest

from search import buckets, filters
from search.budget import BUSY_NOTICE, TIME_NOTICE, Deadline, SearchBusy
from search.engine import UNMARKED_NOTICE, Searcher
from search.request import Scope, SearchRequest
from web import create_app

QUERIES = [
    "harbour bridge flood",
    "when will the harbour bridge close",
    "cannery -flood",
    "cannery NOT flood -council",
    '"harbour bridge" OR river',
    "(ferry OR bridge) AND harbour",
    "flood* cannerry~",
]


def _ticks() -> Iterator[float]:
    return (float(tick) for tick in count())


def _ranked(engine: Searcher, query: str, deadline: Deadline | None) -> set[int]:
    """The documents a search for ``query`` finds within ``deadline``."""
    opened = engine._current()
    evaluator = opened.evaluator(deadline)
    parsed = opened.read(query, Scope.ALL)
    allowed = filters.allowed(evaluator, SearchRequest(query=query), parsed, None)
    ranked = buckets.rank(evaluator, parsed, allowed)
    return set(np.flatnonzero(ranked.mask).tolist())


@pytest.fixture(scope="module")
def engine(sample_index: Path) -> Iterator[Searcher]:
    searcher = Searcher(sample_index)
    yield searcher
    searcher.close()


@pytest.mark.parametrize("query", QUERIES)
def test_stopping_at_any_point_keeps_a_subset_of_the_answer(engine: Searcher, query: str) -> None:
    full = _ranked(engine, query, None)
    assert full
    seen_partial = False
    for checks in range(60):  # the deadline passes after this many clock readings
        deadline = Deadline(checks, clock=_ticks().__next__)
        partial = _ranked(engine, query, deadline)
        assert partial <= full, (checks, partial - full)
        seen_partial |= deadline.ran_out and 0 < len(partial) < len(full)
        if not deadline.ran_out:
            assert partial == full
            break
    else:
        pytest.fail("60 clock readings were not enough for the whole search")
    if query.startswith("harbour bridge flood"):
        assert seen_partial  # an Or cut part-way keeps the words it had scored


def test_a_spent_budget_answers_with_notices_not_an_error(sample_index: Path) -> None:
    engine = Searcher(sample_index, seconds=-1.0)  # spent before it starts
    response = engine.search(SearchRequest(query="harbour bridge -ferry"))
    engine.close()
    assert response.notices[-2:] == (TIME_NOTICE, UNMARKED_NOTICE)
    assert not response.total_exact
    assert (response.total, response.suggestion) == (0, None)  # nothing was started


def test_the_web_app_takes_its_budget_from_config(sample_index: Path) -> None:
    client = create_app({"INDEX": str(sample_index), "SEARCH_SECONDS": -1}).test_client()
    body = client.get("/api/search", query_string={"q": "harbour bridge"}).get_json()
    page = client.get("/search", query_string={"q": "harbour bridge"})
    assert TIME_NOTICE in body["notices"] and body["total_exact"] is False
    assert page.status_code == 200
    assert "stopped at its time limit" in page.get_data(as_text=True)
    fine = create_app({"INDEX": str(sample_index)}).test_client()
    assert TIME_NOTICE not in fine.get("/api/search?q=harbour+bridge").get_json()["notices"]


def test_a_search_whose_client_has_gone_stops_like_one_out_of_time(engine: Searcher) -> None:
    asked: list[bool] = []

    def gone() -> bool:
        asked.append(True)
        return True

    response = engine.search(SearchRequest(query="harbour bridge"), gone=gone)
    assert asked and response.total == 0 and response.hits == ()
    assert TIME_NOTICE in response.notices
    assert engine.search(SearchRequest(query="harbour bridge"), gone=lambda: False).total


def _held(engine: Searcher) -> tuple[threading.Event, threading.Thread]:
    """Another request holding the searcher until the returned event is set."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with engine._turn():
            taken.set()
            release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(30)
    return release, thread


def test_a_search_that_cannot_start_within_its_budget_is_busy_not_queued(
    sample_index: Path,
) -> None:
    engine = Searcher(sample_index, seconds=0.05)
    release, thread = _held(engine)
    try:
        with pytest.raises(SearchBusy) as busy:
            engine.search(SearchRequest(query="harbour"))
        assert busy.value.retry_after == 1
    finally:
        release.set()
        thread.join()
    assert engine.search(SearchRequest(query="harbour")).total  # free again
    engine.close()


def test_busy_is_a_503_with_retry_after_on_the_page_and_the_api(sample_index: Path) -> None:
    app = create_app({"INDEX": str(sample_index), "SEARCH_SECONDS": 0.05})
    client = app.test_client()
    engine = app.extensions["scoop.searcher"]
    release, thread = _held(engine)
    try:
        api = client.get("/api/search", query_string={"q": "harbour"})
        page = client.get("/search", query_string={"q": "harbour"})
    finally:
        release.set()
        thread.join()
    for response in (api, page):
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert response.headers["Content-Security-Policy"]
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["detail"] == BUSY_NOTICE
    assert BUSY_NOTICE in page.get_data(as_text=True)
    assert client.get("/api/search", query_string={"q": "harbour"}).status_code == 200
