"""A build written by worker processes, one segment each: the same index as one process
writes, search arrays identical to those derived from the Whoosh index itself, the same
document order every time, and a clear failure when a worker dies."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index

from index import generations, segments
from index.articles import read_articles
from index.build import BuildFailed, BuildReport, build_index, write_arrays, write_generation
from index.completions import SHOWN_FILE
from search.engine import Searcher
from search.request import SearchRequest
from tests.conftest import ROOT

WORDS = (
    "harbour council vote budget flood river school strike minister election court "
    "festival museum railway bridge hospital nurse farmer drought storm energy wind solar "
    "port ferry island mayor police theatre library garden market bakery union teacher"
).split()


def _records(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)

    def sentence(length: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."

    return [
        {
            "id": f"story-{number:04d}",
            "title": sentence(6),
            "authors": [rng.choice(["Ana Lima", "Bo Chen", "Cy Okafor"])],
            "published": f"20{10 + number % 10}-0{1 + number % 9}-1{number % 10}",
            "body": [sentence(rng.randint(8, 40)) for _ in range(rng.randint(1, 6))],
            "captions": [{"text": sentence(5), "credit": "Photo: D. Ray"}],
            "bio": sentence(4),
        }
        for number in range(count)
    ]


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough articles for several batches per worker."""
    path = tmp_path_factory.mktemp("feed") / "stories.jsonl"
    lines = (json.dumps(record) + "\n" for record in _records(10 * segments.BATCH))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _arrays(generation: Path, all_of_them: bool = False) -> dict[str, bytes]:
    """The arrays the Whoosh index also gives (all: autocomplete's word pairs too)."""
    folder = generation / "arrays"
    return {
        file.name: file.read_bytes()
        for file in sorted(folder.iterdir())
        if all_of_them or (file.name != SHOWN_FILE and not file.name.startswith("pairs."))
    }


def _build(feed: Path, root: Path, workers: int) -> Path:
    build_index([feed], root, workers=workers)
    return generations.current_generation(root).path


def test_worker_built_arrays_equal_those_derived_from_the_whoosh_index(
    feed: Path, tmp_path: Path
) -> None:
    built = _build(feed, tmp_path / "parallel", workers=2)
    with whoosh_index.open_dir(str(built)).reader() as reader:
        assert len(list(reader.leaf_readers())) == 2  # one segment per worker
    derived = tmp_path / "derived"
    shutil.copytree(built, derived, ignore=shutil.ignore_patterns("arrays"))
    write_arrays(derived, 10 * segments.BATCH)
    fingerprints = _arrays(built).pop("fingerprints.npy")  # not in the index: unknown there
    assert {k: v for k, v in _arrays(built).items() if k != "fingerprints.npy"} == {
        k: v for k, v in _arrays(derived).items() if k != "fingerprints.npy"
    }
    assert np.all(np.frombuffer(fingerprints[-8 * 10 * segments.BATCH :], np.uint64) != 0)


def test_the_document_order_depends_on_the_input_alone(feed: Path, tmp_path: Path) -> None:
    first = _build(feed, tmp_path / "one", workers=2)
    second = _build(feed, tmp_path / "two", workers=2)
    assert _arrays(first, all_of_them=True) == _arrays(second, all_of_them=True)


def test_workers_and_one_process_index_the_same_articles(feed: Path, tmp_path: Path) -> None:
    roots = {workers: tmp_path / f"w{workers}" for workers in (1, 2)}
    for workers, root in roots.items():
        _build(feed, root, workers)
    found: dict[int, Any] = {}
    for workers, root in roots.items():
        searcher = Searcher(root)
        try:
            response = searcher.search(SearchRequest(query="harbour ferry", per_page=50))
            found[workers] = (response.total, sorted(hit.id for hit in response.hits))
        finally:
            searcher.close()
    assert found[1] == found[2]
    assert found[1][0] > 0


def test_a_worker_that_dies_fails_the_build_clearly_and_the_old_index_serves(
    feed: Path, tmp_path: Path
) -> None:
    root = tmp_path / "index"
    old = _build(feed, root, workers=1)
    path = generations.new_generation_path(root)
    report = BuildReport()
    items = read_articles([feed])
    killed = {"done": False}

    def kill_a_worker(_: object) -> None:
        if not killed["done"] and report.indexed == 3 * segments.BATCH:
            killed["done"] = True
            for child in _children():
                os.kill(child, signal.SIGKILL)
                break

    with pytest.raises(BuildFailed, match=r"indexing worker (died|failed)"):
        write_generation(items, path, report, kill_a_worker, workers=2)
    assert killed["done"]
    assert generations.current_generation(root).path == old
    assert not _children()  # the other worker was stopped too
    response = Searcher(root).search(SearchRequest(query="harbour"))
    assert response.total > 0


def _workers() -> dict[int, int]:
    """Every indexing worker process on the machine and its parent (Linux ``/proc``)."""
    found = {}
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((folder / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (folder / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if b"spawn_main" in command:
            found[int(folder.name)] = parent
    return found


def _children() -> list[int]:
    """The indexing worker processes of this process."""
    return [pid for pid, parent in _workers().items() if parent == os.getpid()]


def _answer(root: Path) -> tuple[int, list[str]]:
    searcher = Searcher(root)
    try:
        response = searcher.search(SearchRequest(query="harbour ferry", per_page=50))
        return response.total, sorted(hit.id for hit in response.hits)
    finally:
        searcher.close()


def test_a_reindex_killed_mid_build_takes_its_workers_with_it(feed: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    environment = {**os.environ, "SCOOP_BUILD_WORKERS": "2", "SCOOP_PARALLEL_MIN_MB": "0"}
    command = [sys.executable, str(ROOT / "manage.py"), "reindex", str(feed), "--index", str(root)]
    before = set(_workers())
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, check=True)
    whole = time.monotonic() - started
    expected = _answer(root)
    killed_with_workers = 0
    for share in (0.5, 0.6, 0.7, 0.8, 0.9):  # Python's start-up is the first half or so
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.PIPE)
        time.sleep(whole * share)
        killed_with_workers += bool(set(_workers()) - before)
        process.kill()
        process.wait(30)
        deadline = time.monotonic() + 10
        while set(_workers()) - before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not set(_workers()) - before, f"workers outlived a reindex killed at {share}"
        generations.current_generation(root)  # complete: manifest and arrays
        assert _answer(root) == expected
    assert killed_with_workers  # at least one kill came while workers were writing
    finished = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert _answer(root) == expected
    kept = {generations.current_name(root), generations.previous_name(root)}
    assert {path.name for path in root.glob("gen-*")} == kept  # the killed runs' are gone
