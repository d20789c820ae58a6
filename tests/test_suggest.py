"""Autocomplete on real indexes: the bundled samples and a tiny one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.generations import current_generation
from index.update import MERGE_AT_SEGMENTS, update_index
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
    assert complete(samples_words, "pyo") == ["pyŏngyang"]  # as the archive writes it
    assert complete(samples_words, "Pyŏ") == ["Pyŏngyang"]
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


def _words_of(root: Path) -> Vocabulary:
    return Vocabulary.open(current_generation(root).path)


def test_the_way_most_articles_write_a_word_is_kept(tmp_path: Path) -> None:
    records = [{"title": f"Zurich notes {n}", "body": ["Trams in Zurich."]} for n in range(3)]
    records.append({"title": "Zürich", "body": ["Trams in Zürich."]})
    records.append({"title": "Malmö", "body": ["Ferries to Malmö."]})
    words = _words_of(index_records(records, tmp_path))
    assert complete(words, "zu") == ["zurich"]
    assert complete(words, "Malm") == ["Malmö"]


def test_pairs_are_counted_within_sections_and_kept_by_updates(tmp_path: Path) -> None:
    """ "harbour" ends one paragraph and "zebra" starts the next: no pair. An update adds
    an article with the pair, and a merging update (every few) keeps it."""
    records = [
        {"title": "Zoo news", "body": ["Boats in the harbour.", "Zebra foals at the zoo."]},
        *({"title": f"Zoom {n}", "body": ["The harbour zoom lens."]} for n in range(2)),
    ]
    root = index_records(records, tmp_path)
    assert complete(_words_of(root), "harbour z") == [
        "harbour zoom",  # follows "harbour" in two articles
        "harbour zoo",  # in a headline: weighs more than...
        "harbour zebra",  # ...a word the next paragraph starts with
    ]
    feed = tmp_path / "more.jsonl"
    lines = []
    for number in range(MERGE_AT_SEGMENTS + 1):
        body = " ".join(["the harbour zebra"] * 3)
        lines.append(json.dumps({"title": f"Stripes {number}", "body": [body]}) + "\n")
        feed.write_text("".join(lines), encoding="utf-8")
        update_index([tmp_path / "records.jsonl", feed], root)
        if number == 2:
            assert complete(_words_of(root), "harbour z")[0] == "harbour zebra"
    assert complete(_words_of(root), "harbour z")[0] == "harbour zebra"
    assert complete(_words_of(root), "harbour z")[0] == "harbour zebra"


def test_every_word_with_the_prefix_is_considered(tmp_path: Path) -> None:
    """3,000 rarer words sort before "china": the commonest still comes first."""
    rare = [
        f"cha{chr(97 + n // 676)}{chr(97 + n // 26 % 26)}{chr(97 + n % 26)}" for n in range(3000)
    ]
    records = [{"title": f"Words {n}", "body": [" ".join(rare[n::20])]} for n in range(20)]
    records += [{"title": f"China {n}", "body": ["China trade."]} for n in range(3)]
    assert complete(_words_of(index_records(records, tmp_path)), "ch")[0] == "china"
