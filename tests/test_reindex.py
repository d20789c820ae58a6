"""Building index generations: end to end into temp folders, switching, failures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index import generations
from index.build import BuildFailed, build_index
from index.generations import IndexUnavailable
from index.model import Article
from search.engine import Searcher
from search.request import SearchRequest, Versions
from tests.conftest import REFERENCE, ROOT, SAMPLES


def _ids(root: Path) -> set[str]:
    searcher = Searcher(root)
    response = searcher.search(SearchRequest(query="", per_page=50, versions=Versions.ALL))
    searcher.close()
    return {hit.id for hit in response.hits}


def test_reindex_keeps_ids_and_the_previous_generation_only(tmp_path: Path) -> None:
    root = tmp_path / "index"
    first = build_index([SAMPLES], root)
    assert first.indexed >= 21 and not first.problems
    ids = _ids(root)
    second = build_index([SAMPLES], root)
    assert second.generation != first.generation
    assert _ids(root) == ids  # the second generation gives every article the same id
    assert len(ids) == first.indexed == second.indexed
    folders = sorted(p.name for p in root.glob("gen-*"))
    assert folders == [first.generation, second.generation]  # the previous one is kept
    assert generations.current_name(root) == second.generation
    assert generations.previous_name(root) == first.generation
    third = build_index([SAMPLES], root)
    assert sorted(p.name for p in root.glob("gen-*")) == [second.generation, third.generation]


def test_ids_survive_a_reindex(tmp_path: Path) -> None:
    root = tmp_path / "index"
    build_index([SAMPLES], root)
    before = _ids(root)
    build_index([SAMPLES], root)
    assert _ids(root) == before


def test_bad_files_are_skipped_and_the_rest_is_indexed(tmp_path: Path) -> None:
    source = tmp_path / "articles"
    source.mkdir()
    shutil.copy(REFERENCE, source / "good.txt")
    (source / "empty.txt").write_bytes(b"")
    (source / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (source / "feed.jsonl").write_text('{"id": 1, "title": "From the feed", "body": "x"}\n{oops\n')
    report = build_index([source], tmp_path / "index")
    assert report.indexed == 2
    reasons = sorted(f"{Path(p.source).name}:{p.reason.split(' (')[0]}" for p in report.problems)
    assert reasons == [
        "binary.txt:binary file",
        "empty.txt:empty file",
        "feed.jsonl:invalid JSON: Expecting property name enclosed in double quotes",
    ]


def test_duplicate_ids_are_reported_not_indexed_twice(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(json.dumps({"id": "same", "title": f"Title {n}", "body": "x"}) for n in range(2))
    )
    report = build_index([feed], tmp_path / "index")
    assert report.indexed == 1
    [problem] = report.problems
    assert "duplicate article id" in problem.reason


def test_a_failed_reindex_leaves_the_old_index_serving(tmp_path: Path) -> None:
    root = tmp_path / "index"
    good = build_index([REFERENCE], root)
    searcher = Searcher(root)
    assert searcher.search(SearchRequest(query="interpreters")).total == 1

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("")
    with pytest.raises(BuildFailed, match="nothing could be indexed"):
        build_index([empty], root)

    def crash(item: Article | object) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        build_index([SAMPLES], root, progress=crash)

    assert generations.current_name(root) == good.generation
    assert sorted(p.name for p in root.glob("gen-*")) == [good.generation]
    assert searcher.search(SearchRequest(query="interpreters")).total == 1


def test_the_searcher_moves_to_a_new_generation_without_restart(tmp_path: Path) -> None:
    root = tmp_path / "index"
    build_index([REFERENCE], root)
    searcher = Searcher(root)
    assert searcher.search(SearchRequest(query="")).total == 1
    build_index([SAMPLES], root)
    assert searcher.search(SearchRequest(query="")).total > 1


def test_an_index_of_another_schema_version_is_refused_with_advice(tmp_path: Path) -> None:
    root = tmp_path / "index"
    report = build_index([REFERENCE], root)
    manifest = root / report.generation / generations.MANIFEST_FILE
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "schema_version": 0}))
    with pytest.raises(
        IndexUnavailable, match=r"schema version 0 .* run `python manage.py reindex`"
    ):
        Searcher(root).search(SearchRequest(query="china"))


def test_no_index_yet_is_explained(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match=r"no index at .*manage\.py reindex"):
        Searcher(tmp_path / "nothing").search(SearchRequest(query="china"))


def test_two_reindexes_never_interleave(tmp_path: Path) -> None:
    root = tmp_path / "index"
    with generations.reindex_lock(root), pytest.raises(IndexUnavailable, match="another reindex"):
        build_index([REFERENCE], root)
    assert build_index([REFERENCE], root).indexed == 1


def test_what_a_killed_build_left_is_removed_before_the_next_build(tmp_path: Path) -> None:
    root = tmp_path / "index"
    first = build_index([REFERENCE], root)
    partial = root / "gen-20260101T000000000000-99999"
    partial.mkdir()
    (partial / "_MAIN_1.toc").write_bytes(b"half")
    (root / ".CURRENT.99999.tmp").write_text("gen-x\n")
    second = build_index([REFERENCE], root)
    assert not partial.exists() and not (root / ".CURRENT.99999.tmp").exists()
    assert {p.name for p in root.glob("gen-*")} == {first.generation, second.generation}


def test_a_second_writer_is_told_who_holds_the_lock_even_without_the_lock_file(
    tmp_path: Path,
) -> None:
    root = tmp_path / "index"
    with generations.reindex_lock(root):
        (root / generations.LOCK_FILE).unlink()  # deleting the file lets no one in
        with pytest.raises(IndexUnavailable, match="another reindex"):
            build_index([REFERENCE], root)
    with generations.reindex_lock(root), pytest.raises(IndexUnavailable) as refused:
        build_index([REFERENCE], root)
    assert f"pid {os.getpid()}, started 20" in str(refused.value)


def test_a_writer_killed_with_sigkill_leaves_no_lock_behind(tmp_path: Path) -> None:
    root = tmp_path / "index"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from index import generations\n"
            "with generations.reindex_lock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True); time.sleep(60)",
            str(root),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with pytest.raises(IndexUnavailable, match=f"pid {holder.pid}"):
        build_index([REFERENCE], root)
    holder.kill()
    holder.wait()
    assert build_index([REFERENCE], root).indexed == 1
