"""Tests for index.analysis: the analyzer, through real Whoosh indexes and QueryParser queries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in, open_dir
from whoosh.qparser import QueryParser

from index.analysis import MAX_TOKEN_LENGTH, fold, news_analyzer

ANALYZER = news_analyzer()
Search = Callable[[str], set[int]]


def index_docs(tmp_path: Path, *texts: str) -> Search:
    """Index each text as one document; return a function from a query string to the doc numbers.

    The index is reopened from disk, so the analyzer also goes through Whoosh's schema pickling.
    """
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=news_analyzer(), chars=True))
    with create_in(str(tmp_path), schema).writer() as writer:
        for number, text in enumerate(texts):
            writer.add_document(id=str(number), body=text)
    ix = open_dir(str(tmp_path))

    def search(querystring: str) -> set[int]:
        query = QueryParser("body", ix.schema).parse(querystring)
        with ix.searcher() as searcher:
            return {int(hit["id"]) for hit in searcher.search(query, limit=None)}

    return search


def terms(text: str, mode: str = "index") -> list[str]:
    """The texts of the tokens the analyzer makes of ``text``."""
    return [t.text for t in ANALYZER(text, mode=mode)]


SPACES = ["\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000", "\t", "\n"]


@pytest.mark.parametrize("space", SPACES)
def test_unicode_spaces_separate_words_like_spaces(space: str) -> None:
    assert terms(f"context and{space} reasoning") == terms("context and reasoning")


def test_unicode_spaces_and_compatibility_forms_are_searchable(tmp_path: Path) -> None:
    search = index_docs(tmp_path, "context and\u00a0 reasoning", "ﬁnancial report for ２０１７")
    assert search('"and reasoning"') == {0}
    assert search('"context and reasoning"') == {0}
    assert search('"context reasoning"') == set()
    assert search("andreasoning") == set()
    assert search("financial") == {1}
    assert search('"report for 2017"') == {1}


def test_curly_apostrophes_and_possessives(tmp_path: Path) -> None:
    search = index_docs(
        tmp_path,
        "China’s call",
        "China's call",
        "Chinaʼs call",
        "Chinese call",
        "the states’ rights",
    )
    assert search("china") == {0, 1, 2}
    assert search("china's") == {0, 1, 2}
    assert search("China’s") == {0, 1, 2}
    assert search("chinese") == {3}
    assert search("state") == {4}
    assert search('"state rights"') == {4}


def test_fold_straightens_quotes() -> None:
    assert fold("“Quoted” ‘text’ isnʼt") == "\"quoted\" 'text' isn't"


def test_accents_are_folded_both_ways(tmp_path: Path) -> None:
    search = index_docs(
        tmp_path,
        "Pyŏngyang",
        "Pyongyang",
        "Pyo\u0306ngyang",  # decomposed: o + combining breve
        "Zürich",
        "São Paulo",
        "Łódź",
    )
    assert search("pyongyang") == {0, 1, 2}
    assert search("Pyŏngyang") == {0, 1, 2}
    assert search("zurich") == {3}
    assert search("ZÜRICH") == {3}
    assert search("sao") == {4}
    assert search('"sao paulo"') == {4}
    assert search('"paulo sao"') == set()
    assert search("lodz") == {5}
    assert search("pyongyan") == set()


def test_prefix_queries_are_folded(tmp_path: Path) -> None:
    search = index_docs(tmp_path, "Zürich officials preparing")
    assert search("zür*") == {0}
    assert search("ZUR*") == {0}
    assert search("prepar*") == {0}


def test_lowercase_and_stemming(tmp_path: Path) -> None:
    search = index_docs(tmp_path, "Officials PREPARING talks", "they prepared", "news agency")
    assert search("prepare") == {0, 1}
    assert search("preparing") == {0, 1}
    assert search("prepared") == {0, 1}
    assert search("official") == {0}
    assert search("repair") == set()
    # Porter would reduce "news" to "new"; the Snowball English stemmer keeps them apart.
    assert search("news") == {2}
    assert search("new") == set()


HYPHENS = ["-", "\u2010", "\u2011"]


def test_hyphenated_words_are_found_whole_and_by_part(tmp_path: Path) -> None:
    docs = [f"Korean{h}Chinese interpreters" for h in HYPHENS]
    search = index_docs(tmp_path, *docs, "Chinese and Korean interpreters")
    hyphenated = set(range(len(HYPHENS)))
    assert search("korean chinese") == {*hyphenated, 3}
    # Parsed as both parts (AND), anywhere in the document, like "korean chinese".
    assert search("korean-chinese") == {*hyphenated, 3}
    assert search("Korean\u2010Chinese") == {*hyphenated, 3}
    assert search("koreanchinese") == hyphenated
    assert search('"korean chinese"') == hyphenated
    assert search('"korean-chinese interpreters"') == hyphenated
    assert search('"koreanchinese interpreters"') == hyphenated
    assert search('"chinese interpreters"') == hyphenated
    assert search('"chinese korean"') == set()


def test_whole_hyphenated_word_shares_the_last_part_position(tmp_path: Path) -> None:
    index_docs(tmp_path, "call for Korean-Chinese interpreters")
    with open_dir(str(tmp_path)).searcher() as searcher:

        def positions(term: str) -> list[int]:
            return list(searcher.postings("body", term).value_as("positions"))

        assert positions("korean") == [2]
        assert positions("chines") == [3]
        assert positions("koreanchines") == [3]
        assert positions("interpret") == [4]


@pytest.mark.parametrize(
    ("querystring", "expected"),
    [("korean-chinese", {"korean", "chines"}), ("150,000", {"150000"}), ("china's", {"china"})],
)
def test_parsed_query_terms_are_in_the_index(
    tmp_path: Path, querystring: str, expected: set[str]
) -> None:
    index_docs(tmp_path, "China’s 150,000 Korean-Chinese interpreters")
    ix = open_dir(str(tmp_path))
    query = QueryParser("body", ix.schema).parse(querystring)
    assert {text for _, text in query.all_terms()} == expected
    with ix.reader() as reader:
        assert all(("body", text) in reader for text in expected)


@pytest.mark.parametrize("dash", ["\u2014", "\u2013"])
def test_em_and_en_dashes_separate_words(tmp_path: Path, dash: str) -> None:
    text = f"closed the border{dash}a move"
    assert terms(text) == ["close", "the", "border", "a", "move"]
    search = index_docs(tmp_path, text)
    assert search("border") == {0}
    assert search('"border a move"') == {0}
    assert search("bordera") == set()


def test_numbers(tmp_path: Path) -> None:
    assert terms("1,234,567.89 3.5 2017 12,34") == ["1234567.89", "3.5", "2017", "12", "34"]
    search = index_docs(tmp_path, "150,000 troops", "3.5 percent", "in 2017", "35 people")
    assert search("150,000") == {0}
    assert search("150000") == {0}
    assert search("150") == set()
    assert search("3.5") == {1}
    assert search("35") == {3}
    assert search("3") == set()
    assert search("2017") == {2}
    assert search('"in 2017"') == {2}


def test_phrases_match_across_stop_words(tmp_path: Path) -> None:
    search = index_docs(tmp_path, "to possibly end the isolated state’s nuclear weapons program")
    assert search('"end the isolated state"') == {0}
    assert search('"isolated state\'s nuclear"') == {0}
    assert search('"end isolated state"') == set()


def test_offsets_slice_the_original_text() -> None:
    text = "China’s call for Korean-Chinese interpreters"
    tokens = [
        (t.text, t.pos, text[t.startchar : t.endchar])
        for t in ANALYZER(text, positions=True, chars=True, mode="index")
    ]
    assert tokens == [
        ("china", 0, "China"),
        ("call", 1, "call"),
        ("for", 2, "for"),
        ("korean", 3, "Korean"),
        ("chines", 4, "Chinese"),
        ("koreanchines", 4, "Korean-Chinese"),
        ("interpret", 5, "interpreters"),
    ]
    query_tokens = [t.text for t in ANALYZER(text, mode="query")]
    assert query_tokens == ["china", "call", "for", "korean", "chines", "interpret"]


def test_offsets_honour_start_char() -> None:
    tokens = [(t.startchar, t.endchar) for t in ANALYZER("a Zürich", chars=True, start_char=10)]
    assert tokens == [(10, 11), (12, 18)]


def test_over_long_tokens_are_dropped(tmp_path: Path) -> None:
    too_long, longest = "z" * (MAX_TOKEN_LENGTH + 1), "x" * MAX_TOKEN_LENGTH
    halves = "a" * 40 + "-" + "b" * 40
    assert terms(f"{too_long} {longest} {halves}") == [longest, "a" * 40, "b" * 40]
    search = index_docs(tmp_path, f"before {too_long} {longest} after")
    assert search(longest) == {0}
    assert search(too_long) == set()


TRICKY = "aZé\u0301\u0306-\u2010\u2011\u2013\u2014\u00ad’'ʼsS.,_0123 \u00a0\u3000ﬁ²"


@given(st.text() | st.text(alphabet=TRICKY))
def test_any_text_yields_tokens_within_the_text(text: str) -> None:
    for mode in ("index", "query"):
        last_pos = 0
        for t in ANALYZER(text, positions=True, chars=True, mode=mode):
            assert 0 <= t.startchar < t.endchar <= len(text)
            assert last_pos <= t.pos
            assert 0 < len(t.text) <= MAX_TOKEN_LENGTH
            last_pos = t.pos


@given(st.text() | st.text(alphabet=TRICKY))
def test_query_terms_are_a_subset_of_index_terms(text: str) -> None:
    assert set(terms(text, mode="query")) <= set(terms(text, mode="index"))


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
