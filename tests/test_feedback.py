"""Pseudo-relevance feedback: long questions are re-ranked by their best matches' words;
what they match, and every short query, is left as typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search import feedback
from search.engine import Searcher
from search.query import parse_query
from search.request import SearchRequest
from tests.conftest import index_records

QUESTION = "wing flutter model wind test"
FILLER = [f"council budget vote number {n} on housing and schools" for n in range(30)]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    records = [
        *(
            {"id": f"best-{n}", "title": f"Flutter study {n}", "body": body}
            for n, body in enumerate(
                [
                    "wing flutter model in the wind tunnel test, aeroelastic aeroelastic",
                    "aeroelastic wing flutter: a model wind test of the aeroelastic panel",
                    "the model wing showed flutter in a wind test; aeroelastic theory",
                    "flutter of a model wing: wind test results and aeroelastic limits",
                    "wind test of wing flutter on a model with aeroelastic damping",
                    "a model for wing flutter from wind test data, aeroelastic tailoring",
                ]
            )
        ),
        {"id": "related", "title": "Panels", "body": "the aeroelastic wing, aeroelastic again"},
        {"id": "unrelated", "title": "Furniture", "body": "a chair test"},
        *({"id": f"filler-{n}", "title": "Council", "body": text} for n, text in enumerate(FILLER)),
    ]
    opened = Searcher(index_records(records, tmp_path_factory.mktemp("feedback")))
    yield opened
    opened.close()


def _ids(searcher: Searcher, query: str) -> list[str]:
    return searcher.ranked_ids(query)


def test_only_questions_of_several_words_get_feedback() -> None:
    from index.schema import build_schema

    schema = build_schema()
    assert feedback.applies(parse_query(QUESTION, schema))
    question = "What is the model of wing flutter in a wind test?"
    assert feedback.applies(parse_query(question, schema))
    for short in ("wing flutter", "wing flutter model wind", '"wing flutter" model wind test'):
        assert not feedback.applies(parse_query(short, schema)), short
    assert not feedback.applies(parse_query("wing OR flutter OR model OR wind OR test", schema))


def test_feedback_promotes_the_article_sharing_the_best_matches_words(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_feedback = _ids(searcher, QUESTION)
    monkeypatch.setattr(feedback, "DOCS", 0)
    without = _ids(searcher, QUESTION)
    assert without.index(_id(searcher, "unrelated")) < without.index(_id(searcher, "related"))
    assert with_feedback.index(_id(searcher, "related")) < with_feedback.index(
        _id(searcher, "unrelated")
    )


def test_feedback_never_changes_what_a_question_matches(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = SearchRequest(query=QUESTION, per_page=50)
    with_feedback = searcher.search(request)
    monkeypatch.setattr(feedback, "DOCS", 0)
    without = searcher.search(request)
    assert with_feedback.total == without.total == 8  # no filler article holds a question word
    assert {h.id for h in with_feedback.hits} == {h.id for h in without.hits}
    assert with_feedback.facets == without.facets
    assert [h.id for h in with_feedback.hits] != [h.id for h in without.hits]


def test_short_queries_rank_exactly_as_without_feedback(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = ["wing", "wing test", "aeroelastic wing flutter", "wing flutter model wind"]
    before = {query: _ids(searcher, query) for query in queries}
    monkeypatch.setattr(feedback, "DOCS", 0)
    assert before == {query: _ids(searcher, query) for query in queries}


def test_feedback_reads_a_bounded_number_of_articles_and_adds_bounded_words(
    searcher: Searcher,
) -> None:
    import numpy as np

    opened = searcher._current()
    parsed = opened.read(QUESTION, SearchRequest().scope)
    match = opened.evaluator().match(parsed.query)
    best = feedback.best_documents(match.scores, match.mask)
    assert len(best) == min(feedback.DOCS, match.count)
    assert list(match.scores[best]) == sorted(match.scores[best], reverse=True)
    extra = feedback.expansion(opened.searcher, parsed, ("title", "body"), best, match.scores)
    words = {text for _field, text in extra.iter_all_terms()}
    asked = {text for _field, text in parsed.query.iter_all_terms()}
    assert b"aeroelast" in {w if isinstance(w, bytes) else w.encode() for w in words}
    assert 0 < len(words) <= feedback.TERMS and not words & asked
    assert np.all(match.scores[best] > 0)


def _id(searcher: Searcher, record_id: str) -> str:
    from index.model import article_id

    return article_id(f"id:{record_id}")
