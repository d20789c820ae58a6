"""Autocomplete on real indexes: the bundled samples and a tiny one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.generations import current_generation
from search.suggest import MAX_COMPLETIONS, complete
from search.vocabulary import Vocabulary
from tests.conftest import index_records

TINY_ARTICLES = [
    ("t1", "Quokka census on Rottnest", "Rangers counted quokkas. The quokka population grew."),
    ("t2", "Quokka photographs", "Tourists photograph the quokka near the ferry. Fabric tea."),
    ("t3", "Ferry timetable", "The ferry runs hourly. Fabric fen."),
    ("t4", "A fable", "The keeper retired. Fez."),
    ("t5", "Letters", "Zeta zebra zenith zest zero zinc zone zoo zoom zulu zany zap."),
]


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
def samples_words(sample_index: Path) -> Vocabulary:
    """The spelling vocabulary of the bundled samples' generation."""
    return Vocabulary.open(current_generation(sample_index).path)


@pytest.fixture(scope="module")
def tiny_words(tiny_root: Path) -> Vocabulary:
    return Vocabulary.open(current_generation(tiny_root).path)


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
@given(text=st.text(max_size=200))
def test_never_raises(samples_words: Vocabulary, text: str) -> None:
    completions = complete(samples_words, text)
    assert len(completions) <= MAX_COMPLETIONS
    assert all(isinstance(c, str) for c in completions)
