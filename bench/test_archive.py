"""The archive benchmark's engines answer every entry of the committed mix on a tiny archive.

Run with ``python -m pytest bench/test_archive.py`` (the project's suite runs ``tests/``).
Nothing here looks at times.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.archive import MIX, url_params
from bench.archive_engines import ENGINES, Clause, SqliteArchive, clauses, features
from bench.archive_worker import schedule
from bench.generate import generate


def test_clauses_read_the_mix_syntax() -> None:
    assert clauses('harbour "light rail" -flood caption:ferry obj* accased~ what?') == [
        Clause("harbour"),
        Clause("light rail", "phrase"),
        Clause("flood", negated=True),
        Clause("ferry", field="captions"),
        Clause("obj", "prefix"),
        Clause("accased", "fuzzy"),
        Clause("what"),
    ]
    entry = {"query": "a -b", "authors": ["X Y"], "year": 2010, "sort": "newest"}
    assert features(entry) == {"exclude", "authors", "dates", "sort"}
    assert SqliteArchive.match({"query": 'a "b c" title:d e*', "scope": "all"}) == (
        '("a" OR "b c" OR title : "d" OR "e" *)'
    )


def test_schedule_keeps_every_entry_once() -> None:
    entries = json.loads(MIX.read_text(encoding="utf-8"))["queries"]
    order = schedule(list(entries), 1)
    assert sorted(e["id"] for e in order) == sorted(e["id"] for e in entries)
    assert len({e["kind"] for e in order[:60]}) == len({e["kind"] for e in entries})


def test_url_params_repeat_authors() -> None:
    entry = {"query": "x", "authors": ["A B", "C D"], "since": "2010-01-01", "scope": "titles"}
    assert url_params(entry) == [
        ("q", "x"),
        ("per_page", "10"),
        ("author", "A B"),
        ("author", "C D"),
        ("since", "2010-01-01"),
        ("in", "titles"),
    ]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    generate(folder, 40, seed=1, jobs=1)
    return folder / "articles.jsonl"


@pytest.mark.parametrize("name", list(ENGINES))
def test_engine_answers_the_whole_mix(name: str, archive: Path, tmp_path: Path) -> None:
    try:
        engine = ENGINES[name]()
    except ImportError as exc:
        pytest.skip(f"{name}: {exc}")
    assert engine.build(archive, tmp_path, lambda _done: None) == 40
    engine.open(tmp_path)
    for entry in json.loads(MIX.read_text(encoding="utf-8"))["queries"]:
        if not engine.browses and not any(ch.isalnum() for ch in entry["query"]):
            continue
        ids, _total = engine.search(entry)
        assert len(ids) <= 10, entry
        assert len(set(ids)) == len(ids), entry
    engine.close()
