"""manage.py as a user runs it: a real process, real files, real index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REFERENCE, ROOT, SAMPLES


def manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_reindex_then_search_json_marks_the_word(tmp_path: Path) -> None:
    index = str(tmp_path / "x")
    built = manage("reindex", str(REFERENCE.parent), "--index", index)
    assert built.returncode == 0, built.stderr
    assert "indexed" in built.stdout and "articles/s" in built.stdout
    found = manage("search", "interpreters", "--index", index, "--json")
    assert found.returncode == 0, found.stderr
    response = json.loads(found.stdout)
    [hit] = [
        h
        for h in response["hits"]
        if h["title"] == "China May Be Preparing for North Korean Exodus"
    ]
    marked = [f for f in hit["highlights"]["body"] if "<mark>interpreters</mark>" in f["html"]]
    assert marked and all(f["paragraph"] >= 1 for f in marked)


def test_reindex_reports_skipped_files_and_fails_when_nothing_indexed(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "empty.txt").write_text("")
    result = manage("reindex", str(source), "--index", str(tmp_path / "x"))
    assert result.returncode == 1
    assert "empty.txt: empty file" in result.stderr
    assert "reindex failed" in result.stderr


def test_default_source_is_the_bundled_samples_and_index_env_var_is_honoured(
    tmp_path: Path,
) -> None:
    index = tmp_path / "from-env"
    result = manage("reindex", env={"SCOOP_INDEX": str(index)})
    assert result.returncode == 0, result.stderr
    assert (index / "CURRENT").exists()
    found = manage("search", "interpreters", env={"SCOOP_INDEX": str(index)})
    assert found.returncode == 0 and "China May Be Preparing" in found.stdout
    assert "[interpreters]" in found.stdout


def test_search_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    result = manage("search", "china", "--index", str(tmp_path / "none"))
    assert result.returncode == 1
    assert "manage.py reindex" in result.stderr


def test_samples_are_bundled() -> None:
    assert len(list((SAMPLES / "articles").glob("*.txt"))) >= 21
