"""``manage.py rollback``: serve the previous generation again, undoably, never a damaged one."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import generations
from index.generations import IndexUnavailable, switch_back
from index.update import delete_articles
from search.engine import Searcher
from search.request import SearchRequest
from tests.test_cli import manage


def _ids(root: Path) -> set[str]:
    searcher = Searcher(root)
    try:
        response = searcher.search(SearchRequest(query="", per_page=50))
        return {hit.id for hit in response.hits}
    finally:
        searcher.close()


def test_rollback_serves_the_previous_generation_and_a_second_one_undoes_it(
    archive: tuple[Path, Path],
) -> None:
    _, root = archive
    before = _ids(root)
    first = generations.current_name(root)
    gone = sorted(before)[0]
    delete_articles([gone], root)
    second = generations.current_name(root)
    assert gone not in _ids(root)

    assert switch_back(root).name == first
    assert _ids(root) == before
    assert generations.previous_name(root) == second

    assert switch_back(root).name == second
    assert gone not in _ids(root)


def test_rollback_refuses_a_damaged_previous_generation(archive: tuple[Path, Path]) -> None:
    _, root = archive
    first = generations.current_generation(root)
    delete_articles([sorted(_ids(root))[0]], root)
    serving = generations.current_name(root)
    victim = max(first.sizes, key=first.sizes.__getitem__)
    (first.path / victim).write_bytes(b"")
    with pytest.raises(IndexUnavailable, match=r"previous generation .* is damaged"):
        switch_back(root)
    assert generations.current_name(root) == serving


def test_rollback_without_a_previous_generation_says_so(archive: tuple[Path, Path]) -> None:
    _, root = archive
    result = manage("rollback", "--index", str(root))
    assert result.returncode == 1
    assert "keeps no previous generation" in result.stderr


def test_the_rollback_command_names_both_generations(archive: tuple[Path, Path]) -> None:
    _, root = archive
    first = generations.current_name(root)
    delete_articles([sorted(_ids(root))[0]], root)
    second = generations.current_name(root)
    result = manage("rollback", "--index", str(root))
    assert result.returncode == 0, result.stderr
    assert f"serving {first} again" in result.stdout
    assert f"{second} is kept as the previous generation" in result.stdout
