"""Crash safety: ``reindex`` and ``update`` killed with SIGKILL at 20 points leave the last
complete generation serving, and the next run cleans up and completes."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import generations
from index.build import build_index
from search.engine import Searcher
from search.request import SearchRequest
from tests.conftest import ROOT, SAMPLES

KILLS = 10
"""Kill points per command (20 in all)."""


def _manage(*arguments: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *arguments]


def _answer(root: Path) -> tuple[int, list[str]]:
    """What a search of the serving generation finds: its total and ids (sorted: a
    changed article's length moves scores a little)."""
    searcher = Searcher(root)
    try:
        response = searcher.search(SearchRequest(query="harbour bridge"))
        return response.total, sorted(hit.id for hit in response.hits)
    finally:
        searcher.close()


def _killed(command: list[str], after: float) -> None:
    """Run ``command`` and SIGKILL it ``after`` seconds in (if it is still running)."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait(30)


def _leftovers(root: Path) -> set[str]:
    keep = {generations.current_name(root), generations.previous_name(root)}
    return {path.name for path in root.glob("gen-*")} - keep


@pytest.mark.parametrize("command", ["reindex", "update"])
def test_a_writer_killed_at_any_point_leaves_the_last_complete_generation(
    tmp_path: Path, command: str
) -> None:
    source = tmp_path / "articles"
    shutil.copytree(SAMPLES / "articles", source)
    root = tmp_path / "index"
    build_index([source], root)
    rng = random.Random(f"kill-{command}")
    changed = sorted(source.glob("*.txt"))[-1]
    run = _manage(command, str(source), "--index", str(root))
    started = time.monotonic()
    subprocess.run(run, cwd=ROOT, capture_output=True, check=True, timeout=120)
    whole = time.monotonic() - started  # the kills spread over one whole run
    expected = _answer(root)
    for kill in range(KILLS):
        # An update needs a change to write: one more paragraph each round.
        changed.write_text(changed.read_text() + f"\n\nA note number {kill}.\n")
        _killed(run, whole * (kill + rng.random()) / KILLS)
        assert _answer(root) == expected, f"kill {kill}"
        generations.current_generation(root)  # complete: it has its manifest and arrays
    finished = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert _answer(root) == expected
    assert not _leftovers(root) and not list(root.glob(".*.tmp"))
