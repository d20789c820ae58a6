"""``manage.py check`` and ``stats`` on real indexes, healthy and damaged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from index import generations
from index.generations import IndexUnavailable
from search.check import check_index, index_stats
from search.engine import Searcher
from search.request import SearchRequest
from tests.conftest import ROOT


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "manage.py"), "check", "--index", str(root)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_healthy_index_passes_every_check(archive: tuple[Path, Path]) -> None:
    _, root = archive
    report = check_index(root)
    assert report.passed, report.findings
    assert [finding.what for finding in report.findings] == [
        "files",
        "opens",
        "article count",
        "derived arrays",
        "canary query",
        "stored articles",
    ]
    answer = _check(root)
    assert answer.returncode == 0 and "FAIL" not in answer.stdout


def test_a_partly_overwritten_segment_fails_the_check_with_advice(
    archive: tuple[Path, Path],
) -> None:
    _, root = archive
    segment = next(generations.current_generation(root).path.glob("*.seg"))
    data = bytearray(segment.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\x00garbage" * 512
    segment.write_bytes(bytes(data))
    answer = _check(root)
    assert answer.returncode == 1, (answer.stdout, answer.stderr)
    assert "FAIL" in answer.stdout and "run `python manage.py reindex`" in answer.stderr


def test_a_truncated_array_fails_the_check(archive: tuple[Path, Path]) -> None:
    _, root = archive
    live = next((generations.current_generation(root).path / "arrays").glob("*live*"))
    live.write_bytes(live.read_bytes()[:40])
    report = check_index(root)
    assert not report.passed
    assert "damaged or missing: ['arrays/live.npy']" in report.findings[0].detail
    assert "cannot open the index" in report.findings[1].detail


def test_an_article_changed_since_indexing_is_named(archive: tuple[Path, Path]) -> None:
    source, root = archive
    for file in sorted(source.glob("*.txt")):
        file.write_text(file.read_text() + "\n\nA late correction.\n")
    report = check_index(root)
    stored = report.findings[-1]
    assert not stored.passed and "changed since indexing" in stored.detail
    assert "manage.py update" in stored.detail


def test_stats_describe_the_serving_generation(archive: tuple[Path, Path]) -> None:
    _, root = archive
    figures = index_stats(root)
    generation = generations.current_generation(root)
    assert (figures.generation, figures.articles) == (generation.name, generation.article_count)
    assert figures.terms > 1000 and figures.bytes_on_disk > 100_000
    assert figures.oldest is not None and figures.newest is not None
    assert figures.oldest < figures.newest
    command = [sys.executable, str(ROOT / "manage.py"), "stats", "--index", str(root)]
    printed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert printed.returncode == 0 and f"articles             {generation.article_count}" in (
        printed.stdout
    )


def test_a_truncated_segment_is_a_503_with_the_fix_not_a_crash(
    archive: tuple[Path, Path],
) -> None:
    """The quick check (file sizes from the manifest) runs on every request, /healthz
    included, so a worker never maps a truncated file."""
    from web import create_app

    _, root = archive
    client = create_app({"INDEX": str(root)}).test_client()
    assert client.get("/healthz").status_code == 200  # the worker has the generation open
    assert client.get("/api/search?q=harbour").status_code == 200
    segment = next(generations.current_generation(root).path.glob("*.seg"))
    segment.write_bytes(segment.read_bytes()[:1000])
    for path in ("/healthz", "/api/search?q=harbour", "/search?q=harbour"):
        assert client.get(path).status_code == 503, path
    with pytest.raises(IndexUnavailable, match=r"damaged \(MAIN_.*\.seg missing or truncated\)"):
        Searcher(root).search(SearchRequest(query="harbour"))
    assert _check(root).returncode == 1


def test_check_without_a_sample_of_stored_articles(archive: tuple[Path, Path]) -> None:
    _, root = archive
    report = check_index(root, sample=0)
    assert report.passed, report.findings
    (stored,) = [finding for finding in report.findings if finding.what == "stored articles"]
    assert stored.detail.startswith("0 stored articles")
