"""manage.py as a user runs it: a real process, real files, real index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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


def _search_json(index: Path, *args: str) -> dict[str, Any]:
    result = manage("search", *args, "--index", str(index), "--json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_search_flags_on_the_samples(sample_index: Path) -> None:
    soldier = _search_json(sample_index, "soldier")
    [hit] = soldier["hits"]
    credits = [c["credit"] for c in hit["highlights"]["captions"]]
    assert credits == ["JOHANNES EISELE/AFP/Getty Images", "GREG BAKER/AFP/Getty Images"]
    assert all("<mark>soldier</mark>" in c["html"] for c in hit["highlights"]["captions"])
    assert hit["highlights"]["body"] == []

    phrase = _search_json(sample_index, '"border security"')
    fragments = phrase["hits"][0]["highlights"]["body"]
    assert any("<mark>border security</mark>" in f["html"] for f in fragments)
    assert phrase["hits"][0]["match"]["phrase"] is True

    newest = _search_json(sample_index, "flood", "--sort", "newest", "--limit", "50")
    dates = [h["published"] for h in newest["hits"] if h["published"]]
    assert dates == sorted(dates, reverse=True)

    by_author = _search_json(sample_index, "flood", "--author", "Grace Liang", "--limit", "50")
    assert by_author["total"] and all("Grace Liang" in h["authors"] for h in by_author["hits"])

    window = _search_json(sample_index, "harbour", "--since", "2011-01-01", "--until", "2013-12-31")
    assert all("2011" <= h["published"][:4] <= "2013" for h in window["hits"])

    captions = _search_json(sample_index, "soldier", "--in", "captions")
    assert captions["total"] == 1
    second = _search_json(sample_index, "harbour", "--limit", "2", "--page", "2")
    assert second["page"] == 2 and len(second["hits"]) == 2


def test_search_bad_options_say_what_is_wrong(sample_index: Path) -> None:
    result = manage("search", "x", "--index", str(sample_index), "--since", "yesterday")
    assert result.returncode == 2 and "'yesterday' is not a date like 2017-05-04" in result.stderr
    result = manage("search", "x", "--index", str(sample_index), "--limit", "500")
    assert (
        result.returncode == 2
        and "--limit" in result.stderr
        and "between 1 and 50" in result.stderr
    )
    result = manage("search", '"unbalanced', "--index", str(sample_index))
    assert result.returncode == 0 and "read as plain words" in result.stdout


@pytest.mark.parametrize("variable", ["SCOOP_DEBUG", "FLASK_DEBUG"])
def test_serve_refuses_debug_mode(sample_index: Path, variable: str) -> None:
    result = manage("serve", "--index", str(sample_index), "--port", "1", env={variable: "1"})
    assert result.returncode == 2
    assert "debug mode" in result.stderr and "refuses" in result.stderr
