"""A full disk: a writer refuses to start without room, and a disk that fills up while it
writes gives a clear error and leaves the serving generation intact.

The disk is a real small filesystem: a 6 MB tmpfs mounted for the test when the machine
allows it (root); elsewhere the writer runs with a file-size limit (``RLIMIT_FSIZE``),
so its writes fail as they would on a full disk (with ``EFBIG`` instead of ``ENOSPC``).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from index import generations
from index.build import build_index
from index.generations import NoSpace, require_space
from search.check import check_index
from search.engine import Searcher
from search.request import SearchRequest
from tests.conftest import ROOT, SAMPLES

DISK_BYTES = 6 * 2**20
"""The small disk: room for the samples' index (about 1.9 MB) and one more build."""
FILE_LIMIT = 512 * 1024
"""Without a small disk, the largest file a writer may write (a segment is bigger)."""


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], None] | None]]:
    """A folder on a small real filesystem and a ``preexec_fn`` for the writer: (folder,
    None) on a mounted tmpfs, else (folder, a function setting the file-size limit)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    size = f"size={DISK_BYTES}"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", size, "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        yield folder, _limit_file_size
        return
    try:
        yield folder, None
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))


def _fill(folder: Path, leave: int) -> None:
    """Write a ballast file until only ``leave`` bytes are free on ``folder``'s disk."""
    with open(folder / "ballast", "wb") as handle:
        free = shutil.disk_usage(folder).free - leave
        while free > 0:
            chunk = min(free, 1 << 20)
            handle.write(b"\0" * chunk)
            free -= chunk


def _manage(
    preexec: Callable[[], None] | None, *arguments: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,
        env={**os.environ, "SCOOP_LOG_FORMAT": "text"},
    )


def _answer(root: Path) -> tuple[int, list[str]]:
    searcher = Searcher(root)
    try:
        response = searcher.search(SearchRequest(query="harbour bridge"))
        return response.total, [hit.id for hit in response.hits]
    finally:
        searcher.close()


def test_a_writer_refuses_to_start_without_the_room_it_needs(tmp_path: Path) -> None:
    root = tmp_path / "index"
    with pytest.raises(NoSpace, match=r"needs about .* MB free on the disk of"):
        require_space(root, shutil.disk_usage(tmp_path).free + 2**30)
    assert not list(root.glob("gen-*"))


@pytest.mark.parametrize("command", ["reindex", "update"])
def test_a_disk_that_fills_up_mid_write_is_a_clear_error_and_loses_nothing(
    small_disk: tuple[Path, Callable[[], None] | None], command: str
) -> None:
    folder, preexec = small_disk
    source = folder / "articles"
    shutil.copytree(SAMPLES / "articles", source)
    root = folder / "index"
    build_index([source], root)
    serving = generations.current_name(root)
    before = _answer(root)
    changed = sorted(source.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA correction.\n")
    if preexec is None:
        _fill(folder, leave=256 * 1024)
    # --force skips the up-front estimate, so the writing itself runs into the full disk.
    failed = _manage(preexec, command, str(source), "--index", str(root), "--force")
    assert failed.returncode == 1
    assert "the disk filled up while writing gen-" in failed.stderr, failed.stderr
    assert "serving generation is untouched" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert generations.current_name(root) == serving
    assert {path.name for path in root.glob("gen-*")} == {serving}
    # Intact: every file as written (digests), counts, arrays; a source changed on purpose.
    assert check_index(root, sample=0).passed
    assert _answer(root) == before
    (folder / "ballast").unlink(missing_ok=True)
    again = _manage(None, command, str(source), "--index", str(root))
    assert again.returncode == 0, again.stderr
    assert generations.current_name(root) != serving


def test_on_a_full_small_disk_the_estimate_refuses_before_writing(
    small_disk: tuple[Path, Callable[[], None] | None],
) -> None:
    folder, preexec = small_disk
    if preexec is not None:
        pytest.skip("needs a small filesystem (the tmpfs mount is not allowed here)")
    root = folder / "index"
    build_index([SAMPLES], root)
    serving = generations.current_name(root)
    _fill(folder, leave=2 * 2**20)  # a build of the samples needs about 2.8 MB
    refused = _manage(None, "reindex", str(SAMPLES), "--index", str(root))
    assert refused.returncode == 1
    assert "a new generation needs about" in refused.stderr
    assert generations.current_name(root) == serving
    assert {path.name for path in root.glob("gen-*")} == {serving}
