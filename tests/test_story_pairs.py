"""Story grouping held to its measurement: the labelled pairs of
``tests/fixtures/story_pairs.jsonl.gz`` (made by ``python -m bench.story_pairs``, measured
by ``python -m bench.stories``) at ``index.stories.DEFAULT_THRESHOLD``, the generator's
determinism, and the grouping of the small corpus in ``tests/fixtures/stories``."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from bench.stories import measure, score
from bench.story_pairs import FIXTURE, KINDS, SAME, encoded, generate, read_pairs
from index import stories
from index.jsonl import parse_record

STORIES = Path(__file__).parent / "fixtures" / "stories"

PRECISION_FLOOR = 0.98
"""Measured at 0.40: 0.992 (one template pair of two match reports sharing 60% of their
text is linked)."""
RECALL_FLOORS = {"edited": 0.93, "print-online": 0.84, "update": 0.9}
"""Just below what 0.40 measures: 0.955, 0.864 and 0.932 (0.955, 0.727, 0.795 at 0.50).
``rewrite`` (most of the text new) is never linked at any threshold that keeps
precision, so it has no floor."""
LEAST_PAIRS = {"rewrite": 10}
"""Every other kind has at least 40 pairs."""


@pytest.fixture(scope="module")
def pairs() -> list[dict]:
    return read_pairs(FIXTURE)


@pytest.fixture(scope="module")
def at_default(pairs: list[dict]):
    return score(measure(pairs), stories.DEFAULT_THRESHOLD)


def test_precision_at_the_default_threshold(at_default) -> None:
    assert at_default.precision >= PRECISION_FLOOR, at_default


@pytest.mark.parametrize("kind", sorted(RECALL_FLOORS))
def test_recall_per_kind_at_the_default_threshold(at_default, kind: str) -> None:
    assert at_default.by_kind[kind] >= RECALL_FLOORS[kind], at_default


def test_every_kind_is_there_and_labelled(pairs: list[dict]) -> None:
    for kind in KINDS:
        chosen = [pair for pair in pairs if pair["kind"] == kind]
        assert len(chosen) >= LEAST_PAIRS.get(kind, 40), kind
        assert {pair["same"] for pair in chosen} == {SAME.get(kind, False)}, kind
    for pair in pairs:
        for side in ("a", "b"):
            assert pair[side]["title"] and all(p.strip() for p in pair[side]["body"]), pair["note"]


def test_the_generator_makes_the_committed_pairs(tmp_path: Path) -> None:
    # Compared decompressed: the gzip header is fixed (no name, no time), but another zlib
    # build may compress the same text to other bytes.
    made = tmp_path / "story_pairs.jsonl.gz"
    made.write_bytes(encoded(generate()))
    assert gzip.decompress(made.read_bytes()) == gzip.decompress(FIXTURE.read_bytes()), (
        "the committed pairs are not what bench/story_pairs.py makes: run "
        "python -m bench.story_pairs and commit tests/fixtures/story_pairs.jsonl.gz"
    )


def test_the_story_corpus_groups_as_expected() -> None:
    lines = (STORIES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for number, record in enumerate(records, start=1):
        parse_record(record, "articles.jsonl", number)  # a valid feed record
    bodies = ["\n".join(record["body"]) for record in records]
    signatures, words = stories.signed(bodies)
    days = np.array(
        [np.datetime64(record["published"], "D").astype(np.int64) for record in records]
    )
    found = stories.group(
        signatures, words, days, np.ones(len(records), dtype=bool), stories.DEFAULT_THRESHOLD
    )
    ids = [record["id"] for record in records]
    groups = [
        sorted(ids[m] for m in found.members[found.starts[g] : found.starts[g + 1]])
        for g in range(found.count)
    ]
    expected = json.loads((STORIES / "groups.json").read_text(encoding="utf-8"))
    assert sorted(groups) == sorted(sorted(group) for group in expected)
