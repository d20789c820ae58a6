"""'Did you mean' and autocomplete on real indexes: the bundled samples and a tiny one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.searching import Searcher

from index.generations import current_generation
from search.query import parse_query
from search.suggest import MAX_COMPLETIONS, SUGGEST_BELOW, complete, did_you_mean
from search.vocabulary import Vocabulary
from tests.conftest import index_records

TINY_ARTICLES = [
    ("t1", "Quokka census on Rottnest", "Rangers counted quokkas. The quokka population grew."),
    ("t2", "Quokka photographs", "Tourists photograph the quokka near the ferry. Fabric tea."),
    ("t3", "Ferry timetable", "The ferry runs hourly. Fabric fen."),
    ("t4", "A fable", "The keeper retired. Fez."),
    ("t5", "Letters", "Zeta zebra zenith zest zero zinc zone zoo zoom zulu zany zap."),
    # "harbor" is indexed, in one article, but "harbour" is in twelve.
    ("t6", "Harbor dues", "The harbor dues rose."),
    *((f"h{i}", f"Harbour report {i}", "The harbour was busy.") for i in range(12)),
]


def _open(root: Path) -> Iterator[Searcher]:
    searcher = whoosh_index.open_dir(str(current_generation(root).path)).searcher()
    yield searcher
    searcher.close()


@pytest.fixture(scope="module")
def samples(sample_index: Path) -> Iterator[Searcher]:
    """A Whoosh searcher on the bundled samples."""
    yield from _open(sample_index)


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of a handful of articles with a known vocabulary."""
    folder = tmp_path_factory.mktemp("tiny-articles")
    records = [
        {"id": key, "title": title, "authors": ["Ann Lee"], "published": "2020-01-02", "body": body}
        for key, title, body in TINY_ARTICLES
    ]
    return index_records(records, folder)


@pytest.fixture(scope="module")
def tiny(tiny_root: Path) -> Iterator[Searcher]:
    """A Whoosh searcher on the tiny index."""
    yield from _open(tiny_root)


@pytest.fixture(scope="module")
def samples_words(sample_index: Path) -> Vocabulary:
    """The spelling vocabulary of the bundled samples' generation."""
    return Vocabulary.open(current_generation(sample_index).path)


@pytest.fixture(scope="module")
def tiny_words(tiny_root: Path) -> Vocabulary:
    return Vocabulary.open(current_generation(tiny_root).path)


def counter(searcher: Searcher) -> Callable[[str], int]:
    """The number of results of a query string, as the engine counts them."""

    def count(text: str) -> int:
        query = parse_query(text, searcher.schema).query
        return 0 if query is wq.NullQuery else len(searcher.search(query, limit=None))

    return count


def suggest(searcher: Searcher, text: str) -> str | None:
    count = counter(searcher)
    return did_you_mean(searcher, text, count(text), count)


# Did you mean


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("interpretrs", "interpreters"),
        ("harbur", "harbour"),
        ("Harbur", "Harbour"),
        ("HARBUR", "HARBOUR"),
        ("cannary", "cannery"),
        ("Pyŏngyng", "Pyongyang"),
        ('"harbur brige"', '"harbour bridge"'),
    ],
)
def test_misspelling_is_corrected_to_a_query_with_more_results(
    samples: Searcher, typed: str, expected: str
) -> None:
    count = counter(samples)
    assert suggest(samples, typed) == expected
    assert count(expected) > count(typed)


@pytest.mark.parametrize("text", ["harbour", "flood", "light rail", "interpreters", "pyongyang"])
def test_correct_query_gets_no_suggestion(samples: Searcher, text: str) -> None:
    assert suggest(samples, text) is None


@pytest.mark.parametrize("text", ["xylophonequartz", "qqqqqq zzzzzz"])
def test_nothing_nearby_gets_no_suggestion(samples: Searcher, text: str) -> None:
    assert counter(samples)(text) == 0
    assert suggest(samples, text) is None


def test_multiword_query_keeps_the_other_words(tiny: Searcher) -> None:
    assert counter(tiny)("quokka fery") < SUGGEST_BELOW
    assert suggest(tiny, "quokka fery") == "quokka ferry"
    assert suggest(tiny, "Quoka AND ferry") == "Quokka AND ferry"


def test_swapped_letters_are_one_edit_and_common_words_win(tiny: Searcher) -> None:
    # "tea" (one substitution) is in one article, "the" (one swap) in almost all.
    assert suggest(tiny, "teh") == "the"


def test_rare_indexed_word_yields_to_a_much_more_common_spelling(tiny: Searcher) -> None:
    assert counter(tiny)("harbor") == 1
    assert suggest(tiny, "harbor") == "harbour"
    assert suggest(tiny, "fable") is None  # indexed once, nothing common nearby


def test_syntax_is_kept_and_only_searchable_words_are_corrected(tiny: Searcher) -> None:
    assert suggest(tiny, "title:quoka") == "title:quokka"
    assert suggest(tiny, "headline:quoka") == "headline:quokka"
    assert suggest(tiny, "author:quoka") is None  # no spelling data for authors
    assert suggest(tiny, "quoka*") is None
    assert suggest(tiny, "quoka~") is None
    assert suggest(tiny, "timetable -quoka") is None  # excluding words cannot add results
    assert suggest(tiny, "timetable NOT quoka") is None


def test_count_decides_and_is_asked_once(tiny: Searcher) -> None:
    asked: list[str] = []

    def count(text: str) -> int:
        asked.append(text)
        return 0

    assert did_you_mean(tiny, "quoka", 0, count) is None
    assert asked == ["quokka"]
    assert did_you_mean(tiny, "quoka", SUGGEST_BELOW, count) is None
    assert asked == ["quokka"]


@pytest.mark.parametrize("text", ["", "   ", "?!*", "AND OR", "-", "x" * 5000, "平壤 пхеньян"])
def test_odd_queries_get_no_suggestion(samples: Searcher, text: str) -> None:
    assert did_you_mean(samples, text, 0, lambda _: 100) is None


# Autocomplete


def test_completes_the_last_word(samples_words: Vocabulary) -> None:
    assert complete(samples_words, "harb")[0] == "harbour"
    assert complete(samples_words, "pyo") == ["pyongyang"]
    assert complete(samples_words, "Pyŏ") == ["Pyongyang"]
    assert complete(samples_words, "light ra")[0] == "light rail"
    assert complete(samples_words, 'title:"maren ri')[0] == 'title:"maren river'


def test_ranks_by_articles_with_titles_weighted_then_alphabetically(tiny_words: Vocabulary) -> None:
    # fable: one title (3); fabric: two bodies (2); fen, fez: one body each (1).
    assert complete(tiny_words, "fa") == ["fable", "fabric"]
    assert complete(tiny_words, "fe") == ["ferry", "fen", "fez"]


def test_typed_word_is_offered_only_when_nothing_longer(tiny_words: Vocabulary) -> None:
    assert complete(tiny_words, "quokka") == ["quokkas"]
    assert complete(tiny_words, "fable") == ["fable"]


@pytest.mark.parametrize("text", ["", " ", "ferry ", "quokka,", "x" * 51, "zzzzq"])
def test_nothing_to_complete(tiny_words: Vocabulary, text: str) -> None:
    assert complete(tiny_words, text) == []


def test_limit_is_respected_and_capped(tiny_words: Vocabulary) -> None:
    assert len(complete(tiny_words, "z")) == MAX_COMPLETIONS
    assert len(complete(tiny_words, "z", limit=50)) == MAX_COMPLETIONS
    assert complete(tiny_words, "z", limit=3) == ["zany", "zap", "zebra"]
    assert complete(tiny_words, "z", limit=0) == []


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200), total=st.integers(-1, 5))
def test_never_raises(samples: Searcher, samples_words: Vocabulary, text: str, total: int) -> None:
    found = did_you_mean(samples, text, total, lambda _: total + 1)
    assert found is None or isinstance(found, str)
    completions = complete(samples_words, text)
    assert len(completions) <= MAX_COMPLETIONS
    assert all(isinstance(c, str) for c in completions)
