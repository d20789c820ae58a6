"""'Did you mean' through the search core: the issue's examples on the bundled samples,
the rules on a tiny index, and precision and recall over a committed set of misspellings
(``tests/fixtures/misspellings.tsv``, measured as ``python -m bench.spelling`` does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.spelling import Case, index_collection, read_cases, score
from search.engine import Searcher
from search.request import SearchRequest
from tests.conftest import index_records

TINY = [
    ("Quokka census on Rottnest", "Rangers counted quokkas. The quokka population grew."),
    ("Quokka photographs", "Tourists photograph the quokka near the ferry. Fabric tea."),
    ("Ferry timetable", "The ferry runs hourly. Fabric fen."),
    ("A fable", "The keeper retired. Fez."),
]


@pytest.fixture(scope="module")
def samples(sample_index: Path) -> Iterator[Searcher]:
    engine = Searcher(sample_index)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    records = [{"title": title, "authors": ["Ann Lee"], "body": [body]} for title, body in TINY]
    engine = Searcher(index_records(records, tmp_path_factory.mktemp("tiny")))
    yield engine
    engine.close()


def suggestion(engine: Searcher, text: str) -> str | None:
    return engine.search(SearchRequest(query=text)).suggestion


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("harbour brige", "harbour bridge"),  # some results, but none with both words
        ("harbor bridge", "harbour bridge"),  # American spelling of a British archive
        ("flo", "flood"),  # the start of a word
        ("Harbur", "Harbour"),
        ("HARBUR", "HARBOUR"),
        ("Pyŏngyng", "Pyongyang"),
        ('"harbur brige"', '"harbour bridge"'),
        ("title:cannary", "title:cannery"),
    ],
)
def test_a_misspelling_is_corrected(samples: Searcher, typed: str, expected: str) -> None:
    assert suggestion(samples, typed) == expected


@pytest.mark.parametrize(
    "text",
    [
        "bee",  # an indexed word is no misspelling of "be"
        "Joshua Philipp",  # a byline's name is no misspelling of "Philip"
        "timetable",  # found by its stem ("timetables")
        "harbour bridge",
        "light rail",
        "xylophonequartz",  # nothing near
        "qqqqqq zzzzzz",
        "bridge -brige",  # excluding words cannot add results
        "brige*",
        "brige~",
    ],
)
def test_no_suggestion(samples: Searcher, text: str) -> None:
    assert suggestion(samples, text) is None


def test_other_words_and_syntax_stay_as_typed(tiny: Searcher) -> None:
    assert suggestion(tiny, "quokka fery") == "quokka ferry"
    assert suggestion(tiny, "Quoka AND ferry") == "Quokka AND ferry"
    assert suggestion(tiny, "headline:quoka") == "headline:quokka"
    assert suggestion(tiny, "teh ferry") == "the ferry"  # a swap is one edit


@pytest.mark.parametrize("text", ["", "   ", "?!*", "AND OR", "-", "x" * 1000, "平壤 пхеньян"])
def test_odd_queries_get_no_suggestion(samples: Searcher, text: str) -> None:
    assert suggestion(samples, text) is None


@pytest.fixture(scope="module")
def collections(
    sample_index: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Searcher]]:
    folder = tmp_path_factory.mktemp("spelling")
    opened = {"samples": Searcher(sample_index)}
    for name in ("med", "cisi", "cran"):
        opened[name] = Searcher(index_collection(name, folder))
    yield opened
    for engine in opened.values():
        engine.close()


@pytest.mark.parametrize(
    ("chosen", "precision", "recall"), [("tuning", 1.0, 1.0), ("held-out", 0.95, 0.9)]
)
def test_precision_and_recall_over_the_misspelling_set(
    collections: dict[str, Searcher], chosen: str, precision: float, recall: float
) -> None:
    cases = [case for case in read_cases() if case.set == chosen]

    def suggest(case: Case) -> str | None:
        return suggestion(collections[case.collection], case.typed)

    found = score(cases, suggest)
    assert found.cases >= 25 and found.misspelt >= 15
    assert (found.precision, found.recall) >= (precision, recall), found
