"""The validated swap: a new generation that lost most of the archive, or whose canary
queries find nothing, does not replace the serving one unless forced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from index import generations
from index.build import build_index
from index.update import delete_articles, update_index
from index.validate import ValidationFailed
from search.engine import Searcher
from search.request import SearchRequest
from tests.conftest import REFERENCE, ROOT


def test_a_build_from_the_wrong_folder_keeps_the_old_generation(
    archive: tuple[Path, Path],
) -> None:
    _, root = archive
    serving = generations.current_name(root)
    with pytest.raises(ValidationFailed) as failed:
        build_index([REFERENCE], root)  # one article instead of the archive
    message = str(failed.value)
    assert "it holds 1 articles, the serving generation 25" in message
    assert "canary queries found nothing" in message and "--force" in message
    assert generations.current_name(root) == serving
    assert {path.name for path in root.glob("gen-*")} == {serving}
    forced = build_index([REFERENCE], root, force=True)
    assert generations.current_name(root) == forced.generation


def test_a_canary_that_finds_nothing_fails_the_build(archive: tuple[Path, Path]) -> None:
    source, root = archive
    serving = generations.current_name(root)
    with pytest.raises(ValidationFailed, match="canary queries found nothing: xylophonist"):
        build_index([source], root, canaries=["harbour", "xylophonist"])
    assert generations.current_name(root) == serving
    passed = build_index([source], root, canaries=["harbour", "Bridges"])
    assert generations.current_name(root) == passed.generation != serving


def test_a_rebuild_that_skips_most_of_its_sources_fails(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    good = "".join(
        f'{{"id": "a{n}", "title": "Harbour news {n}", "body": "The harbour."}}\n' for n in range(4)
    )
    feed.write_text(good)
    root = tmp_path / "index"
    build_index([feed], root)
    feed.write_text(good + "not json\n" * 5)
    with pytest.raises(ValidationFailed, match="5 of 9 source items could not be indexed"):
        build_index([feed], root)
    feed.write_text(good[: good.index("\n") + 1] + "not json\n" * 3)  # a first build is kept
    assert build_index([feed], tmp_path / "fresh").indexed == 1


def test_an_update_or_delete_that_would_empty_the_archive_needs_force(
    archive: tuple[Path, Path],
) -> None:
    source, root = archive
    serving = generations.current_name(root)
    for file in sorted(source.glob("*.txt"))[:20]:
        file.unlink()
    with pytest.raises(ValidationFailed, match="it holds 5 articles, the serving generation 25"):
        update_index([source], root)
    assert generations.current_name(root) == serving
    command = [sys.executable, str(ROOT / "manage.py"), "update", "--index", str(root)]
    refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and "the previous index still serves" in refused.stderr
    forced = subprocess.run([*command, "--force"], cwd=ROOT, capture_output=True, text=True)
    assert forced.returncode == 0 and "20 removed" in forced.stdout
    searcher = Searcher(root)
    ids = [hit.id for hit in searcher.search(SearchRequest(per_page=50)).hits]
    searcher.close()
    with pytest.raises(ValidationFailed, match="it holds 1 articles, the serving generation 5"):
        delete_articles(ids[:4], root)
    assert delete_articles(ids[:4], root, force=True).articles == 1
