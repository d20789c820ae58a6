"""The corpus generator: same seed, same bytes; Scoop's parser reads its scrapes as generated.

Run with ``python -m pytest bench/test_generate.py`` (the project's suite runs ``tests/``).
"""

from __future__ import annotations

from pathlib import Path

from bench.generate import check_scrapes, generate


def test_same_seed_same_bytes_and_scrapes_parse(tmp_path: Path) -> None:
    first = generate(tmp_path / "one", 60, seed=7, formats=("jsonl", "txt"), jobs=2)
    generate(tmp_path / "two", 60, seed=7, formats=("jsonl", "txt"), jobs=1)
    one, two = tmp_path / "one", tmp_path / "two"
    assert (one / "articles.jsonl").read_bytes() == (two / "articles.jsonl").read_bytes()
    for path in sorted((one / "txt").rglob("*.txt")):
        assert path.read_bytes() == (two / path.relative_to(one)).read_bytes()
    assert first["articles"] == 60
    assert check_scrapes(one, 7, list(range(60))) == []


def test_a_smaller_archive_is_the_start_of_a_bigger_one(tmp_path: Path) -> None:
    generate(tmp_path / "small", 10, seed=3, jobs=1)
    generate(tmp_path / "big", 25, seed=3, jobs=1)
    small = (tmp_path / "small" / "articles.jsonl").read_text(encoding="utf-8")
    assert (tmp_path / "big" / "articles.jsonl").read_text(encoding="utf-8").startswith(small)
